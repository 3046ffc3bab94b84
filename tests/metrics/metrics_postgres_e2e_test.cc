// The metrics only a PostgreSQL deployment shows, over the real binaries on
// the throwaway cluster: two ingest services on one store (the writer's
// budget_ingest_writer is 1, the standby's 0) and a query replica that
// follows by LISTEN/NOTIFY, whose lag gauges are back to 0 once it has
// applied the revision the last submission acknowledged. Every scrape
// passes promtool.
#include <string>
#include <vector>

#include "budget/v1/ingest_service.grpc.pb.h"
#include "budget/v1/query_service.grpc.pb.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "storage/open_store.h"
#include "tests/metrics/scrape.h"
#include "tests/testing/postgres_database.h"
#include "tests/testing/reference_fixture.h"
#include "tests/testing/service_process.h"

namespace metrics_test {
namespace {

TEST(MetricsPostgresE2eTest, WriterStandbyAndReplicaLag) {
  const std::string uri = e2e_testing::FreshPostgresDatabase();
  ASSERT_FALSE(uri.empty());
  absl::StatusOr<std::string> migrated = storage::MigrateStore(uri);
  ASSERT_TRUE(migrated.ok()) << migrated.status();
  const std::vector<std::string> args = {"--store=" + uri, "--insecure",
                                         "--shutdown_grace=1s",
                                         "--metrics_listen=127.0.0.1:0"};
  // The first one takes the writer lease before it serves.
  e2e_testing::ServiceProcess writer(INGEST_SERVICE_BINARY, args);
  const std::string writer_metrics = MetricsAddress(writer);
  e2e_testing::ServiceProcess standby(INGEST_SERVICE_BINARY, args);
  const std::string standby_metrics = MetricsAddress(standby);
  e2e_testing::ServiceProcess query(QUERY_SERVICE_BINARY, args);
  const std::string query_metrics = MetricsAddress(query);

  auto ingest = budget::v1::IngestService::NewStub(writer.Channel());
  for (const budget::v1::Unit& unit : e2e_testing::ReferenceUnits()) {
    budget::v1::RegisterUnitRequest request;
    *request.mutable_unit() = unit;
    budget::v1::RegisterUnitResponse response;
    grpc::ClientContext context;
    ASSERT_TRUE(ingest->RegisterUnit(&context, request, &response).ok());
  }
  int64_t revision = 0;
  int submitted = 0;
  for (const e2e_testing::ReferenceBudget& file :
       e2e_testing::ReferenceBudgets(2024)) {
    budget::v1::SubmitBudgetRequest request;
    request.set_request_id(file.path);
    *request.mutable_budget() = file.budget;
    budget::v1::SubmitBudgetResponse response;
    grpc::ClientContext context;
    grpc::Status status = ingest->SubmitBudget(&context, request, &response);
    ASSERT_TRUE(status.ok()) << file.path << ": " << status.error_message();
    revision = response.consolidated_revision();
    ++submitted;
  }
  // Answered once the replica has applied `revision`.
  budget::v1::GetSummaryRequest summary;
  summary.set_node_code("021");
  summary.set_fiscal_year(2024);
  summary.mutable_read()->set_min_revision(revision);
  budget::v1::Summary answer;
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::seconds(30));
  grpc::Status read = budget::v1::QueryService::NewStub(query.Channel())
                          ->GetSummary(&context, summary, &answer);
  ASSERT_TRUE(read.ok()) << read.error_message();

  std::vector<Sample> samples = ScrapeChecked(writer_metrics);
  EXPECT_EQ(Sum(samples, "budget_ingest_writer"), 1);
  EXPECT_EQ(Sum(samples, "budget_consolidated_revision"), revision);
  EXPECT_EQ(Sum(samples, "budget_submissions_total", {{"outcome", "accepted"}}),
            submitted);
  EXPECT_EQ(Sum(samples, "budget_commit_batch_submissions_sum"), submitted);

  samples = ScrapeChecked(standby_metrics);
  EXPECT_EQ(Sum(samples, "budget_ingest_writer"), 0);
  EXPECT_EQ(Sum(samples, "budget_submissions_total"), 0);

  samples = ScrapeChecked(query_metrics);
  EXPECT_EQ(Sum(samples, "budget_consolidated_revision"), revision);
  EXPECT_EQ(Sum(samples, "budget_replica_lag_revisions"), 0);
  EXPECT_EQ(Sum(samples, "budget_replica_lag_seconds"), 0);
  EXPECT_EQ(Sum(samples, "grpc_server_handled_total",
                {{"grpc_method", "GetSummary"}, {"grpc_code", "OK"}}),
            1);
}

}  // namespace
}  // namespace metrics_test
