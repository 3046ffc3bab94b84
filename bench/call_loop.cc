#include "bench/call_loop.h"

#include <sys/resource.h>

#include <atomic>
#include <thread>
#include <vector>

#include "absl/synchronization/mutex.h"
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

}  // namespace bench
