#include "bench/call_loop.h"

#include <sys/resource.h>

#include <atomic>
#include <utility>
#include <vector>

#include "absl/synchronization/blocking_counter.h"
#include "absl/time/clock.h"
#include "grpcpp/create_channel.h"
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

namespace {

// One caller: the chain of its calls, and what they measured. Each call's
// completion runs on one of gRPC's threads and starts the next, so a
// caller's fields are touched by one thread at a time.
struct Caller {
  std::shared_ptr<grpc::Channel> channel;
  absl::Time started;  // Of the call in flight.
  std::vector<absl::Duration> latencies;
  int64_t errors = 0;
};

// What every caller shares; outlives them all (RunCallLoop waits).
struct CallerPool {
  CallerPool(const Call& call, absl::Time measured_from, absl::Time end,
             int callers)
      : call(call), measured_from(measured_from), end(end), running(callers) {}

  const Call& call;
  const absl::Time measured_from;
  const absl::Time end;
  std::atomic<int64_t> sequence{0};
  absl::BlockingCounter running;  // Callers not yet ended.
};

// Starts `caller`'s next call, or ends the caller once the window is over
// or after a failed call (the run then reports the error; going on would
// let a call that fails at once recurse through its own completion).
void StartNextCall(CallerPool& pool, Caller& caller) {
  caller.started = absl::Now();
  if (caller.started >= pool.end) {
    pool.running.DecrementCount();
    return;
  }
  pool.call(
      caller.channel, pool.sequence.fetch_add(1), [&pool, &caller](bool ok) {
        const absl::Time answered = absl::Now();
        // Calls that end after the window would bias the tail upward with
        // the drain; calls started in the warm-up are not counted.
        if (caller.started >= pool.measured_from && answered <= pool.end) {
          if (ok) {
            caller.latencies.push_back(answered - caller.started);
          } else {
            ++caller.errors;
          }
        }
        if (ok) {
          StartNextCall(pool, caller);
        } else {
          if (caller.started < pool.measured_from) ++caller.errors;
          pool.running.DecrementCount();
        }
      });
}

}  // namespace

LatencySummary RunCallLoop(const std::string& target,
                           const CallLoopOptions& options, const Call& call) {
  const int callers_count = options.channels * options.in_flight;
  std::vector<Caller> callers(callers_count);
  for (int c = 0; c < options.channels; ++c) {
    const std::shared_ptr<grpc::Channel> channel = NewChannel(target);
    for (int i = 0; i < options.in_flight; ++i) {
      callers[c * options.in_flight + i].channel = channel;
    }
  }
  const absl::Time measured_from = absl::Now() + options.warmup;
  CallerPool pool(call, measured_from, measured_from + options.duration,
                  callers_count);
  for (Caller& caller : callers) StartNextCall(pool, caller);
  const absl::Duration cpu = ProcessCpuBetween(pool.measured_from, pool.end);
  pool.running.Wait();
  std::vector<absl::Duration> latencies;
  int64_t errors = 0;
  for (const Caller& caller : callers) {
    latencies.insert(latencies.end(), caller.latencies.begin(),
                     caller.latencies.end());
    errors += caller.errors;
  }
  LatencySummary summary = Summarize(latencies, errors, options.duration);
  summary.client_cpu = cpu;
  return summary;
}

}  // namespace bench
