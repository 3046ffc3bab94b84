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
// same budgets on SubmitBudgets: each caller keeps one stream open and
// sends the next budget once the previous one is answered), table (table 05 of
// department 0001), aggregate and aggregate2 (the two drilldowns of
// bench_requests.h).
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "bench/bench_requests.h"
#include "bench/budget_generator.h"
#include "bench/call_loop.h"
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
ABSL_FLAG(int, in_flight, 1, "Blocking callers per connection");
ABSL_FLAG(absl::Duration, warmup, absl::Seconds(1), "Not measured");
ABSL_FLAG(absl::Duration, duration, absl::Seconds(3), "Measured window");
ABSL_FLAG(std::string, size, "S", "Workload the servers hold: S, M or L");

namespace {

using budget::v1::IngestService;
using budget::v1::QueryService;
using Channel = std::shared_ptr<grpc::Channel>;

// Sends `request` to `method` as bytes and waits for the answer, which is
// not parsed: what is measured is the service's time to answer, not the
// client's to decode (a table is hundreds of cell messages; decoding them
// cost the client three times the CPU of an empty call, more than the
// server spent answering). h2load and ghz measure the same way.
bool RawUnaryCall(const Channel& channel, const std::string& method,
                  grpc::ByteBuffer* request) {
  grpc::ByteBuffer response;
  grpc::ClientContext context;
  absl::Notification done;
  grpc::Status status;
  grpc::GenericStub(channel).UnaryCall(&context, method, grpc::StubOptions(),
                                       request, &response, [&](grpc::Status s) {
                                         status = std::move(s);
                                         done.Notify();
                                       });
  done.WaitForNotification();
  return status.ok();
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
  return [pool, run, method](const Channel& channel, int64_t sequence) {
    grpc::ByteBuffer request = SubmissionBytes(*pool, run, sequence);
    return RawUnaryCall(channel, method, &request);
  };
}

// One open SubmitBudgets stream of a caller thread, used one budget at a
// time: Send writes it and waits for its answer.
class SubmitStream
    : public grpc::ClientBidiReactor<grpc::ByteBuffer, grpc::ByteBuffer> {
 public:
  SubmitStream(const Channel& channel, const std::string& method) {
    grpc::GenericStub(channel).PrepareBidiStreamingCall(
        &context_, method, grpc::StubOptions(), this);
    StartCall();
  }

  // Whether the budget was answered with code OK.
  bool Send(grpc::ByteBuffer request) {
    request_ = std::move(request);
    {
      absl::MutexLock lock(&mu_);
      pending_ = 2;  // The write and the answer.
    }
    StartWrite(&request_);
    StartRead(&response_);
    absl::MutexLock lock(&mu_);
    mu_.Await(absl::Condition(
        +[](int* pending) { return *pending == 0; }, &pending_));
    if (!ok_) return false;
    budget::v1::SubmitBudgetResult result;
    return grpc::SerializationTraits<
               budget::v1::SubmitBudgetResult>::Deserialize(&response_, &result)
               .ok() &&
           result.code() == grpc::StatusCode::OK;
  }

  // Half-closes the stream and waits for the server to end it.
  void Close() {
    StartWritesDone();
    done_.WaitForNotification();
  }

  void OnWriteDone(bool ok) override { Settle(ok); }
  void OnReadDone(bool ok) override { Settle(ok); }
  void OnDone(const grpc::Status&) override { done_.Notify(); }

 private:
  void Settle(bool ok) {
    absl::MutexLock lock(&mu_);
    ok_ = ok_ && ok;
    --pending_;
  }

  grpc::ClientContext context_;
  grpc::ByteBuffer request_;
  grpc::ByteBuffer response_;
  absl::Mutex mu_;
  int pending_ ABSL_GUARDED_BY(mu_) = 0;
  bool ok_ ABSL_GUARDED_BY(mu_) = true;  // False once the stream broke.
  absl::Notification done_;
};

// Every caller's stream, closed once the run is over.
struct SubmitStreams {
  absl::Mutex mu;
  std::vector<std::unique_ptr<SubmitStream>> open ABSL_GUARDED_BY(mu);
};

bench::Call SubmitStreamCall(const bench::Workload& workload,
                             std::shared_ptr<SubmitStreams> streams) {
  std::shared_ptr<const std::vector<std::string>> pool =
      SubmissionPool(workload);
  const std::string run = RunStamp();
  const std::string method = absl::StrCat(
      "/", budget::v1::IngestService::service_full_name(), "/SubmitBudgets");
  return
      [pool, run, method, streams](const Channel& channel, int64_t sequence) {
        // Each caller thread calls on one channel: one stream per thread.
        thread_local SubmitStream* mine = nullptr;
        if (mine == nullptr) {
          auto opened = std::make_unique<SubmitStream>(channel, method);
          mine = opened.get();
          absl::MutexLock lock(&streams->mu);
          streams->open.push_back(std::move(opened));
        }
        return mine->Send(SubmissionBytes(*pool, run, sequence));
      };
}

// A call of the method at `path` (/package.Service/Method) with the same
// request bytes every time, serialized once: the queries, and the empty
// calls (zero bytes), so that every measured call takes the same client
// path.
bench::Call FixedRequestCall(std::string path, std::string request_bytes) {
  auto bytes = std::make_shared<const std::string>(std::move(request_bytes));
  return [bytes, path = std::move(path)](const Channel& channel, int64_t) {
    grpc::Slice slice(bytes->data(), bytes->size(), grpc::Slice::STATIC_SLICE);
    grpc::ByteBuffer request(&slice, 1);
    return RawUnaryCall(channel, path, &request);
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
  auto streams = std::make_shared<SubmitStreams>();
  if (rpc == "ping") {
    call = PingCall<budget::bench::v1::EmptyService>();
  } else if (rpc == "ping_callback") {
    call = PingCall<budget::bench::v1::CallbackEmptyService>();
  } else if (rpc == "ping_raw") {
    call = PingCall<budget::bench::v1::RawEmptyService>();
  } else if (rpc == "submit") {
    call = SubmitCall(workload);
  } else if (rpc == "submit_stream") {
    call = SubmitStreamCall(workload, streams);
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
  const bench::LatencySummary summary =
      bench::RunCallLoop(absl::GetFlag(FLAGS_target), options, call);
  {
    absl::MutexLock lock(&streams->mu);
    for (std::unique_ptr<SubmitStream>& stream : streams->open) {
      stream->Close();
    }
  }
  const std::string name = absl::GetFlag(FLAGS_name);
  absl::PrintF("%s channels=%d in_flight=%d\n",
               bench::FormatSummary(name.empty() ? rpc : name, summary),
               options.channels, options.in_flight);
  return summary.calls > 0 && summary.errors == 0 ? 0 : 1;
}
