#include "ingest_service/ingest_metrics.h"

#include <set>
#include <string>

namespace ingest {
namespace {

using prometheus::BuildCounter;
using prometheus::BuildHistogram;
using prometheus::Histogram;

prometheus::Family<prometheus::Counter>& Submissions(
    prometheus::Registry& registry) {
  return BuildCounter()
      .Name("budget_submissions_total")
      .Help(
          "Budget submissions to store (not dry runs), by outcome: "
          "accepted (stored durably), rejected (rules broke), failed")
      .Register(registry);
}

prometheus::Family<prometheus::Counter>& Commits(
    prometheus::Registry& registry) {
  return BuildCounter()
      .Name("budget_commits_total")
      .Help("Store transactions of queued submissions, by result")
      .Register(registry);
}

}  // namespace

IngestMetrics::IngestMetrics(prometheus::Registry& registry)
    : accepted_(Submissions(registry).Add({{"outcome", "accepted"}})),
      rejected_(Submissions(registry).Add({{"outcome", "rejected"}})),
      failed_(Submissions(registry).Add({{"outcome", "failed"}})),
      rejections_(BuildCounter()
                      .Name("budget_submission_rejections_total")
                      .Help("Rejected submissions per fatal rule they broke")
                      .Register(registry)),
      // Group commit: up to as many submissions as callers wait at once.
      batch_submissions_(
          BuildHistogram()
              .Name("budget_commit_batch_submissions")
              .Help("Submissions stored per store transaction")
              .Register(registry)
              .Add({}, Histogram::BucketBoundaries{1, 2, 4, 8, 16, 32, 64, 128,
                                                   256, 512})),
      commit_seconds_(
          BuildHistogram()
              .Name("budget_commit_duration_seconds")
              .Help("Duration of one store transaction, durable sync included")
              .Register(registry)
              .Add({}, Histogram::BucketBoundaries{0.0005, 0.001, 0.0025, 0.005,
                                                   0.01, 0.025, 0.05, 0.1, 0.25,
                                                   0.5, 1, 2.5, 5})),
      commits_ok_(Commits(registry).Add({{"result", "ok"}})),
      commits_failed_(Commits(registry).Add({{"result", "error"}})) {}

void IngestMetrics::Submitted(const absl::Status& status,
                              const budget::v1::ValidationReport& report) {
  if (status.ok()) {
    accepted_.Increment();
    return;
  }
  std::set<std::string> rules;
  for (const budget::v1::Violation& violation : report.violations()) {
    if (violation.severity() == budget::v1::SEVERITY_FATAL) {
      rules.insert(violation.rule_id());
    }
  }
  for (const budget::v1::OmittedFindings& omitted : report.omitted()) {
    if (omitted.severity() == budget::v1::SEVERITY_FATAL) {
      rules.insert(omitted.rule_id());
    }
  }
  if (rules.empty()) {
    failed_.Increment();
    return;
  }
  rejected_.Increment();
  for (const std::string& rule : rules) {
    rejections_.Add({{"rule_id", rule}}).Increment();
  }
}

void IngestMetrics::Committed(size_t submissions, absl::Duration latency,
                              const absl::Status& status) {
  batch_submissions_.Observe(static_cast<double>(submissions));
  commit_seconds_.Observe(absl::ToDoubleSeconds(latency));
  (status.ok() ? commits_ok_ : commits_failed_).Increment();
}

}  // namespace ingest
