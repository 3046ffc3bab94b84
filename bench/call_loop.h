// Runs one kind of call from many threads for a fixed time and measures it:
// `channels` connections, `in_flight` blocking callers on each, a warm-up
// whose calls are not counted, then a measured window; or the same number
// of calls in flight as chains of callback-API calls (RunChainedCallLoop).
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
#include "grpcpp/support/byte_buffer.h"

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

// The request bytes of call number `sequence` (unique across the run).
using RequestBytes = std::function<grpc::ByteBuffer(int64_t sequence)>;

// RunCallLoop's measurement of the unary method at `method`
// (/package.Service/Method), but each of the channels x in_flight callers
// is a chain of callback-API calls: the next call starts from the previous
// one's completion, on the gRPC thread that ran it, where RunCallLoop's
// caller thread is woken to start it. Same calls in flight, less client
// CPU per call (a thread wake-up fewer). A call's latency runs from its
// start to its completion. `request` is called from gRPC's threads.
LatencySummary RunChainedCallLoop(const std::string& target,
                                  const CallLoopOptions& options,
                                  const std::string& method,
                                  const RequestBytes& request);

// Sleeps until `from`, then until `to`; returns the CPU time (user and
// system, every thread) the process used between the two.
absl::Duration ProcessCpuBetween(absl::Time from, absl::Time to);

}  // namespace bench

#endif  // BENCH_CALL_LOOP_H_
