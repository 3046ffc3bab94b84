// Runs one kind of call from many threads for a fixed time and measures it:
// `channels` connections, `in_flight` blocking callers on each, a warm-up
// whose calls are not counted, then a measured window.
//
// Run is thread-compatible; `call` is invoked concurrently from every
// caller thread and must be thread-safe.
#ifndef BENCH_CALL_LOOP_H_
#define BENCH_CALL_LOOP_H_

#include <functional>
#include <memory>
#include <string>

#include "absl/time/time.h"
#include "bench/latency_stats.h"
#include "grpcpp/channel.h"

namespace bench {

struct CallLoopOptions {
  int channels = 1;
  int in_flight = 1;  // Callers per channel.
  absl::Duration warmup = absl::Seconds(1);
  absl::Duration duration = absl::Seconds(3);
};

// One call on `channel`; `sequence` is unique across the run (for request
// ids). Returns whether the call succeeded.
using Call = std::function<bool(const std::shared_ptr<grpc::Channel>& channel,
                                int64_t sequence)>;

// A channel of its own (not shared with other channels to the same target)
// that accepts messages as large as the servers send.
std::shared_ptr<grpc::Channel> NewChannel(const std::string& target);

LatencySummary RunCallLoop(const std::string& target,
                           const CallLoopOptions& options, const Call& call);

// Sleeps until `from`, then until `to`; returns the CPU time (user and
// system, every thread) the process used between the two.
absl::Duration ProcessCpuBetween(absl::Time from, absl::Time to);

}  // namespace bench

#endif  // BENCH_CALL_LOOP_H_
