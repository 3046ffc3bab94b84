// Runs one kind of call for a fixed time and measures it: `channels`
// connections, `in_flight` callers on each (a caller waits for its call's
// answer before it starts the next), a warm-up whose calls are not
// counted, then a measured window.
//
// A caller is a chain of calls, not a thread: each call's completion, on
// gRPC's callback thread, starts the caller's next call. A thread per
// caller blocked on its answer cost the client a wake-up per call, a third
// of its CPU per SubmitBudget on a machine whose two cores also run the
// servers (docs/benchmarks.md, round 23).
//
// RunCallLoop is thread-compatible; `call` is invoked concurrently from
// gRPC's threads and must be thread-safe.
#ifndef BENCH_CALL_LOOP_H_
#define BENCH_CALL_LOOP_H_

#include <functional>
#include <memory>
#include <string>

#include "absl/functional/any_invocable.h"
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

// Starts one call on `channel` and returns; `done(ok)` runs once, when the
// call ends, with whether it succeeded. `sequence` is unique across the run
// (for request ids).
using CallDone = absl::AnyInvocable<void(bool ok) &&>;
using Call = std::function<void(const std::shared_ptr<grpc::Channel>& channel,
                                int64_t sequence, CallDone done)>;

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
