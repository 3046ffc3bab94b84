// Latency percentiles and throughput of a benchmark run, printed as one
// "key=value ..." line that bench/run.sh parses.
//
// Plain values and pure functions; thread-compatible.
#ifndef BENCH_LATENCY_STATS_H_
#define BENCH_LATENCY_STATS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace bench {

struct LatencySummary {
  int64_t calls = 0;
  int64_t errors = 0;
  double per_second = 0;  // Successful calls per second of the window.
  absl::Duration p50, p90, p99, max;
  // CPU time the whole client process used during the window (every
  // thread's user and system time), or zero when not measured.
  absl::Duration client_cpu;
};

// `latencies` of the successful calls made during `window`; sorts them.
LatencySummary Summarize(std::vector<absl::Duration>& latencies, int64_t errors,
                         absl::Duration window);

// "name=NAME calls=.. errors=.. per_second=.. p50_us=.. p90_us=.. p99_us=..
// max_us=.. client_cpu_us_per_call=.." (the last 0 when not measured)
std::string FormatSummary(absl::string_view name,
                          const LatencySummary& summary);

}  // namespace bench

#endif  // BENCH_LATENCY_STATS_H_
