// The services' Prometheus metrics over the real binaries: both run with
// --metrics_listen on a free loopback port, are loaded with the reference
// department (security_fixture.h), get accepted, rejected and denied
// calls, and their /metrics, scraped over plain HTTP, count exactly those
// and pass `promtool check metrics`.
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "google/protobuf/any.pb.h"
#include "google/rpc/status.pb.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "tests/metrics/scrape.h"
#include "tests/security/security_fixture.h"
#include "tests/testing/reference_fixture.h"

namespace metrics_test {
namespace {

class MetricsE2eTest : public security_test::SecurityFixture {
 protected:
  std::vector<std::string> ExtraIngestFlags() const override {
    return {"--metrics_listen=127.0.0.1:0"};
  }
  std::vector<std::string> ExtraQueryFlags() const override {
    return {"--metrics_listen=127.0.0.1:0"};
  }

  void SetUp() override {
    SecurityFixture::SetUp();
    ingest_metrics_ = MetricsAddress(*ingest_);
    query_metrics_ = MetricsAddress(*query_);
  }

  std::string ingest_metrics_;
  std::string query_metrics_;
};

// The fatal rule ids an INVALID_ARGUMENT reply lists.
std::set<std::string> FatalRules(const grpc::Status& status) {
  google::rpc::Status details;
  EXPECT_TRUE(details.ParseFromString(status.error_details()));
  std::set<std::string> rules;
  for (const google::protobuf::Any& any : details.details()) {
    budget::v1::ValidationReport report;
    if (!any.UnpackTo(&report)) continue;
    for (const budget::v1::Violation& violation : report.violations()) {
      if (violation.severity() == budget::v1::SEVERITY_FATAL) {
        rules.insert(violation.rule_id());
      }
    }
  }
  return rules;
}

TEST_F(MetricsE2eTest, IngestCountsAcceptedRejectedAndDeniedCalls) {
  const double audited_before =
      Sum(ScrapeChecked(ingest_metrics_), "budget_audit_appends_total",
          {{"result", "ok"}});
  // Rejected: the reference 021001 budget with its income unbalanced.
  budget::v1::SubmitBudgetRequest broken;
  broken.set_request_id("broken");
  *broken.mutable_budget() = e2e_testing::ReferenceBudgets(2023)[0].budget;
  broken.mutable_budget()->mutable_income(0)->set_amount_fen(
      broken.budget().income(0).amount_fen() + 1);
  budget::v1::SubmitBudgetResponse ignored;
  grpc::Status rejected =
      ingest_stub_->SubmitBudget(As("admin").get(), broken, &ignored);
  ASSERT_EQ(rejected.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  std::set<std::string> rules = FatalRules(rejected);
  ASSERT_FALSE(rules.empty());
  // Denied: a submitter of 021001 reading 021002's submission.
  budget::v1::GetSubmissionRequest foreign;
  foreign.set_unit_code("021002");
  foreign.set_fiscal_year(2024);
  budget::v1::Submission submission;
  ASSERT_EQ(
      ingest_stub_->GetSubmission(As("submitter").get(), foreign, &submission)
          .error_code(),
      grpc::StatusCode::PERMISSION_DENIED);

  std::vector<Sample> samples = ScrapeChecked(ingest_metrics_);
  // The fixture stored the six units' budgets of 2023 and 2024.
  EXPECT_EQ(Sum(samples, "budget_submissions_total", {{"outcome", "accepted"}}),
            12);
  EXPECT_EQ(Sum(samples, "budget_submissions_total", {{"outcome", "rejected"}}),
            1);
  std::vector<std::string> counted =
      LabelValues(samples, "budget_submission_rejections_total", "rule_id");
  EXPECT_EQ(std::set<std::string>(counted.begin(), counted.end()), rules);
  EXPECT_EQ(counted.size(), rules.size());

  const std::map<std::string, std::string> submit = {
      {"grpc_service", "budget.v1.IngestService"},
      {"grpc_method", "SubmitBudget"},
      {"grpc_type", "unary"}};
  auto with_code = [&submit](const std::string& code) {
    std::map<std::string, std::string> labels = submit;
    labels["grpc_code"] = code;
    return labels;
  };
  EXPECT_EQ(Sum(samples, "grpc_server_handled_total", with_code("OK")), 12);
  EXPECT_EQ(
      Sum(samples, "grpc_server_handled_total", with_code("INVALID_ARGUMENT")),
      1);
  EXPECT_EQ(Sum(samples, "grpc_server_started_total", submit), 13);
  EXPECT_EQ(Sum(samples, "grpc_server_handling_seconds_count", submit), 13);
  std::map<std::string, std::string> infinite = submit;
  infinite["le"] = "+Inf";
  EXPECT_EQ(Sum(samples, "grpc_server_handling_seconds_bucket", infinite), 13);
  EXPECT_EQ(Sum(samples, "grpc_server_handled_total",
                {{"grpc_method", "GetSubmission"},
                 {"grpc_code", "PERMISSION_DENIED"}}),
            1);

  // Every accepted submission was in exactly one successful transaction.
  const double commits =
      Sum(samples, "budget_commits_total", {{"result", "ok"}});
  EXPECT_GE(commits, 1);
  EXPECT_EQ(Sum(samples, "budget_commit_batch_submissions_count"), commits);
  EXPECT_EQ(Sum(samples, "budget_commit_batch_submissions_sum"), 12);
  EXPECT_EQ(Sum(samples, "budget_commit_duration_seconds_count"), commits);
  EXPECT_EQ(Sum(samples, "budget_consolidated_revision"), loaded_revision());
  EXPECT_EQ(Sum(samples, "budget_ingest_writer"), 1);
  // The rejection and the denial are audited.
  EXPECT_EQ(Sum(samples, "budget_audit_appends_total", {{"result", "ok"}}),
            audited_before + 2);
  EXPECT_EQ(Sum(samples, "budget_audit_appends_total", {{"result", "error"}}),
            0);
}

TEST_F(MetricsE2eTest, QueryCountsReadsCacheAndRevision) {
  budget::v1::GetDisclosureTableRequest table;
  table.set_node_code("021");
  table.set_fiscal_year(2024);
  table.set_table_id("05");
  const double hits_before =
      Sum(ScrapeChecked(query_metrics_), "budget_answer_cache_lookups_total",
          {{"result", "hit"}});
  for (int i = 0; i < 3; ++i) {
    budget::v1::DisclosureTable answer;
    ASSERT_TRUE(
        query_stub_->GetDisclosureTable(As("").get(), table, &answer).ok());
  }
  // Denied: the public reading a year not locked (2023).
  table.set_fiscal_year(2023);
  budget::v1::DisclosureTable answer;
  ASSERT_EQ(query_stub_->GetDisclosureTable(As("public").get(), table, &answer)
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);

  std::vector<Sample> samples = ScrapeChecked(query_metrics_);
  EXPECT_EQ(Sum(samples, "budget_consolidated_revision"), loaded_revision());
  // Caught up: the fixture read the last revision from this replica.
  for (const char* lag :
       {"budget_replica_lag_revisions", "budget_replica_lag_seconds"}) {
    EXPECT_TRUE(std::any_of(samples.begin(), samples.end(),
                            [lag](const Sample& s) { return s.name == lag; }))
        << lag;
  }
  EXPECT_EQ(Sum(samples, "budget_replica_lag_revisions"), 0);
  EXPECT_EQ(Sum(samples, "budget_replica_lag_seconds"), 0);
  // The first of the three may have been built; the other two are hits.
  EXPECT_GE(
      Sum(samples, "budget_answer_cache_lookups_total", {{"result", "hit"}}),
      hits_before + 2);
  EXPECT_GE(
      Sum(samples, "budget_answer_cache_lookups_total", {{"result", "miss"}}),
      1);
  EXPECT_EQ(Sum(samples, "grpc_server_handled_total",
                {{"grpc_service", "budget.v1.QueryService"},
                 {"grpc_method", "GetDisclosureTable"},
                 {"grpc_code", "PERMISSION_DENIED"}}),
            1);
  EXPECT_GE(Sum(samples, "grpc_server_handled_total",
                {{"grpc_method", "GetDisclosureTable"}, {"grpc_code", "OK"}}),
            3);
  EXPECT_GE(Sum(samples, "budget_audit_appends_total", {{"result", "ok"}}), 1);
}

TEST_F(MetricsE2eTest, PrincipalsReloadsAreCounted) {
  ASSERT_EQ(kill(query_->pid(), SIGHUP), 0);
  // The reload runs on the service's main thread after the signal.
  double reloads = 0;
  for (int attempt = 0; attempt < 200 && reloads == 0; ++attempt) {
    usleep(10000);
    reloads = Sum(ScrapeChecked(query_metrics_),
                  "budget_principals_reloads_total", {{"result", "ok"}});
  }
  EXPECT_EQ(reloads, 1);
  EXPECT_EQ(Sum(ScrapeChecked(query_metrics_),
                "budget_principals_reloads_total", {{"result", "error"}}),
            0);
}

}  // namespace
}  // namespace metrics_test
