// bench_visibility: how long after an acknowledged resubmission the query
// service answers with it. Each round resubmits one unit's budget, then
// asks the query service for the unit's grand total with
// read.min_revision set to the consolidated revision the ingest service
// acknowledged; the query service holds the call until it has applied that
// revision. The delay is measured from the acknowledgement to the answer.
//
//   bench_visibility --ingest=127.0.0.1:50051 --query=127.0.0.1:50052
//       --size=M --rounds=30
#include <cstdio>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "bench/budget_generator.h"
#include "bench/call_loop.h"
#include "bench/latency_stats.h"
#include "budget/v1/ingest_service.grpc.pb.h"
#include "budget/v1/query_service.grpc.pb.h"

ABSL_FLAG(std::string, ingest, "127.0.0.1:50051", "Ingest service HOST:PORT");
ABSL_FLAG(std::string, query, "127.0.0.1:50052", "Query service HOST:PORT");
ABSL_FLAG(std::string, size, "S", "Workload the servers hold: S, M or L");
ABSL_FLAG(int, rounds, 30, "Resubmissions measured");
ABSL_FLAG(absl::Duration, read_deadline, absl::Seconds(10),
          "How long a read may wait for its revision (long when the query "
          "service is still loading the store)");

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  const bench::Workload workload = bench::WorkloadOfSizeOrExit(
      absl::GetFlag(FLAGS_size), "bench_visibility");
  const auto ingest = budget::v1::IngestService::NewStub(
      bench::NewChannel(absl::GetFlag(FLAGS_ingest)));
  const auto query = budget::v1::QueryService::NewStub(
      bench::NewChannel(absl::GetFlag(FLAGS_query)));
  // The last unit of the last department: deepest in the registry's order.
  const budget::v1::Unit unit = bench::GenerateUnits(workload).back();
  const std::string run =
      absl::FormatTime("%Y%m%d%H%M%S", absl::Now(), absl::LocalTimeZone());

  std::vector<absl::Duration> delays;
  int64_t errors = 0;
  const absl::Time start = absl::Now();
  for (int round = 0; round < absl::GetFlag(FLAGS_rounds); ++round) {
    budget::v1::SubmitBudgetRequest submit;
    submit.set_request_id(absl::StrCat("visibility-", run, "-", round));
    *submit.mutable_budget() =
        bench::GenerateBudget(unit, workload, 10000 + round);
    budget::v1::SubmitBudgetResponse submitted;
    grpc::ClientContext submit_context;
    if (!ingest->SubmitBudget(&submit_context, submit, &submitted).ok()) {
      ++errors;
      continue;
    }
    const absl::Time acknowledged = absl::Now();

    budget::v1::AggregateRequest read;
    read.set_node_code(unit.code());
    read.set_fiscal_year(workload.fiscal_year);
    read.mutable_read()->set_min_revision(submitted.consolidated_revision());
    budget::v1::AggregateResponse answer;
    grpc::ClientContext read_context;
    read_context.set_deadline(
        absl::ToChronoTime(absl::Now() + absl::GetFlag(FLAGS_read_deadline)));
    const grpc::Status status = query->Aggregate(&read_context, read, &answer);
    if (!status.ok() || answer.revision() < submitted.consolidated_revision()) {
      absl::FPrintF(stderr, "bench_visibility: round %d: %s\n", round,
                    status.error_message());
      ++errors;
      continue;
    }
    delays.push_back(absl::Now() - acknowledged);
  }
  const bench::LatencySummary summary =
      bench::Summarize(delays, errors, absl::Now() - start);
  absl::PrintF("%s\n", bench::FormatSummary("visibility", summary));
  return errors == 0 ? 0 : 1;
}
