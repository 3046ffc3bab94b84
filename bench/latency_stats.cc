#include "bench/latency_stats.h"

#include <algorithm>

#include "absl/strings/str_format.h"

namespace bench {
namespace {

// Nearest-rank percentile of sorted, non-empty `values`.
absl::Duration Percentile(const std::vector<absl::Duration>& values,
                          double fraction) {
  size_t rank = static_cast<size_t>(fraction * values.size());
  return values[std::min(rank, values.size() - 1)];
}

}  // namespace

LatencySummary Summarize(std::vector<absl::Duration>& latencies, int64_t errors,
                         absl::Duration window) {
  LatencySummary summary;
  summary.calls = static_cast<int64_t>(latencies.size());
  summary.errors = errors;
  if (latencies.empty()) return summary;
  std::sort(latencies.begin(), latencies.end());
  summary.per_second = summary.calls / absl::ToDoubleSeconds(window);
  summary.p50 = Percentile(latencies, 0.50);
  summary.p90 = Percentile(latencies, 0.90);
  summary.p99 = Percentile(latencies, 0.99);
  summary.max = latencies.back();
  return summary;
}

std::string FormatSummary(absl::string_view name,
                          const LatencySummary& summary) {
  return absl::StrFormat(
      "name=%s calls=%d errors=%d per_second=%.1f p50_us=%.1f p90_us=%.1f "
      "p99_us=%.1f max_us=%.1f client_cpu_us_per_call=%.1f",
      name, summary.calls, summary.errors, summary.per_second,
      absl::ToDoubleMicroseconds(summary.p50),
      absl::ToDoubleMicroseconds(summary.p90),
      absl::ToDoubleMicroseconds(summary.p99),
      absl::ToDoubleMicroseconds(summary.max),
      summary.calls == 0
          ? 0.0
          : absl::ToDoubleMicroseconds(summary.client_cpu) / summary.calls);
}

}  // namespace bench
