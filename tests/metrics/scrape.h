// Reading a service's Prometheus metrics in tests: the address a service
// prints, an HTTP GET of /metrics, the text format parsed into samples,
// and promtool's verdict.
//
// Functions only; thread-safe except MetricsAddress (reads the service's
// stdout).
#ifndef TESTS_METRICS_SCRAPE_H_
#define TESTS_METRICS_SCRAPE_H_

#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "tests/testing/service_process.h"

namespace metrics_test {

// The HOST:PORT of the "metrics listening on" line `service` prints after
// its "listening on" line (--metrics_listen); fails the test when the line
// is something else.
std::string MetricsAddress(e2e_testing::ServiceProcess& service);

// The body of GET http://ADDRESS/metrics (ADDRESS is HOST:PORT).
absl::StatusOr<std::string> Scrape(const std::string& address);

struct Sample {
  std::string name;  // With any _bucket, _sum or _count suffix.
  std::map<std::string, std::string> labels;
  double value = 0;
};

// Every sample line of an exposition in the text format.
std::vector<Sample> ParseSamples(const std::string& exposition);

// The sum of the samples named `name` whose labels include all of
// `labels`; 0 when none.
double Sum(const std::vector<Sample>& samples, const std::string& name,
           const std::map<std::string, std::string>& labels = {});

// The label values of `label` among samples named `name` with a value > 0.
std::vector<std::string> LabelValues(const std::vector<Sample>& samples,
                                     const std::string& name,
                                     const std::string& label);

// What `promtool check metrics` (PROMTOOL_BINARY) prints about
// `exposition`: "" when it found nothing wrong, else its complaints (and
// its exit status when that is not 0).
std::string PromtoolProblems(const std::string& exposition);

// The samples scraped from `address`, once the scrape succeeded and
// promtool found nothing wrong in it (each a test failure otherwise).
std::vector<Sample> ScrapeChecked(const std::string& address);

}  // namespace metrics_test

#endif  // TESTS_METRICS_SCRAPE_H_
