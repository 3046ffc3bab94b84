// The Prometheus metrics of a service: one registry every part of the
// service records into, values computed at each scrape (gauges such as the
// consolidated revision, counters kept elsewhere such as the answer cache's
// hits), and the HTTP endpoint that serves them in the text format at
// http://HOST:PORT/metrics (--metrics_listen; off when empty).
//
// Metric names follow Prometheus conventions: base units (_seconds,
// _bytes), _total on counters, the project's own metrics prefixed
// "budget_" (server_common/call_metrics.h names the per-call ones like
// go-grpc-prometheus does, so existing dashboards fit).
//
// Owns the registry, the callbacks and the HTTP server (its threads). The
// callbacks run on the HTTP server's threads, so they must be thread-safe
// and what they read must outlive the serving (StopServing).
// Thread-safe, except Expose and StopServing, which main calls once each.
//
// Usage in main: Metrics metrics(absl::GetFlag(FLAGS_metrics_listen));
// record into it, start the server with CallMetricsInterceptors(metrics),
// then metrics.Expose(); at the end, metrics.StopServing().
#ifndef SERVER_COMMON_METRICS_H_
#define SERVER_COMMON_METRICS_H_

#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/flags/declare.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "prometheus/collectable.h"
#include "prometheus/registry.h"

// HOST:PORT to serve /metrics on over plain HTTP (port 0 picks a free one);
// empty, the default, serves none.
ABSL_DECLARE_FLAG(std::string, metrics_listen);

namespace prometheus {
class Exposer;
}  // namespace prometheus

namespace server_common {

class Metrics {
 public:
  // One sample of a metric computed at scrape time: its label values, in
  // the order the metric's label names were given, and its value.
  struct Sample {
    std::vector<std::string> label_values;
    double value = 0;
  };
  using SampleFunction = std::function<std::vector<Sample>()>;

  // Metrics to be served on `listen` (HOST:PORT) once exposed; none are
  // served when it is empty (--metrics_listen's default).
  explicit Metrics(std::string listen);
  ~Metrics();

  Metrics(const Metrics&) = delete;
  Metrics& operator=(const Metrics&) = delete;

  // Where metrics that are counted as they happen are registered.
  prometheus::Registry& registry() { return *registry_; }

  // A gauge whose value `value` computes at each scrape.
  void AddGaugeFunction(const std::string& name, const std::string& help,
                        std::function<double()> value);
  // A counter (name ending in _total) with labels `label_names`, whose
  // samples `samples` computes at each scrape from totals kept elsewhere.
  void AddCounterFunction(const std::string& name, const std::string& help,
                          std::vector<std::string> label_names,
                          SampleFunction samples);

  // Whether metrics are served at all: when not, recorders that cost
  // every call something (the call interceptor) are left out.
  bool enabled() const { return !listen_.empty(); }

  // When enabled, serves /metrics and prints "metrics listening on
  // HOST:PORT" on stdout (port 0 picks one; tests read it from that line,
  // printed after the service's own "listening on" line because main
  // exposes once the service runs). UNAVAILABLE when it cannot bind.
  absl::Status Expose();
  // Stops serving: once it returns, no callback runs any more. Main calls
  // it before it destroys what the callbacks read.
  void StopServing();

 private:
  class Functions;  // The Collectable of the *Function metrics.

  const std::string listen_;
  std::shared_ptr<prometheus::Registry> registry_;
  std::shared_ptr<Functions> functions_;
  std::unique_ptr<prometheus::Exposer> exposer_;
};

}  // namespace server_common

#endif  // SERVER_COMMON_METRICS_H_
