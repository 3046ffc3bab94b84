// The query service's feed on both backends: what a writer commits is read
// back in order, and WaitForChange wakes up for another connection's
// commit.
#include "storage/submission_feed.h"

#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "gtest/gtest.h"
#include "storage/open_store.h"
#include "tests/testing/test_store.h"

namespace storage {
namespace {

class SubmissionFeedTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    spec_ = e2e_testing::FreshStoreSpec(GetParam());
    ASSERT_FALSE(spec_.empty());
    absl::StatusOr<std::unique_ptr<BudgetStore>> store = OpenStore(spec_);
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = *std::move(store);
    absl::StatusOr<std::unique_ptr<SubmissionFeed>> feed =
        SubmissionFeed::Open(spec_);
    ASSERT_TRUE(feed.ok()) << feed.status();
    feed_ = *std::move(feed);
  }

  // Revision `unit_revision` of 021001 in `year` at `stage`, committed as
  // consolidated revision `revision` at `second` (Unix seconds) with
  // `lines` expenditure lines.
  absl::Status Commit(
      int64_t revision, int64_t unit_revision = 0, int32_t year = 2024,
      budget::v1::BudgetStage stage = budget::v1::BUDGET_STAGE_UNSPECIFIED,
      int64_t second = 0, int lines = 0) {
    NewSubmission s;
    s.metadata.set_unit_code("021001");
    s.metadata.set_fiscal_year(year);
    s.metadata.set_revision(unit_revision == 0 ? revision : unit_revision);
    s.metadata.set_consolidated_revision(revision);
    s.metadata.set_request_id("r" + std::to_string(revision));
    s.metadata.set_stage(stage);
    s.metadata.mutable_submitted_at()->set_seconds(second);
    budget::v1::UnitBudget budget;
    budget.set_unit_code("021001");
    budget.set_fiscal_year(year);
    for (int i = 0; i < lines; ++i) budget.add_expenditures();
    s.payload = budget.SerializeAsString();
    return store_->CommitSubmission(s);
  }

  // An adjustment of 021001 in 2024 approved at `second`, as consolidated
  // revision `revision`.
  absl::Status CommitAdjustment(int64_t revision, int64_t second) {
    budget::v1::CycleRecord record;
    record.set_consolidated_revision(revision);
    budget::v1::Adjustment* adjustment = record.mutable_adjustment();
    adjustment->set_node_code("021001");
    adjustment->set_fiscal_year(2024);
    adjustment->mutable_approved_at()->set_seconds(second);
    NewCycleRecord stored{revision, "c" + std::to_string(revision), "021001",
                          2024,     record.SerializeAsString(),     ""};
    return store_->CommitCycleRecords({&stored, 1});
  }

  std::string spec_;
  std::unique_ptr<BudgetStore> store_;
  std::unique_ptr<SubmissionFeed> feed_;
};

INSTANTIATE_TEST_SUITE_P(Backends, SubmissionFeedTest,
                         ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });

TEST_P(SubmissionFeedTest, ReadsUnitsSubmissionsAndLocksInOrder) {
  budget::v1::Unit dept;
  dept.set_code("021");
  dept.set_name("郑州市工业和信息化局");
  ASSERT_TRUE(store_->AddUnit(dept).ok());
  for (int64_t revision = 1; revision <= 3; ++revision) {
    ASSERT_TRUE(Commit(revision).ok());
  }
  ASSERT_TRUE(store_->AddLock({"021", 2024, "finance", 5, 3}).ok());

  absl::StatusOr<FeedBatch> first = feed_->ReadAfter(0, 0, 2, 0);
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_EQ(first->units.size(), 1u);
  EXPECT_EQ(first->units[0].name(), "郑州市工业和信息化局");
  EXPECT_EQ(first->last_unit_seq, 1);
  ASSERT_EQ(first->submissions.size(), 2u);
  EXPECT_EQ(first->submissions[1].consolidated_revision, 2);
  budget::v1::UnitBudget budget;
  ASSERT_TRUE(budget.ParseFromString(first->submissions[1].budget_payload));
  EXPECT_EQ(budget.unit_code(), "021001");
  EXPECT_EQ(first->locks.count({"021", 2024}), 1u);

  absl::StatusOr<FeedBatch> rest = feed_->ReadAfter(1, 2, 2, 0);
  ASSERT_TRUE(rest.ok()) << rest.status();
  EXPECT_TRUE(rest->units.empty());
  ASSERT_EQ(rest->submissions.size(), 1u);
  EXPECT_EQ(rest->submissions[0].unit_revision, 3);
}

// A tailer reads on one connection for as long as it runs (its statements
// prepared once): each read sees what was committed since the one before.
TEST_P(SubmissionFeedTest, EachReadSeesWhatWasCommittedSinceTheLast) {
  budget::v1::Unit dept;
  dept.set_code("021");
  ASSERT_TRUE(store_->AddUnit(dept).ok());
  ASSERT_TRUE(Commit(1).ok());
  absl::StatusOr<FeedBatch> first = feed_->ReadAfter(0, 0, 10, 0);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->units.size(), 1u);
  EXPECT_EQ(first->submissions.size(), 1u);
  EXPECT_EQ(first->head_revision, 1);
  EXPECT_TRUE(first->locks.empty());

  for (int64_t revision = 2; revision <= 4; ++revision) {
    budget::v1::Unit unit;
    unit.set_code("0210" + std::to_string(revision));
    unit.set_parent_code("021");
    ASSERT_TRUE(store_->AddUnit(unit).ok());
    ASSERT_TRUE(Commit(revision).ok());
    ASSERT_TRUE(store_
                    ->AddLock({"021", 2020 + static_cast<int32_t>(revision),
                               "finance", 5, revision})
                    .ok());
    absl::StatusOr<FeedBatch> next =
        feed_->ReadAfter(first->last_unit_seq, revision - 1, 10, 0);
    ASSERT_TRUE(next.ok()) << next.status();
    ASSERT_EQ(next->units.size(), 1u);
    EXPECT_EQ(next->units[0].code(), unit.code());
    ASSERT_EQ(next->submissions.size(), 1u);
    EXPECT_EQ(next->submissions[0].consolidated_revision, revision);
    EXPECT_EQ(next->head_revision, revision);
    // The lock just taken (at this revision) and the one taken at the
    // revision read after; those before were in earlier reads.
    std::set<std::pair<std::string, int32_t>> since = {
        {"021", 2020 + revision}};
    if (revision > 2) since.insert({"021", 2019 + revision});
    EXPECT_EQ(next->locks, since);
    first = std::move(next);
  }
}

// A lock records the revision it was taken at; a read returns those
// recorded at its revision or later, which a reader adds to those it holds:
// a lock taken after the newest revision was read comes with the next read,
// and no read returns the whole table again.
TEST_P(SubmissionFeedTest, ReadAfterReturnsTheLocksRecordedSinceItsRevision) {
  budget::v1::Unit dept;
  dept.set_code("021");
  ASSERT_TRUE(store_->AddUnit(dept).ok());
  ASSERT_TRUE(Commit(1).ok());
  ASSERT_TRUE(store_->AddLock({"021", 2023, "finance", 5, 1}).ok());
  ASSERT_TRUE(Commit(2).ok());
  ASSERT_TRUE(Commit(3).ok());

  absl::StatusOr<FeedBatch> caught_up = feed_->ReadAfter(0, 0, 10, 0);
  ASSERT_TRUE(caught_up.ok()) << caught_up.status();
  EXPECT_EQ(caught_up->locks.count({"021", 2023}), 1u);

  ASSERT_TRUE(store_->AddLock({"021", 2024, "finance", 6, 3}).ok());
  absl::StatusOr<FeedBatch> after = feed_->ReadAfter(1, 3, 10, 0);
  ASSERT_TRUE(after.ok()) << after.status();
  EXPECT_TRUE(after->submissions.empty());
  EXPECT_EQ(after->locks,
            (std::set<std::pair<std::string, int32_t>>{{"021", 2024}}));

  ASSERT_TRUE(Commit(4).ok());
  absl::StatusOr<FeedBatch> later = feed_->ReadAfter(1, 4, 10, 0);
  ASSERT_TRUE(later.ok()) << later.status();
  EXPECT_TRUE(later->locks.empty());

  // A lock given an older revision than the store's newest is recorded at
  // the newest, so a reader already past the older one still reads it.
  ASSERT_TRUE(store_->AddLock({"021", 2025, "finance", 7, 2}).ok());
  absl::StatusOr<FeedBatch> stale = feed_->ReadAfter(1, 4, 10, 0);
  ASSERT_TRUE(stale.ok()) << stale.status();
  EXPECT_EQ(stale->locks,
            (std::set<std::pair<std::string, int32_t>>{{"021", 2025}}));
}

TEST_P(SubmissionFeedTest, WaitForChangeWakesForAnotherConnectionsCommit) {
  absl::StatusOr<bool> first = feed_->WaitForChange(absl::ZeroDuration());
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_TRUE(*first);  // Read what is there before waiting.
  absl::StatusOr<int64_t> before = feed_->DataVersion();
  ASSERT_TRUE(before.ok()) << before.status();
  absl::StatusOr<bool> quiet = feed_->WaitForChange(absl::Milliseconds(1));
  ASSERT_TRUE(quiet.ok()) << quiet.status();
  EXPECT_FALSE(*quiet);

  ASSERT_TRUE(Commit(1).ok());
  // Generous: it returns as soon as the change is seen.
  absl::StatusOr<bool> woke = feed_->WaitForChange(absl::Seconds(60));
  ASSERT_TRUE(woke.ok()) << woke.status();
  EXPECT_TRUE(*woke);
  EXPECT_NE(*feed_->DataVersion(), *before);
}

}  // namespace
}  // namespace storage

namespace storage {
namespace {

// ReadAsOf: per unit, year and stage the latest revision at or before the
// revision asked, the cycle records up to it, the locks taken by then,
// only the years asked; every unit.
TEST_P(SubmissionFeedTest, ReadsTheStoreAsOfAPastRevision) {
  budget::v1::Unit dept;
  dept.set_code("021");
  ASSERT_TRUE(store_->AddUnit(dept).ok());
  using budget::v1::BUDGET_STAGE_APPROVED;
  using budget::v1::BUDGET_STAGE_SUBMISSION;
  ASSERT_TRUE(Commit(1, 1, 2024, BUDGET_STAGE_SUBMISSION, 100, 1).ok());
  ASSERT_TRUE(Commit(2, 2, 2024, BUDGET_STAGE_SUBMISSION, 200, 2).ok());
  ASSERT_TRUE(Commit(3, 1, 2023, BUDGET_STAGE_APPROVED, 300, 4).ok());
  ASSERT_TRUE(store_->AddLock({"021", 2023, "finance", 350'000'000, 3}).ok());
  ASSERT_TRUE(Commit(4, 3, 2024, BUDGET_STAGE_APPROVED, 400, 2).ok());
  ASSERT_TRUE(CommitAdjustment(5, 500).ok());
  ASSERT_TRUE(Commit(6, 4, 2024, BUDGET_STAGE_SUBMISSION, 600, 8).ok());
  ASSERT_TRUE(store_->AddLock({"021", 2024, "finance", 650'000'000, 6}).ok());

  absl::StatusOr<FeedBatch> at5 = feed_->ReadAsOf({5, {}, {2024}, 100});
  ASSERT_TRUE(at5.ok()) << at5.status();
  EXPECT_EQ(at5->as_of_revision, 5);
  ASSERT_EQ(at5->units.size(), 1u);
  std::vector<int64_t> revisions;
  for (const FeedSubmission& entry : at5->submissions) {
    revisions.push_back(entry.consolidated_revision);
  }
  // 1 is followed by 2 of the same stage; 3 is of another year.
  EXPECT_EQ(revisions, (std::vector<int64_t>{2, 4, 5}));
  EXPECT_TRUE(at5->submissions[2].record.has_value());
  EXPECT_EQ(at5->submissions[1].stage, BUDGET_STAGE_APPROVED);
  EXPECT_EQ(at5->locks,
            (std::set<std::pair<std::string, int32_t>>{{"021", 2023}}));

  absl::StatusOr<FeedBatch> at3 = feed_->ReadAsOf({3, {}, {2023, 2024}, 100});
  ASSERT_TRUE(at3.ok()) << at3.status();
  revisions.clear();
  for (const FeedSubmission& entry : at3->submissions) {
    revisions.push_back(entry.consolidated_revision);
  }
  EXPECT_EQ(revisions, (std::vector<int64_t>{2, 3}));
  // The 2023 lock was taken while 3 was the newest revision; by time, it
  // came after 320.
  EXPECT_EQ(at3->locks.size(), 1u);
  absl::StatusOr<FeedBatch> by_time =
      feed_->ReadAsOf({3, absl::FromUnixSeconds(320), {2023, 2024}, 100});
  ASSERT_TRUE(by_time.ok()) << by_time.status();
  EXPECT_TRUE(by_time->locks.empty());

  // Lines: 2 (revision 2) + 2 (4) as of 5; as of 6, 8 (6) + 2 (4).
  EXPECT_TRUE(feed_->ReadAsOf({5, {}, {2024}, 4}).ok());
  EXPECT_TRUE(feed_->ReadAsOf({6, {}, {2024}, 10}).ok());
  absl::StatusOr<FeedBatch> too_big = feed_->ReadAsOf({6, {}, {2024}, 9});
  EXPECT_TRUE(absl::IsResourceExhausted(too_big.status())) << too_big.status();
}

// ReadAfter with superseded_through: a revision up to it is left out when a
// later one of its unit, year and stage up to it replaces it; a revision
// replaced only after it, another stage's, a cycle record and everything
// after it are read, in batches that page on as without it.
TEST_P(SubmissionFeedTest, ReadAfterLeavesOutRevisionsReplacedByThen) {
  using budget::v1::BUDGET_STAGE_APPROVED;
  using budget::v1::BUDGET_STAGE_SUBMISSION;
  ASSERT_TRUE(Commit(1, 1, 2024, BUDGET_STAGE_SUBMISSION).ok());
  ASSERT_TRUE(Commit(2, 1, 2023).ok());
  ASSERT_TRUE(Commit(3, 2, 2024, BUDGET_STAGE_SUBMISSION).ok());
  ASSERT_TRUE(Commit(4, 3, 2024, BUDGET_STAGE_APPROVED).ok());
  ASSERT_TRUE(CommitAdjustment(5, 500).ok());
  ASSERT_TRUE(Commit(6, 2, 2023).ok());
  ASSERT_TRUE(Commit(7, 4, 2024, BUDGET_STAGE_SUBMISSION).ok());
  ASSERT_TRUE(Commit(8, 5, 2024, BUDGET_STAGE_SUBMISSION).ok());

  auto revisions_read = [&](int64_t after, int limit, int64_t through) {
    std::vector<int64_t> revisions;
    absl::StatusOr<FeedBatch> batch =
        feed_->ReadAfter(0, after, limit, through);
    EXPECT_TRUE(batch.ok()) << batch.status();
    if (batch.ok()) {
      for (const FeedSubmission& entry : batch->submissions) {
        revisions.push_back(entry.consolidated_revision);
      }
    }
    return revisions;
  };
  // Through 6: 1 is replaced by 3 and 2 by 6; 3 is replaced only by 7.
  EXPECT_EQ(revisions_read(0, 10, 6), (std::vector<int64_t>{3, 4, 5, 6, 7, 8}));
  // In batches of two, each after the last revision of the one before.
  EXPECT_EQ(revisions_read(0, 2, 6), (std::vector<int64_t>{3, 4}));
  EXPECT_EQ(revisions_read(4, 2, 6), (std::vector<int64_t>{5, 6}));
  EXPECT_EQ(revisions_read(6, 2, 6), (std::vector<int64_t>{7, 8}));
  // Through 8, 3 and 7 are replaced too; through 0, nothing is.
  EXPECT_EQ(revisions_read(0, 10, 8), (std::vector<int64_t>{4, 5, 6, 8}));
  EXPECT_EQ(revisions_read(0, 10, 0),
            (std::vector<int64_t>{1, 2, 3, 4, 5, 6, 7, 8}));
}

// RevisionAt: the latest consolidated revision committed by a time, cycle
// records by their own time.
TEST_P(SubmissionFeedTest, FindsTheRevisionCommittedByATime) {
  ASSERT_TRUE(
      Commit(1, 1, 2024, budget::v1::BUDGET_STAGE_SUBMISSION, 100).ok());
  ASSERT_TRUE(CommitAdjustment(2, 200).ok());
  ASSERT_TRUE(CommitAdjustment(3, 300).ok());
  ASSERT_TRUE(
      Commit(4, 2, 2024, budget::v1::BUDGET_STAGE_SUBMISSION, 400).ok());
  const std::vector<std::pair<int64_t, int64_t>> expected = {
      {99, 0},  {100, 1}, {199, 1}, {200, 2},   {250, 2},
      {300, 3}, {399, 3}, {400, 4}, {10'000, 4}};
  for (const auto& [second, revision] : expected) {
    absl::StatusOr<int64_t> at =
        feed_->RevisionAt(absl::FromUnixSeconds(second));
    ASSERT_TRUE(at.ok()) << at.status();
    EXPECT_EQ(*at, revision) << "at " << second;
  }
}

}  // namespace
}  // namespace storage
