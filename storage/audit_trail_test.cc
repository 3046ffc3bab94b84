// The audit trail on both backends: SQLite, and PostgreSQL on the test
// cluster.
#include "storage/audit_trail.h"

#include <sqlite3.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "storage/open_store.h"
#include "storage/postgres/pg_connection.h"
#include "tests/testing/postgres_database.h"
#include "tests/testing/scratch_dir.h"

namespace storage {
namespace {

class AuditTrailTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (GetParam() == "sqlite") {
      path_ = (e2e_testing::MakeScratchDir() / "budget.db").string();
      sqlite3* db = nullptr;
      ASSERT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
      sqlite3_close(db);
      spec_ = "sqlite:" + path_;
    } else {
      spec_ = e2e_testing::FreshPostgresDatabase();
      ASSERT_FALSE(spec_.empty());
      ASSERT_TRUE(MigrateStore(spec_).ok());
    }
    absl::StatusOr<std::unique_ptr<AuditTrail>> opened =
        AuditTrail::Open(spec_);
    ASSERT_TRUE(opened.ok()) << opened.status();
    trail_ = std::move(*opened);
  }

  void Append(const std::string& principal) {
    budget::v1::AuditRecord record;
    record.set_principal(principal);
    record.set_method("GetSummary");
    record.set_outcome("OK");
    ASSERT_TRUE(trail_->Append(record).ok());
  }

  // Edits the file behind the trail's back, as someone with write access
  // to it could.
  void Tamper(const std::string& sql) {
    if (IsPostgresUri(spec_)) {
      absl::StatusOr<std::unique_ptr<PgConnection>> conn =
          PgConnection::Connect(spec_);
      ASSERT_TRUE(conn.ok()) << conn.status();
      EXPECT_TRUE((*conn)->Exec(sql).ok());
      return;
    }
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
    char* error = nullptr;
    EXPECT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error),
              SQLITE_OK)
        << (error ? error : "");
    sqlite3_free(error);
    sqlite3_close(db);
  }

  auth::ChainCheck Verify() {
    absl::StatusOr<auth::ChainCheck> check = trail_->Verify();
    EXPECT_TRUE(check.ok()) << check.status();
    return check.ok() ? *check : auth::ChainCheck();
  }

  std::string path_;
  std::string spec_;
  std::unique_ptr<AuditTrail> trail_;
};

INSTANTIATE_TEST_SUITE_P(Backends, AuditTrailTest,
                         ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });

TEST_P(AuditTrailTest, IntactChainVerifies) {
  for (int i = 0; i < 4; ++i) Append("p");
  auth::ChainCheck check = Verify();
  EXPECT_EQ(check.record_count, 4);
  EXPECT_EQ(check.damage, budget::v1::AUDIT_DAMAGE_NONE);
}

// A group commit's records go in together: in the order given, chained
// after the earlier ones.
TEST_P(AuditTrailTest, AppendAllChainsEveryRecordInOrder) {
  Append("before");
  std::vector<budget::v1::AuditRecord> records(3);
  for (int i = 0; i < 3; ++i) {
    records[i].set_principal(absl::StrCat("batch-", i));
    records[i].set_method("SubmitBudget");
    records[i].set_outcome("OK");
  }
  ASSERT_TRUE(trail_->AppendAll(records).ok());
  absl::StatusOr<std::vector<budget::v1::AuditRecord>> listed =
      trail_->List(0, 10);
  ASSERT_TRUE(listed.ok()) << listed.status();
  ASSERT_EQ(listed->size(), 4u);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ((*listed)[i + 1].principal(), absl::StrCat("batch-", i));
    EXPECT_EQ((*listed)[i + 1].sequence(), (*listed)[i].sequence() + 1);
  }
  auth::ChainCheck check = Verify();
  EXPECT_EQ(check.record_count, 4);
  EXPECT_EQ(check.damage, budget::v1::AUDIT_DAMAGE_NONE);
}

// The next append must not reuse the deleted sequence number and so heal
// the chain: it continues from the head anchor, leaving the gap visible.
TEST_P(AuditTrailTest, DeletedNewestRecordStaysFoundAfterFurtherAppends) {
  for (int i = 0; i < 4; ++i) Append("p");
  Tamper("DELETE FROM audit_records WHERE sequence = 4");
  Append("after-1");
  Append("after-2");
  auth::ChainCheck check = Verify();
  EXPECT_EQ(check.first_bad_sequence, 4);
  EXPECT_EQ(check.damage, budget::v1::AUDIT_DAMAGE_REMOVED);
}

TEST_P(AuditTrailTest, DeletedNewestRecordsStayFoundAfterFurtherAppends) {
  for (int i = 0; i < 5; ++i) Append("p");
  Tamper("DELETE FROM audit_records WHERE sequence >= 3");
  Append("after");
  auth::ChainCheck check = Verify();
  EXPECT_EQ(check.first_bad_sequence, 3);
  EXPECT_EQ(check.damage, budget::v1::AUDIT_DAMAGE_REMOVED);
}

// Removing the anchor too leaves records nothing vouches for the end of:
// verification says so, and appends refuse to invent a new anchor.
TEST_P(AuditTrailTest, RemovedAnchorIsFoundAndNotRewritten) {
  for (int i = 0; i < 3; ++i) Append("p");
  Tamper("DELETE FROM audit_records WHERE sequence = 3");
  Tamper("DELETE FROM audit_head");
  auth::ChainCheck check = Verify();
  EXPECT_EQ(check.first_bad_sequence, 3);
  EXPECT_EQ(check.damage, budget::v1::AUDIT_DAMAGE_REMOVED);
  budget::v1::AuditRecord record;
  record.set_principal("after");
  EXPECT_TRUE(absl::IsDataLoss(trail_->Append(record)));
  EXPECT_EQ(Verify().first_bad_sequence, 3);
}

// Two trails on one store, as the two services hold: appends interleave
// into one linear chain.
TEST_P(AuditTrailTest, TwoAppendersKeepOneChain) {
  absl::StatusOr<std::unique_ptr<AuditTrail>> other = AuditTrail::Open(spec_);
  ASSERT_TRUE(other.ok()) << other.status();
  for (int i = 0; i < 3; ++i) {
    Append("ingest");
    budget::v1::AuditRecord record;
    record.set_principal("query");
    ASSERT_TRUE((*other)->Append(record).ok());
  }
  auth::ChainCheck check = Verify();
  EXPECT_EQ(check.record_count, 6);
  EXPECT_EQ(check.damage, budget::v1::AUDIT_DAMAGE_NONE);
  absl::StatusOr<std::vector<budget::v1::AuditRecord>> listed =
      (*other)->List(4, 10);
  ASSERT_TRUE(listed.ok()) << listed.status();
  ASSERT_EQ(listed->size(), 2u);
  EXPECT_EQ((*listed)[0].sequence(), 5);
  EXPECT_EQ((*listed)[1].principal(), "query");
}

// The query service's trail (kQuerier): its records are in the chain the
// writer's trail lists and verifies, in order (on PostgreSQL queued, then
// chained by that List).
TEST_P(AuditTrailTest, AQueriersRecordsAreListedByTheWriter) {
  absl::StatusOr<std::unique_ptr<AuditTrail>> querier =
      AuditTrail::Open(spec_, AuditAppender::kQuerier);
  ASSERT_TRUE(querier.ok()) << querier.status();
  Append("ingest");
  for (int i = 0; i < 2; ++i) {
    budget::v1::AuditRecord record;
    record.set_principal(absl::StrCat("query-", i));
    record.set_outcome("PERMISSION_DENIED");
    ASSERT_TRUE((*querier)->Append(record).ok());
  }
  absl::StatusOr<std::vector<budget::v1::AuditRecord>> listed =
      trail_->List(0, 10);
  ASSERT_TRUE(listed.ok()) << listed.status();
  ASSERT_EQ(listed->size(), 3u);
  EXPECT_EQ((*listed)[1].principal(), "query-0");
  EXPECT_EQ((*listed)[2].principal(), "query-1");
  EXPECT_EQ((*listed)[2].sequence(), 3);
  auth::ChainCheck check = Verify();
  EXPECT_EQ(check.record_count, 3);
  EXPECT_EQ(check.damage, budget::v1::AUDIT_DAMAGE_NONE);
}

}  // namespace
}  // namespace storage
