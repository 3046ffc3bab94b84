// bench_load: drives one RPC from many callers for a fixed time and prints
// its throughput and latency percentiles (bench/latency_stats.h).
//
//   bench_load --target=127.0.0.1:50052 --rpc=table --channels=2
//       --in_flight=4 --warmup=1s --duration=5s
//
// --rpc: ping, ping_callback, ping_raw (Ping of budget.bench.v1's
// EmptyService, CallbackEmptyService, RawEmptyService: the transport's
// ceiling on the synchronous, callback and raw-bytes server APIs; the
// server must run with --bench_empty_service; the ingest service serves
// only ping), submit (SubmitBudget of
// 200-line resubmissions of department 0001's units), submit_stream (the
// same budgets on SubmitBudgets: one stream per caller, each with up to
// --window budgets in flight, written back to back and answered in order;
// --window=1 waits for each answer before sending the next), table (table 05 of
// department 0001), aggregate and aggregate2 (the two drilldowns of
// bench_requests.h).
#include <atomic>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "bench/bench_requests.h"
#include "bench/budget_generator.h"
#include "bench/call_loop.h"
#include "bench/submit_pipeline.h"
#include "budget/bench/v1/empty_service.grpc.pb.h"
#include "budget/v1/ingest_service.grpc.pb.h"
#include "budget/v1/query_service.grpc.pb.h"
#include "grpcpp/generic/generic_stub.h"

ABSL_FLAG(std::string, target, "127.0.0.1:50052", "HOST:PORT of the server");
ABSL_FLAG(std::string, rpc, "ping",
          "ping, ping_callback, ping_raw, submit, submit_stream, table, "
          "aggregate or aggregate2");
ABSL_FLAG(std::string, name, "", "Name printed with the results (--rpc)");
ABSL_FLAG(int, channels, 1, "Connections");
ABSL_FLAG(int, in_flight, 1,
          "Callers per connection, each waiting for its answer before its "
          "next call");
ABSL_FLAG(int, window, 1,
          "submit_stream: budgets in flight per stream (one stream per "
          "caller)");
ABSL_FLAG(absl::Duration, warmup, absl::Seconds(1), "Not measured");
ABSL_FLAG(absl::Duration, duration, absl::Seconds(3), "Measured window");
ABSL_FLAG(std::string, size, "S", "Workload the servers hold: S, M or L");

namespace {

using budget::v1::IngestService;
using budget::v1::QueryService;
using Channel = std::shared_ptr<grpc::Channel>;

// Sends `request` to `method` as bytes; `done` runs with whether the call
// succeeded once the answer is in, which is not parsed: what is measured is
// the service's time to answer, not the client's to decode (a table is
// hundreds of cell messages; decoding them cost the client three times the
// CPU of an empty call, more than the server spent answering). h2load and
// ghz measure the same way.
void StartRawUnaryCall(const Channel& channel, const std::string& method,
                       grpc::ByteBuffer request, bench::CallDone done) {
  // What the call needs until it ends; freed by its completion.
  struct InFlight {
    grpc::ClientContext context;
    grpc::ByteBuffer request;
    grpc::ByteBuffer response;
    bench::CallDone done;
  };
  auto* call = new InFlight{{}, std::move(request), {}, std::move(done)};
  grpc::GenericStub(channel).UnaryCall(
      &call->context, method, grpc::StubOptions(), &call->request,
      &call->response, [call](grpc::Status status) {
        bench::CallDone done = std::move(call->done);
        delete call;
        std::move(done)(status.ok());
      });
}

// Resubmissions are generated and serialized before the run so that the
// client's own work stays out of the measured window; variants from 1 keep
// them distinct from the loaded budgets (variant 0). A call sends the bytes
// of one (SubmissionBytes) through the generic stub.
constexpr int kSubmissionPool = 64;

// The pre-serialized resubmissions both submit RPCs send.
std::shared_ptr<const std::vector<std::string>> SubmissionPool(
    const bench::Workload& workload) {
  const std::vector<budget::v1::Unit> units = bench::GenerateUnits(workload);
  auto pool = std::make_shared<std::vector<std::string>>();
  for (int i = 0; i < kSubmissionPool; ++i) {
    // Units of department 0001 sit at positions 2 .. 101 of GenerateUnits.
    const budget::v1::Unit& unit = units[2 + i % workload.units_per_department];
    budget::v1::SubmitBudgetRequest request;
    *request.mutable_budget() = bench::GenerateBudget(unit, workload, 1 + i);
    request.set_submitted_by("bench_load");
    pool->push_back(request.SerializeAsString());
  }
  return pool;
}

// A pool entry with its request_id field appended (a message's fields may
// come in any order): no copy or serialization of the 200 lines per call.
grpc::ByteBuffer SubmissionBytes(const std::vector<std::string>& pool,
                                 const std::string& run, int64_t sequence) {
  budget::v1::SubmitBudgetRequest id_only;
  id_only.set_request_id(absl::StrCat("bench-", run, "-", sequence));
  const std::string& budget = pool[sequence % pool.size()];
  grpc::Slice slices[] = {
      grpc::Slice(budget.data(), budget.size(), grpc::Slice::STATIC_SLICE),
      grpc::Slice(id_only.SerializeAsString())};
  return grpc::ByteBuffer(slices, 2);
}

std::string RunStamp() {
  return absl::FormatTime("%Y%m%d%H%M%S", absl::Now(), absl::LocalTimeZone());
}

bench::Call SubmitCall(const bench::Workload& workload) {
  std::shared_ptr<const std::vector<std::string>> pool =
      SubmissionPool(workload);
  const std::string run = RunStamp();
  const std::string method = absl::StrCat(
      "/", budget::v1::IngestService::service_full_name(), "/SubmitBudget");
  return [pool, run, method](const Channel& channel, int64_t sequence,
                             bench::CallDone done) {
    StartRawUnaryCall(channel, method, SubmissionBytes(*pool, run, sequence),
                      std::move(done));
  };
}

// Runs submit_stream: `channels` x `in_flight` SubmitBudgets streams, each
// with up to `window` budgets in flight (bench/submit_pipeline.h), sending
// budgets until the window ends. A budget's latency runs from the start of
// its write to its answer; it counts when both fall in the measured window,
// as RunCallLoop counts calls.
bench::LatencySummary RunSubmitStreams(const std::string& target,
                                       const bench::Workload& workload,
                                       const bench::CallLoopOptions& options,
                                       int window) {
  std::shared_ptr<const std::vector<std::string>> pool =
      SubmissionPool(workload);
  const std::string run = RunStamp();
  const absl::Time measured_from = absl::Now() + options.warmup;
  const absl::Time end = measured_from + options.duration;
  std::atomic<int64_t> sequence{0}, errors{0};
  const int streams = options.channels * options.in_flight;
  // One list per stream: each stream's sink runs on one thread at a time.
  std::vector<std::vector<absl::Duration>> latencies(streams);
  std::vector<std::unique_ptr<bench::SubmitPipeline>> open;
  for (int c = 0; c < options.channels; ++c) {
    const Channel channel = bench::NewChannel(target);
    for (int i = 0; i < options.in_flight; ++i) {
      std::vector<absl::Duration>& mine = latencies[open.size()];
      open.push_back(std::make_unique<bench::SubmitPipeline>(
          channel, window,
          [&]() -> std::optional<grpc::ByteBuffer> {
            if (absl::Now() >= end) return std::nullopt;
            return SubmissionBytes(*pool, run, sequence++);
          },
          [&](absl::Time sent, absl::Time answered,
              const budget::v1::SubmitBudgetResult* result) {
            if (sent < measured_from || answered > end) return;
            if (result != nullptr && result->code() == grpc::StatusCode::OK) {
              mine.push_back(answered - sent);
            } else {
              ++errors;
            }
          }));
    }
  }
  const absl::Duration cpu = bench::ProcessCpuBetween(measured_from, end);
  std::vector<absl::Duration> all;
  for (int s = 0; s < streams; ++s) {
    const grpc::Status status = open[s]->Wait();
    if (!status.ok()) {
      absl::FPrintF(stderr, "bench_load: stream %d: %s\n", s,
                    status.error_message());
      ++errors;
    }
    all.insert(all.end(), latencies[s].begin(), latencies[s].end());
  }
  bench::LatencySummary summary =
      bench::Summarize(all, errors, options.duration);
  summary.client_cpu = cpu;
  return summary;
}

// A call of the method at `path` (/package.Service/Method) with the same
// request bytes every time, serialized once: the queries, and the empty
// calls (zero bytes), so that every measured call takes the same client
// path.
bench::Call FixedRequestCall(std::string path, std::string request_bytes) {
  auto bytes = std::make_shared<const std::string>(std::move(request_bytes));
  return [bytes, path = std::move(path)](const Channel& channel, int64_t,
                                         bench::CallDone done) {
    grpc::Slice slice(bytes->data(), bytes->size(), grpc::Slice::STATIC_SLICE);
    StartRawUnaryCall(channel, path, grpc::ByteBuffer(&slice, 1),
                      std::move(done));
  };
}

bench::Call QueryCall(const google::protobuf::Message& request,
                      absl::string_view method) {
  return FixedRequestCall(
      absl::StrCat("/", QueryService::service_full_name(), "/", method),
      request.SerializeAsString());
}

template <typename EmptyService>
bench::Call PingCall() {
  return FixedRequestCall(
      absl::StrCat("/", EmptyService::service_full_name(), "/Ping"), "");
}

}  // namespace

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  const bench::Workload workload =
      bench::WorkloadOfSizeOrExit(absl::GetFlag(FLAGS_size), "bench_load");
  const std::string rpc = absl::GetFlag(FLAGS_rpc);
  const std::string department = bench::DepartmentCode(0);
  bench::Call call;
  if (rpc == "ping") {
    call = PingCall<budget::bench::v1::EmptyService>();
  } else if (rpc == "ping_callback") {
    call = PingCall<budget::bench::v1::CallbackEmptyService>();
  } else if (rpc == "ping_raw") {
    call = PingCall<budget::bench::v1::RawEmptyService>();
  } else if (rpc == "submit") {
    call = SubmitCall(workload);
  } else if (rpc == "submit_stream") {
    // Streams are driven by their own loop (below).
  } else if (rpc == "table") {
    call = QueryCall(bench::Table05Request(department, workload.fiscal_year),
                     "GetDisclosureTable");
  } else if (rpc == "aggregate") {
    call = QueryCall(bench::DrilldownRequest(department, workload.fiscal_year),
                     "Aggregate");
  } else if (rpc == "aggregate2") {
    call = QueryCall(bench::Drilldown2Request(department, workload.fiscal_year),
                     "Aggregate");
  } else {
    absl::FPrintF(stderr, "bench_load: unknown --rpc=%s\n", rpc);
    return 2;
  }
  bench::CallLoopOptions options;
  options.channels = absl::GetFlag(FLAGS_channels);
  options.in_flight = absl::GetFlag(FLAGS_in_flight);
  options.warmup = absl::GetFlag(FLAGS_warmup);
  options.duration = absl::GetFlag(FLAGS_duration);
  const int window = absl::GetFlag(FLAGS_window);
  if (window < 1) {
    absl::FPrintF(stderr, "bench_load: --window must be >= 1\n");
    return 2;
  }
  const bench::LatencySummary summary =
      call ? bench::RunCallLoop(absl::GetFlag(FLAGS_target), options, call)
           : RunSubmitStreams(absl::GetFlag(FLAGS_target), workload, options,
                              window);
  const std::string name = absl::GetFlag(FLAGS_name);
  absl::PrintF("%s channels=%d in_flight=%d window=%d\n",
               bench::FormatSummary(name.empty() ? rpc : name, summary),
               options.channels, options.in_flight, call ? 1 : window);
  return summary.calls > 0 && summary.errors == 0 ? 0 : 1;
}
