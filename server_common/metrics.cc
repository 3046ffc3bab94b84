#include "server_common/metrics.h"

#include <cstdio>
#include <exception>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "prometheus/exposer.h"
#include "prometheus/metric_family.h"

ABSL_FLAG(std::string, metrics_listen, "",
          "HOST:PORT to serve Prometheus metrics on at /metrics, plain HTTP "
          "(keep it on a private address); empty serves none "
          "(docs/deploy.md lists the metrics)");

namespace server_common {

// Computes the *Function metrics at each scrape. Thread-safe: the HTTP
// server scrapes on its own threads while main may still add metrics.
class Metrics::Functions : public prometheus::Collectable {
 public:
  struct Entry {
    prometheus::MetricFamily family;  // Name, help and type; no samples.
    std::vector<std::string> label_names;
    SampleFunction samples;
  };

  void Add(Entry entry) {
    absl::MutexLock lock(&mu_);
    entries_.push_back(std::move(entry));
  }

  std::vector<prometheus::MetricFamily> Collect() const override {
    absl::MutexLock lock(&mu_);
    std::vector<prometheus::MetricFamily> families;
    for (const Entry& entry : entries_) {
      prometheus::MetricFamily family = entry.family;
      for (const Sample& sample : entry.samples()) {
        prometheus::ClientMetric metric;
        for (size_t i = 0;
             i < entry.label_names.size() && i < sample.label_values.size();
             ++i) {
          metric.label.push_back(
              {entry.label_names[i], sample.label_values[i]});
        }
        if (family.type == prometheus::MetricType::Counter) {
          metric.counter.value = sample.value;
        } else {
          metric.gauge.value = sample.value;
        }
        family.metric.push_back(std::move(metric));
      }
      families.push_back(std::move(family));
    }
    return families;
  }

 private:
  mutable absl::Mutex mu_;
  std::vector<Entry> entries_ ABSL_GUARDED_BY(mu_);
};

Metrics::Metrics(std::string listen)
    : listen_(std::move(listen)),
      registry_(std::make_shared<prometheus::Registry>()),
      functions_(std::make_shared<Functions>()) {}

// The exposer goes first: no scrape may run once the rest is gone.
Metrics::~Metrics() { StopServing(); }

void Metrics::StopServing() { exposer_.reset(); }

void Metrics::AddGaugeFunction(const std::string& name, const std::string& help,
                               std::function<double()> value) {
  functions_->Add({{name, help, prometheus::MetricType::Gauge, {}},
                   {},
                   [value = std::move(value)] {
                     return std::vector<Sample>{{{}, value()}};
                   }});
}

void Metrics::AddCounterFunction(const std::string& name,
                                 const std::string& help,
                                 std::vector<std::string> label_names,
                                 SampleFunction samples) {
  functions_->Add({{name, help, prometheus::MetricType::Counter, {}},
                   std::move(label_names),
                   std::move(samples)});
}

absl::Status Metrics::Expose() {
  if (!enabled()) return absl::OkStatus();
  try {
    exposer_ = std::make_unique<prometheus::Exposer>(listen_);
  } catch (const std::exception& e) {
    // civetweb's CivetServer throws when it cannot bind.
    return absl::UnavailableError(
        absl::StrCat("cannot serve metrics on ", listen_, ": ", e.what()));
  }
  std::vector<int> ports = exposer_->GetListeningPorts();
  if (ports.empty()) {
    exposer_.reset();
    return absl::UnavailableError(
        absl::StrCat("cannot serve metrics on ", listen_));
  }
  exposer_->RegisterCollectable(registry_);
  exposer_->RegisterCollectable(functions_);
  std::string host = listen_.substr(0, listen_.rfind(':'));
  absl::PrintF("metrics listening on %s:%d\n", host, ports.front());
  std::fflush(stdout);
  return absl::OkStatus();
}

}  // namespace server_common
