// bench_populate: registers a workload's unit tree with the ingest service
// and submits every unit's budget (variant 0), then prints how long the
// submissions took.
//
//   bench_populate --ingest=127.0.0.1:50051 --size=M --register_callers=64
//       --streams=2 --window=32
//
// Registration goes level by level down the tree, `register_callers` calls
// in flight within a level (the service group-commits them); the budgets go
// on `streams` SubmitBudgets streams with up to `window` budgets in flight
// on each, each acknowledged only once durable.
#include <atomic>
#include <cstdio>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "bench/budget_generator.h"
#include "bench/call_loop.h"
#include "bench/submit_pipeline.h"
#include "budget/v1/ingest_service.grpc.pb.h"

ABSL_FLAG(std::string, ingest, "127.0.0.1:50051", "Ingest service HOST:PORT");
ABSL_FLAG(std::string, size, "S", "Workload size: S, M or L");
ABSL_FLAG(int, register_callers, 64,
          "RegisterUnit calls in flight (the service group-commits them)");
ABSL_FLAG(int, streams, 2, "SubmitBudgets streams the budgets go on");
ABSL_FLAG(int, window, 32, "Budgets in flight per stream");

namespace {

using budget::v1::IngestService;
using budget::v1::Unit;

// Runs `work(i)` for i in [0, count) from `callers` threads; returns how
// many failed, after printing the first failure.
template <typename Work>
int64_t ForEachParallel(int64_t count, int callers, const Work& work) {
  std::atomic<int64_t> next{0}, failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < callers; ++t) {
    threads.emplace_back([&] {
      for (int64_t i = next++; i < count; i = next++) {
        const grpc::Status status = work(i);
        if (!status.ok() && failures++ == 0) {
          absl::FPrintF(stderr, "bench_populate: item %d: %s\n", i,
                        status.error_message());
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  return failures;
}

grpc::Status Register(IngestService::Stub& stub, const Unit& unit) {
  budget::v1::RegisterUnitRequest request;
  *request.mutable_unit() = unit;
  budget::v1::RegisterUnitResponse response;
  grpc::ClientContext context;
  return stub.RegisterUnit(&context, request, &response);
}

// Submits every unit's budget (variant 0) over `streams` SubmitBudgets
// streams with up to `window` budgets in flight on each
// (bench/submit_pipeline.h); returns how many were not accepted (rejected,
// or never answered because a stream broke), after printing the first
// failure.
int64_t SubmitAll(const bench::Workload& workload,
                  const std::vector<Unit>& units,
                  const std::shared_ptr<grpc::Channel>& channel, int streams,
                  int window) {
  std::atomic<int64_t> next{0}, accepted{0};
  std::atomic<bool> told{false};
  auto failed = [&told](absl::string_view what) {
    if (!told.exchange(true)) {
      absl::FPrintF(stderr, "bench_populate: %s\n", what);
    }
  };
  std::vector<std::unique_ptr<bench::SubmitPipeline>> open;
  for (int s = 0; s < streams; ++s) {
    open.push_back(std::make_unique<bench::SubmitPipeline>(
        channel, window,
        [&]() -> std::optional<grpc::ByteBuffer> {
          const int64_t i = next++;
          if (i >= static_cast<int64_t>(units.size())) return std::nullopt;
          budget::v1::SubmitBudgetRequest request;
          request.set_request_id(absl::StrCat("populate-", units[i].code()));
          *request.mutable_budget() =
              bench::GenerateBudget(units[i], workload, 0);
          request.set_submitted_by("bench_populate");
          grpc::ByteBuffer bytes;
          bool own_buffer = false;
          grpc::SerializationTraits<budget::v1::SubmitBudgetRequest>::Serialize(
              request, &bytes, &own_buffer);
          return bytes;
        },
        [&](absl::Time, absl::Time,
            const budget::v1::SubmitBudgetResult* result) {
          if (result != nullptr && result->code() == grpc::StatusCode::OK) {
            ++accepted;
          } else if (result == nullptr) {
            failed("an answer that does not parse");
          } else {
            failed(absl::StrCat(result->request_id(), ": ", result->message()));
          }
        }));
  }
  for (std::unique_ptr<bench::SubmitPipeline>& stream : open) {
    const grpc::Status status = stream->Wait();
    if (!status.ok()) failed(status.error_message());
  }
  return static_cast<int64_t>(units.size()) - accepted;
}

// The units by depth in the tree (`all` lists parents first): every unit
// of a level can be registered at once when the levels above are.
std::vector<std::vector<const Unit*>> Levels(const std::vector<Unit>& all) {
  std::map<std::string, size_t> depth;
  std::vector<std::vector<const Unit*>> levels;
  for (const Unit& unit : all) {
    const auto parent = depth.find(unit.parent_code());
    const size_t d = parent == depth.end() ? 0 : parent->second + 1;
    depth[unit.code()] = d;
    if (levels.size() <= d) levels.resize(d + 1);
    levels[d].push_back(&unit);
  }
  return levels;
}

}  // namespace

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  const bench::Workload workload =
      bench::WorkloadOfSizeOrExit(absl::GetFlag(FLAGS_size), "bench_populate");
  const std::vector<Unit> all = bench::GenerateUnits(workload);
  std::vector<Unit> units;  // The ones with budgets.
  for (const Unit& unit : all) {
    if (unit.kind() != budget::v1::UNIT_KIND_GROUP) units.push_back(unit);
  }
  const auto stub =
      IngestService::NewStub(bench::NewChannel(absl::GetFlag(FLAGS_ingest)));

  const absl::Time registering = absl::Now();
  int64_t failures = 0;
  for (const std::vector<const Unit*>& level : Levels(all)) {
    failures +=
        ForEachParallel(static_cast<int64_t>(level.size()),
                        absl::GetFlag(FLAGS_register_callers),
                        [&](int64_t i) { return Register(*stub, *level[i]); });
  }
  const absl::Duration registration = absl::Now() - registering;
  absl::PrintF("name=register units=%d seconds=%.2f units_per_second=%.1f\n",
               all.size(), absl::ToDoubleSeconds(registration),
               all.size() / absl::ToDoubleSeconds(registration));
  std::fflush(stdout);

  const absl::Time submitting = absl::Now();
  failures +=
      SubmitAll(workload, units, bench::NewChannel(absl::GetFlag(FLAGS_ingest)),
                absl::GetFlag(FLAGS_streams), absl::GetFlag(FLAGS_window));
  const absl::Duration submission = absl::Now() - submitting;

  absl::PrintF(
      "name=populate units=%d budgets=%d lines=%d failures=%d "
      "register_seconds=%.2f submit_seconds=%.2f budgets_per_second=%.1f\n",
      all.size(), units.size(), workload.lines(), failures,
      absl::ToDoubleSeconds(registration), absl::ToDoubleSeconds(submission),
      units.size() / absl::ToDoubleSeconds(submission));
  return failures == 0 ? 0 : 1;
}
