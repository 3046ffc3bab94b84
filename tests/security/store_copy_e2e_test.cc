// Moving a store (issue 14 item 5): the fixture's SQLite store (the
// reference department, reviews, a lock, audit records) is copied with the
// real budget_store_copy into a new PostgreSQL database; services started
// on the copy serve the same tables and summary, and the audit chain
// verifies there.
#include <signal.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "google/protobuf/util/message_differencer.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "tests/security/security_fixture.h"
#include "tests/testing/postgres_database.h"

namespace security_test {
namespace {

using google::protobuf::util::MessageDifferencer;

const std::vector<std::string> kTables = {"01", "02", "03", "04", "05",
                                          "06", "07", "08", "11"};

class StoreCopyE2eTest : public SecurityFixture {
 protected:
  // Every table and the summary of 021 2024 as an anonymous reader gets
  // them once `revision` is applied.
  static std::map<std::string, std::string> Published(
      budget::v1::QueryService::Stub& query, int64_t revision) {
    std::map<std::string, std::string> out;
    for (const std::string& id : kTables) {
      budget::v1::GetDisclosureTableRequest request;
      request.set_node_code("021");
      request.set_fiscal_year(2024);
      request.set_table_id(id);
      request.mutable_read()->set_min_revision(revision);
      budget::v1::DisclosureTable table;
      grpc::Status status =
          query.GetDisclosureTable(As("").get(), request, &table);
      EXPECT_TRUE(status.ok()) << id << ": " << status.error_message();
      out[id] = table.SerializeAsString();
    }
    budget::v1::GetSummaryRequest request;
    request.set_node_code("021");
    request.set_fiscal_year(2024);
    request.mutable_read()->set_min_revision(revision);
    budget::v1::Summary summary;
    grpc::Status status = query.GetSummary(As("").get(), request, &summary);
    EXPECT_TRUE(status.ok()) << status.error_message();
    out["summary"] = summary.SerializeAsString();
    return out;
  }

  static budget::v1::VerifyAuditTrailResponse Verify(
      budget::v1::AuditService::Stub& audit) {
    budget::v1::VerifyAuditTrailResponse response;
    grpc::Status status = audit.VerifyAuditTrail(
        As("auditor").get(), budget::v1::VerifyAuditTrailRequest(), &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response;
  }
};

TEST_F(StoreCopyE2eTest, ServicesOnTheCopyServeTheSameTablesAndChain) {
  // A refused call, so the trail holds denials as well as writes.
  budget::v1::GetSubmissionRequest foreign;
  foreign.set_unit_code("021002");
  foreign.set_fiscal_year(2024);
  budget::v1::Submission ignored;
  ASSERT_EQ(
      ingest_stub_->GetSubmission(As("submitter").get(), foreign, &ignored)
          .error_code(),
      grpc::StatusCode::PERMISSION_DENIED);
  const std::map<std::string, std::string> before =
      Published(*query_stub_, loaded_revision());
  const budget::v1::VerifyAuditTrailResponse verified = Verify(*audit_stub_);
  ASSERT_EQ(verified.damage(), budget::v1::AUDIT_DAMAGE_NONE);
  query_->Stop(SIGTERM);
  ingest_->Stop(SIGTERM);

  const std::string uri = e2e_testing::FreshPostgresDatabase();
  ASSERT_FALSE(uri.empty());
  const std::string copy = std::string(BUDGET_STORE_COPY_BINARY) +
                           " --from=sqlite:" + store_path() + " --to='" + uri +
                           "' >/dev/null";
  ASSERT_EQ(std::system(copy.c_str()), 0) << copy;

  const std::string dir =
      std::filesystem::path(store_path()).parent_path().string();
  const std::vector<std::string> args = {
      "--store=" + uri, "--insecure", "--principals=" + dir + "/principals.txt",
      "--allow_anonymous_reads", "--shutdown_grace=1s"};
  e2e_testing::ServiceProcess ingest(INGEST_SERVICE_BINARY, args);
  e2e_testing::ServiceProcess query(QUERY_SERVICE_BINARY, args);
  auto query_stub = budget::v1::QueryService::NewStub(query.Channel());
  auto audit_stub = budget::v1::AuditService::NewStub(ingest.Channel());
  // Locks carry no revision of their own: the year is public once the
  // query service has applied the copied lock too (as the fixture waits).
  budget::v1::GetSummaryRequest summary;
  summary.set_node_code("021");
  summary.set_fiscal_year(2024);
  summary.mutable_read()->set_min_revision(loaded_revision());
  budget::v1::Summary ignored_summary;
  for (int attempt = 0;
       attempt < 500 &&
       !query_stub->GetSummary(As("").get(), summary, &ignored_summary).ok();
       ++attempt) {
    usleep(20000);
  }

  const std::map<std::string, std::string> after =
      Published(*query_stub, loaded_revision());
  for (const auto& [id, answer] : before) {
    EXPECT_EQ(after.at(id), answer) << "table " << id << " differs";
  }
  const budget::v1::VerifyAuditTrailResponse moved = Verify(*audit_stub);
  EXPECT_EQ(moved.damage(), budget::v1::AUDIT_DAMAGE_NONE);
  // The copied records and those the services on the copy added since.
  EXPECT_GE(moved.record_count(), verified.record_count());

  // A second copy into the same database is refused.
  EXPECT_NE(std::system(copy.c_str()), 0);
}

}  // namespace
}  // namespace security_test
