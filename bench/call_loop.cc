#include "bench/call_loop.h"

#include <sys/resource.h>

#include <atomic>
#include <thread>
#include <utility>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "grpcpp/client_context.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/support/channel_arguments.h"

namespace bench {
namespace {

absl::Duration ProcessCpu() {
  rusage usage;
  getrusage(RUSAGE_SELF, &usage);
  return absl::DurationFromTimeval(usage.ru_utime) +
         absl::DurationFromTimeval(usage.ru_stime);
}

// One caller of RunChainedCallLoop: a call in flight at a time, the next
// started from the completion of the one before, until the window ends.
class CallChain {
 public:
  struct Window {
    absl::Time measured_from;
    absl::Time end;
  };
  CallChain(std::shared_ptr<grpc::Channel> channel, const std::string& method,
            const RequestBytes& request, std::atomic<int64_t>& sequence,
            Window window)
      : stub_(std::move(channel)),
        method_(method),
        request_(request),
        sequence_(sequence),
        window_(window) {}

  void Start() { Next(absl::Now()); }
  // Waits for the last call; adds the latencies of the successful calls
  // made in the window to `latencies`, and returns the failed ones.
  int64_t Wait(std::vector<absl::Duration>& latencies) {
    absl::MutexLock lock(&mu_);
    mu_.Await(absl::Condition(&ended_));
    latencies.insert(latencies.end(), latencies_.begin(), latencies_.end());
    return errors_;
  }

 private:
  struct InFlight {
    grpc::ClientContext context;
    grpc::ByteBuffer request;
    grpc::ByteBuffer response;
    absl::Time started;
  };

  // Only one call is in flight, so its completion is the only thread here.
  void Next(absl::Time now) {
    if (now >= window_.end) {
      absl::MutexLock lock(&mu_);
      ended_ = true;
      return;
    }
    // The call that just completed is freed with the next completion, not
    // inside its own callback.
    previous_ = std::exchange(call_, std::make_unique<InFlight>());
    call_->request = request_(sequence_.fetch_add(1));
    call_->started = now;
    stub_.UnaryCall(&call_->context, method_, grpc::StubOptions(),
                    &call_->request, &call_->response,
                    [this](grpc::Status status) { Completed(status.ok()); });
  }

  void Completed(bool ok) {
    const absl::Time now = absl::Now();
    // Calls that end after the window would bias the tail upward with the
    // drain; calls started in the warm-up are not counted.
    if (call_->started >= window_.measured_from && now <= window_.end) {
      if (ok) {
        latencies_.push_back(now - call_->started);
      } else {
        ++errors_;
      }
    }
    Next(now);
  }

  grpc::GenericStub stub_;
  const std::string& method_;
  const RequestBytes& request_;
  std::atomic<int64_t>& sequence_;
  const Window window_;
  std::unique_ptr<InFlight> call_, previous_;
  std::vector<absl::Duration> latencies_;  // Read once ended_.
  int64_t errors_ = 0;
  absl::Mutex mu_;
  bool ended_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace

absl::Duration ProcessCpuBetween(absl::Time from, absl::Time to) {
  absl::SleepFor(from - absl::Now());
  const absl::Duration before = ProcessCpu();
  absl::SleepFor(to - absl::Now());
  return ProcessCpu() - before;
}

std::shared_ptr<grpc::Channel> NewChannel(const std::string& target) {
  grpc::ChannelArguments args;
  args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
  args.SetMaxReceiveMessageSize(64 << 20);
  args.SetMaxSendMessageSize(64 << 20);
  return grpc::CreateCustomChannel(target, grpc::InsecureChannelCredentials(),
                                   args);
}

LatencySummary RunCallLoop(const std::string& target,
                           const CallLoopOptions& options, const Call& call) {
  std::vector<std::shared_ptr<grpc::Channel>> channels;
  for (int c = 0; c < options.channels; ++c) {
    channels.push_back(NewChannel(target));
  }
  const absl::Time start = absl::Now();
  const absl::Time measured_from = start + options.warmup;
  const absl::Time end = measured_from + options.duration;
  std::atomic<int64_t> sequence{0};
  absl::Mutex mu;
  std::vector<absl::Duration> latencies;
  int64_t errors = 0;

  std::vector<std::thread> callers;
  for (int c = 0; c < options.channels; ++c) {
    for (int i = 0; i < options.in_flight; ++i) {
      callers.emplace_back([&, c] {
        std::vector<absl::Duration> mine;
        int64_t my_errors = 0;
        for (absl::Time t0 = absl::Now(); t0 < end; t0 = absl::Now()) {
          const bool ok = call(channels[c], sequence.fetch_add(1));
          const absl::Time t1 = absl::Now();
          // Calls that end after the window would bias the tail upward
          // with the drain; calls started in the warm-up are not counted.
          if (t0 < measured_from || t1 > end) continue;
          if (ok) {
            mine.push_back(t1 - t0);
          } else {
            ++my_errors;
          }
        }
        absl::MutexLock lock(&mu);
        latencies.insert(latencies.end(), mine.begin(), mine.end());
        errors += my_errors;
      });
    }
  }
  const absl::Duration cpu = ProcessCpuBetween(measured_from, end);
  for (std::thread& caller : callers) caller.join();
  LatencySummary summary = Summarize(latencies, errors, options.duration);
  summary.client_cpu = cpu;
  return summary;
}

LatencySummary RunChainedCallLoop(const std::string& target,
                                  const CallLoopOptions& options,
                                  const std::string& method,
                                  const RequestBytes& request) {
  const absl::Time measured_from = absl::Now() + options.warmup;
  const CallChain::Window window = {measured_from,
                                    measured_from + options.duration};
  std::atomic<int64_t> sequence{0};
  std::vector<std::unique_ptr<CallChain>> chains;
  for (int c = 0; c < options.channels; ++c) {
    const std::shared_ptr<grpc::Channel> channel = NewChannel(target);
    for (int i = 0; i < options.in_flight; ++i) {
      chains.push_back(std::make_unique<CallChain>(channel, method, request,
                                                   sequence, window));
    }
  }
  for (std::unique_ptr<CallChain>& chain : chains) chain->Start();
  const absl::Duration cpu =
      ProcessCpuBetween(window.measured_from, window.end);
  std::vector<absl::Duration> latencies;
  int64_t errors = 0;
  for (std::unique_ptr<CallChain>& chain : chains) {
    errors += chain->Wait(latencies);
  }
  LatencySummary summary = Summarize(latencies, errors, options.duration);
  summary.client_cpu = cpu;
  return summary;
}

}  // namespace bench
