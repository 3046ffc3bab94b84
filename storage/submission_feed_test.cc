// The query service's feed on both backends: what a writer commits is read
// back in order, and WaitForChange wakes up for another connection's
// commit.
#include "storage/submission_feed.h"

#include <memory>
#include <string>

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

  absl::Status Commit(int64_t revision) {
    NewSubmission s;
    s.metadata.set_unit_code("021001");
    s.metadata.set_fiscal_year(2024);
    s.metadata.set_revision(revision);
    s.metadata.set_consolidated_revision(revision);
    s.metadata.set_request_id("r" + std::to_string(revision));
    budget::v1::UnitBudget budget;
    budget.set_unit_code("021001");
    budget.set_fiscal_year(2024);
    s.payload = budget.SerializeAsString();
    return store_->CommitSubmission(s);
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

  absl::StatusOr<FeedBatch> first = feed_->ReadAfter(0, 0, 2);
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_EQ(first->units.size(), 1u);
  EXPECT_EQ(first->units[0].name(), "郑州市工业和信息化局");
  EXPECT_EQ(first->last_unit_seq, 1);
  ASSERT_EQ(first->submissions.size(), 2u);
  EXPECT_EQ(first->submissions[1].consolidated_revision, 2);
  EXPECT_EQ(first->submissions[1].budget.unit_code(), "021001");
  EXPECT_EQ(first->locks.count({"021", 2024}), 1u);

  absl::StatusOr<FeedBatch> rest = feed_->ReadAfter(1, 2, 2);
  ASSERT_TRUE(rest.ok()) << rest.status();
  EXPECT_TRUE(rest->units.empty());
  ASSERT_EQ(rest->submissions.size(), 1u);
  EXPECT_EQ(rest->submissions[0].unit_revision, 3);
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
