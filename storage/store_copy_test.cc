#include "storage/store_copy.h"

#include <memory>
#include <string>

#include "gmock/gmock.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "storage/audit_trail.h"
#include "storage/open_store.h"
#include "tests/testing/postgres_database.h"
#include "tests/testing/scratch_dir.h"

namespace storage {
namespace {

using google::protobuf::util::MessageDifferencer;
using ::testing::HasSubstr;

class StoreCopyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    from_ = "sqlite:" + (e2e_testing::MakeScratchDir() / "budget.db").string();
    to_ = e2e_testing::FreshPostgresDatabase();
    ASSERT_FALSE(to_.empty());
    absl::StatusOr<std::unique_ptr<BudgetStore>> store = OpenStore(from_);
    ASSERT_TRUE(store.ok()) << store.status();
    budget::v1::Unit dept;
    dept.set_code("021");
    dept.set_name("郑州市工业和信息化局");
    dept.set_kind(budget::v1::UNIT_KIND_GROUP);
    budget::v1::Unit office = dept;
    office.set_code("021001");
    office.set_parent_code("021");
    ASSERT_TRUE((*store)->AddUnit(dept).ok());
    ASSERT_TRUE((*store)->AddUnit(office).ok());
    for (int64_t revision = 1; revision <= 2; ++revision) {
      NewSubmission s;
      s.metadata.set_unit_code("021001");
      s.metadata.set_fiscal_year(2024);
      s.metadata.set_revision(revision);
      s.metadata.set_consolidated_revision(revision);
      s.metadata.set_request_id("request-" + std::to_string(revision));
      s.metadata.set_submitted_by("submitter");
      s.metadata.mutable_submitted_at()->set_seconds(1'700'000'000 + revision);
      s.metadata.add_warnings()->set_rule_id("BGT-W001");
      s.metadata.set_stage(budget::v1::BUDGET_STAGE_SUBMISSION);
      budget::v1::UnitBudget budget;
      budget.set_unit_code("021001");
      budget.set_fiscal_year(2024);
      budget.add_income()->set_amount_fen(100 * revision);
      s.payload = budget.SerializeAsString();
      s.response = "answer " + std::to_string(revision);
      budget::v1::NodeTotals totals;
      totals.set_node_code("021");
      totals.set_fiscal_year(2024);
      totals.set_income_fen(100 * revision);
      s.totals = {totals};
      ASSERT_TRUE((*store)->CommitSubmission(s).ok());
    }
    budget::v1::Review review;
    review.set_unit_code("021001");
    review.set_fiscal_year(2024);
    review.set_revision(2);
    review.set_decision(budget::v1::REVIEW_DECISION_APPROVED);
    review.set_comment("同意");
    review.set_reviewer("reviewer");
    ASSERT_TRUE((*store)->AddReview(review).ok());
    ASSERT_TRUE((*store)->AddLock({"021", 2024, "finance", 7, 2}).ok());
    ASSERT_TRUE((*store)
                    ->CommitCycleRecords(
                        {{3, "cycle-1", "021", 2024, "figures", "issued"}})
                    .ok());
    absl::StatusOr<std::unique_ptr<AuditTrail>> trail = AuditTrail::Open(from_);
    ASSERT_TRUE(trail.ok()) << trail.status();
    for (const char* principal : {"admin", "reviewer", "public"}) {
      budget::v1::AuditRecord record;
      record.set_principal(principal);
      record.set_method("SubmitBudget");
      record.set_outcome("OK");
      ASSERT_TRUE((*trail)->Append(record).ok());
    }
  }

  static std::unique_ptr<BudgetStore> Open(const std::string& spec) {
    absl::StatusOr<std::unique_ptr<BudgetStore>> store = OpenStore(spec);
    EXPECT_TRUE(store.ok()) << store.status();
    return store.ok() ? *std::move(store) : nullptr;
  }

  static std::vector<budget::v1::AuditRecord> Audit(const std::string& spec) {
    absl::StatusOr<std::unique_ptr<AuditTrail>> trail = AuditTrail::Open(spec);
    EXPECT_TRUE(trail.ok()) << trail.status();
    if (!trail.ok()) return {};
    absl::StatusOr<std::vector<budget::v1::AuditRecord>> records =
        (*trail)->List(0, 1000);
    EXPECT_TRUE(records.ok()) << records.status();
    return records.ok() ? *records : std::vector<budget::v1::AuditRecord>();
  }

  std::string from_;
  std::string to_;
};

TEST_F(StoreCopyTest, CopiesEveryRowSoBothStoresAnswerAlike) {
  absl::StatusOr<CopiedRows> copied = CopySqliteToPostgres(from_, to_);
  ASSERT_TRUE(copied.ok()) << copied.status();
  EXPECT_EQ((*copied)["units"], 2);
  EXPECT_EQ((*copied)["submissions"], 2);
  EXPECT_EQ((*copied)["reviews"], 1);
  EXPECT_EQ((*copied)["locks"], 1);
  EXPECT_EQ((*copied)["cycle_records"], 1);
  EXPECT_EQ((*copied)["audit_records"], 3);
  EXPECT_EQ((*copied)["audit_head"], 1);

  std::unique_ptr<BudgetStore> source = Open(from_);
  std::unique_ptr<BudgetStore> copy = Open(to_);
  ASSERT_TRUE(source != nullptr && copy != nullptr);
  std::vector<budget::v1::Unit> units = *source->LoadUnits();
  std::vector<budget::v1::Unit> copied_units = *copy->LoadUnits();
  ASSERT_EQ(copied_units.size(), units.size());
  for (size_t i = 0; i < units.size(); ++i) {
    EXPECT_TRUE(MessageDifferencer::Equals(units[i], copied_units[i]));
  }
  std::vector<budget::v1::Submission> revisions =
      *source->ListSubmissions("021001", 2024, true);
  std::vector<budget::v1::Submission> copied_revisions =
      *copy->ListSubmissions("021001", 2024, true);
  ASSERT_EQ(copied_revisions.size(), 2u);
  for (size_t i = 0; i < revisions.size(); ++i) {
    EXPECT_TRUE(MessageDifferencer::Equals(revisions[i], copied_revisions[i]))
        << copied_revisions[i].DebugString();
  }
  EXPECT_EQ(copied_revisions[1].reviews(0).comment(), "同意");
  absl::StatusOr<std::optional<StoredRequest>> request =
      copy->FindRequest("request-2");
  ASSERT_TRUE(request.ok() && request->has_value());
  EXPECT_EQ((*request)->response, "answer 2");
  EXPECT_EQ(copy->LoadLocks()->front().locked_by, "finance");
  EXPECT_EQ(copy->GetNodeTotals("021", 2024)->income_fen(), 200);
  EXPECT_EQ(*copy->ConsolidatedRevision(), 3);
  std::vector<std::string> records;
  ASSERT_TRUE(copy->VisitCycleRecords([&](absl::string_view payload) {
                    records.emplace_back(payload);
                    return absl::OkStatus();
                  })
                  .ok());
  EXPECT_EQ(records, std::vector<std::string>{"figures"});
  EXPECT_EQ((*copy->FindRequest("cycle-1"))->response, "issued");

  std::vector<budget::v1::AuditRecord> audit = Audit(from_);
  std::vector<budget::v1::AuditRecord> copied_audit = Audit(to_);
  ASSERT_EQ(copied_audit.size(), 3u);
  for (size_t i = 0; i < audit.size(); ++i) {
    EXPECT_TRUE(MessageDifferencer::Equals(audit[i], copied_audit[i]));
  }
  // The chain verifies on the copy and goes on from where it was.
  absl::StatusOr<std::unique_ptr<AuditTrail>> trail = AuditTrail::Open(to_);
  ASSERT_TRUE(trail.ok()) << trail.status();
  budget::v1::AuditRecord next;
  next.set_principal("after the move");
  ASSERT_TRUE((*trail)->Append(next).ok());
  absl::StatusOr<auth::ChainCheck> check = (*trail)->Verify();
  ASSERT_TRUE(check.ok()) << check.status();
  EXPECT_EQ(check->record_count, 4);
  EXPECT_EQ(check->damage, budget::v1::AUDIT_DAMAGE_NONE);
  // New revisions continue the copied sequence.
  NewSubmission third;
  third.metadata.set_unit_code("021001");
  third.metadata.set_fiscal_year(2024);
  third.metadata.set_revision(3);
  third.metadata.set_consolidated_revision(4);
  third.metadata.set_request_id("request-3");
  EXPECT_TRUE(copy->CommitSubmission(third).ok());
}

TEST_F(StoreCopyTest, RefusesATargetThatHoldsRows) {
  ASSERT_TRUE(CopySqliteToPostgres(from_, to_).ok());
  absl::StatusOr<CopiedRows> again = CopySqliteToPostgres(from_, to_);
  EXPECT_TRUE(absl::IsFailedPrecondition(again.status())) << again.status();
  EXPECT_THAT(again.status().message(), HasSubstr("is not empty (rows in "));
  EXPECT_EQ(Audit(to_).size(), 3u);  // Nothing copied twice.
}

// A text column holding bytes that are not UTF-8 (an audit record of an
// ingest service before 1381a4b could) is named, row and column, and the
// target is left empty.
TEST_F(StoreCopyTest, NamesATextThatIsNotUtf8AndCopiesNothing) {
  {
    absl::StatusOr<std::unique_ptr<AuditTrail>> trail = AuditTrail::Open(from_);
    ASSERT_TRUE(trail.ok()) << trail.status();
    budget::v1::AuditRecord record;
    record.set_principal("admin");
    record.set_method("RegisterUnit");
    record.set_node_code("\x90\xF5\xE7\x1D");
    record.set_outcome("OK");
    ASSERT_TRUE((*trail)->Append(record).ok());
  }
  absl::StatusOr<CopiedRows> copied = CopySqliteToPostgres(from_, to_);
  EXPECT_TRUE(absl::IsFailedPrecondition(copied.status())) << copied.status();
  EXPECT_THAT(copied.status().message(),
              HasSubstr("audit_records row 4: node_code is not UTF-8 (byte 1 "
                        "of 4)"));
  EXPECT_TRUE(Audit(to_).empty());
}

TEST_F(StoreCopyTest, RefusesAMissingSource) {
  absl::StatusOr<CopiedRows> copied =
      CopySqliteToPostgres(from_ + ".missing", to_);
  EXPECT_TRUE(absl::IsNotFound(copied.status())) << copied.status();
}

}  // namespace
}  // namespace storage
