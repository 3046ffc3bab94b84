#include "storage/audit_trail.h"

#include <sqlite3.h>

#include <filesystem>
#include <memory>
#include <string>

#include "gtest/gtest.h"
#include "tests/testing/scratch_dir.h"

namespace storage {
namespace {

class AuditTrailTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = (e2e_testing::MakeScratchDir() / "budget.db").string();
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
    sqlite3_close(db);
    absl::StatusOr<std::unique_ptr<AuditTrail>> opened =
        AuditTrail::Open("sqlite:" + path_);
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
  std::unique_ptr<AuditTrail> trail_;
};

TEST_F(AuditTrailTest, IntactChainVerifies) {
  for (int i = 0; i < 4; ++i) Append("p");
  auth::ChainCheck check = Verify();
  EXPECT_EQ(check.record_count, 4);
  EXPECT_EQ(check.damage, budget::v1::AUDIT_DAMAGE_NONE);
}

// The next append must not reuse the deleted sequence number and so heal
// the chain: it continues from the head anchor, leaving the gap visible.
TEST_F(AuditTrailTest, DeletedNewestRecordStaysFoundAfterFurtherAppends) {
  for (int i = 0; i < 4; ++i) Append("p");
  Tamper("DELETE FROM audit_records WHERE sequence = 4");
  Append("after-1");
  Append("after-2");
  auth::ChainCheck check = Verify();
  EXPECT_EQ(check.first_bad_sequence, 4);
  EXPECT_EQ(check.damage, budget::v1::AUDIT_DAMAGE_REMOVED);
}

TEST_F(AuditTrailTest, DeletedNewestRecordsStayFoundAfterFurtherAppends) {
  for (int i = 0; i < 5; ++i) Append("p");
  Tamper("DELETE FROM audit_records WHERE sequence >= 3");
  Append("after");
  auth::ChainCheck check = Verify();
  EXPECT_EQ(check.first_bad_sequence, 3);
  EXPECT_EQ(check.damage, budget::v1::AUDIT_DAMAGE_REMOVED);
}

// Removing the anchor too leaves records nothing vouches for the end of:
// verification says so, and appends refuse to invent a new anchor.
TEST_F(AuditTrailTest, RemovedAnchorIsFoundAndNotRewritten) {
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

}  // namespace
}  // namespace storage
