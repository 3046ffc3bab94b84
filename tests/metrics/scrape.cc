#include "tests/metrics/scrape.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"
#include "gtest/gtest.h"

namespace metrics_test {

std::string MetricsAddress(e2e_testing::ServiceProcess& service) {
  constexpr absl::string_view kPrefix = "metrics listening on ";
  std::string line = service.ReadLine();
  EXPECT_TRUE(absl::StartsWith(line, kPrefix)) << line;
  return std::string(absl::StripPrefix(line, kPrefix));
}

absl::StatusOr<std::string> Scrape(const std::string& address) {
  std::string host = address.substr(0, address.rfind(':'));
  int port = 0;
  if (!absl::SimpleAtoi(address.substr(address.rfind(':') + 1), &port)) {
    return absl::InvalidArgumentError(absl::StrCat("bad address ", address));
  }
  sockaddr_in peer{};
  peer.sin_family = AF_INET;
  peer.sin_port = htons(port);
  if (inet_pton(AF_INET, host.c_str(), &peer.sin_addr) != 1) {
    return absl::InvalidArgumentError(absl::StrCat("bad host ", host));
  }
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0 ||
      connect(fd, reinterpret_cast<sockaddr*>(&peer), sizeof(peer)) != 0) {
    if (fd >= 0) close(fd);
    return absl::UnavailableError(absl::StrCat("cannot connect to ", address));
  }
  // HTTP/1.0: the server closes the connection after the body.
  std::string request =
      absl::StrCat("GET /metrics HTTP/1.0\r\nHost: ", address, "\r\n\r\n");
  if (write(fd, request.data(), request.size()) !=
      static_cast<ssize_t>(request.size())) {
    close(fd);
    return absl::UnavailableError("cannot send the request");
  }
  std::string response;
  char buffer[8192];
  ssize_t n;
  while ((n = read(fd, buffer, sizeof(buffer))) > 0) response.append(buffer, n);
  close(fd);
  if (!absl::StartsWith(response, "HTTP/1.1 200") &&
      !absl::StartsWith(response, "HTTP/1.0 200")) {
    return absl::UnavailableError(
        absl::StrCat("not 200: ", response.substr(0, response.find('\r'))));
  }
  size_t body = response.find("\r\n\r\n");
  if (body == std::string::npos) return absl::DataLossError("no body");
  return response.substr(body + 4);
}

std::vector<Sample> ParseSamples(const std::string& exposition) {
  std::vector<Sample> samples;
  for (absl::string_view line : absl::StrSplit(exposition, '\n')) {
    if (line.empty() || line[0] == '#') continue;
    Sample sample;
    size_t brace = line.find('{');
    size_t space = line.rfind(' ');
    if (space == absl::string_view::npos) continue;
    if (brace != absl::string_view::npos && brace < space) {
      sample.name = std::string(line.substr(0, brace));
      size_t close = line.rfind('}');
      // Label values of this project hold no commas or quotes.
      for (absl::string_view pair :
           absl::StrSplit(line.substr(brace + 1, close - brace - 1), ',',
                          absl::SkipEmpty())) {
        std::pair<std::string, std::string> kv =
            absl::StrSplit(pair, absl::MaxSplits('=', 1));
        sample.labels[kv.first] = std::string(
            absl::StripSuffix(absl::StripPrefix(kv.second, "\""), "\""));
      }
    } else {
      sample.name = std::string(line.substr(0, space));
    }
    if (!absl::SimpleAtod(line.substr(space + 1), &sample.value)) continue;
    samples.push_back(std::move(sample));
  }
  return samples;
}

double Sum(const std::vector<Sample>& samples, const std::string& name,
           const std::map<std::string, std::string>& labels) {
  double sum = 0;
  for (const Sample& sample : samples) {
    if (sample.name != name) continue;
    bool match = true;
    for (const auto& [key, value] : labels) {
      auto found = sample.labels.find(key);
      match = match && found != sample.labels.end() && found->second == value;
    }
    if (match) sum += sample.value;
  }
  return sum;
}

std::vector<std::string> LabelValues(const std::vector<Sample>& samples,
                                     const std::string& name,
                                     const std::string& label) {
  std::vector<std::string> values;
  for (const Sample& sample : samples) {
    auto found = sample.labels.find(label);
    if (sample.name == name && sample.value > 0 &&
        found != sample.labels.end()) {
      values.push_back(found->second);
    }
  }
  return values;
}

std::string PromtoolProblems(const std::string& exposition) {
  char dir[] = "/tmp/promtool_XXXXXX";
  if (mkdtemp(dir) == nullptr) return "cannot make a temporary directory";
  std::string input = absl::StrCat(dir, "/metrics.txt");
  std::string output = absl::StrCat(dir, "/promtool.txt");
  std::ofstream(input) << exposition;
  int status = std::system(absl::StrCat(PROMTOOL_BINARY, " check metrics < ",
                                        input, " > ", output, " 2>&1")
                               .c_str());
  std::stringstream printed;
  printed << std::ifstream(output).rdbuf();
  std::system(absl::StrCat("rm -rf ", dir).c_str());
  std::string problems = printed.str();
  if (status != 0) {
    absl::StrAppend(&problems, "promtool exit status ", status);
  }
  return problems;
}

std::vector<Sample> ScrapeChecked(const std::string& address) {
  absl::StatusOr<std::string> scraped = Scrape(address);
  EXPECT_TRUE(scraped.ok()) << scraped.status();
  if (!scraped.ok()) return {};
  EXPECT_EQ(PromtoolProblems(*scraped), "") << *scraped;
  return ParseSamples(*scraped);
}

}  // namespace metrics_test
