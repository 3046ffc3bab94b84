// StoreTailer on SQLite, in process: a catch-up loads a cold backlog (read
// ahead, compacted at the end, heap trimmed) only when the store's head is
// cold_backlog_revisions or more behind its first full batch; a live
// tailer a few full batches behind applies them as it does when caught up;
// a year lock, read once, stays published.
#include "query_service/store_tailer.h"

#include <array>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "budget/consolidation/consolidation_test_util.h"
#include "gtest/gtest.h"
#include "storage/open_store.h"
#include "tests/testing/test_store.h"

namespace query {
namespace {

constexpr int32_t kYear = 2024;
// Submissions per read batch (store_tailer.cc's kBatchLimit) times 2.5:
// two full batches and a part.
constexpr int kRevisions = 250;

class StoreTailerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    spec_ = e2e_testing::FreshStoreSpec("sqlite");
    store_ = storage::OpenStore(spec_).value();
    ASSERT_TRUE(
        store_
            ->AddUnit(budget::MakeUnit("100", "", budget::v1::UNIT_KIND_GROUP))
            .ok());
    ASSERT_TRUE(store_->AddUnit(budget::MakeUnit("101", "100")).ok());
  }

  // Commits kRevisions revisions of unit 101's budget, one line each, in
  // one transaction: a reader sees them all at once.
  void CommitRevisions() {
    std::vector<storage::NewSubmission> submissions(kRevisions);
    for (int r = 1; r <= kRevisions; ++r) {
      budget::v1::UnitBudget budget = budget::MakeBudget("101", kYear);
      budget::AddSpending(&budget, r);
      budget::v1::Submission& metadata = submissions[r - 1].metadata;
      metadata.set_unit_code("101");
      metadata.set_fiscal_year(kYear);
      metadata.set_revision(++committed_);
      metadata.set_consolidated_revision(committed_);
      metadata.set_request_id(absl::StrCat("r", committed_));
      submissions[r - 1].payload = budget.SerializeAsString();
    }
    ASSERT_TRUE(store_->CommitSubmissions(submissions).ok());
  }

  // Waits until `view` holds every committed revision (the tailer polls
  // every millisecond); no deadline but the test's.
  void WaitApplied(const ConsolidatedView& view) {
    while (view.WithState([](const budget::Consolidator&, int64_t revision) {
      return revision;
    }) < committed_) {
      absl::SleepFor(absl::Milliseconds(1));
    }
  }

  std::string spec_;
  std::unique_ptr<storage::BudgetStore> store_;
  int64_t committed_ = 0;
};

// The store's head 150 revisions behind the first full batch: cold at a
// limit of 150, not at 151.
TEST_F(StoreTailerTest, AStartUpLoadsAColdBacklogFromItsLimit) {
  CommitRevisions();
  for (int64_t limit : {150, 151}) {
    SCOPED_TRACE(limit);
    ConsolidatedView view;
    StoreTailer tailer(spec_, absl::Milliseconds(1), &view, limit);
    tailer.Start();
    WaitApplied(view);
    tailer.Stop();
    EXPECT_EQ(tailer.ColdBacklogs(), limit == 150 ? 1 : 0);
    EXPECT_EQ(view.WithState([](const budget::Consolidator& state, int64_t) {
      return state.Rollup("100", kYear)->expenditure_fen;
    }),
              kRevisions);
  }
}

// A cold start reads, before Watch's replay log begins, only the revisions
// nothing up to there replaces: it must hold what a tailer that read every
// revision holds, at every stage, and replay the same revisions.
TEST_F(StoreTailerTest, AColdStartSkippingReplacedRevisionsHoldsTheSameState) {
  ASSERT_TRUE(store_->AddUnit(budget::MakeUnit("102", "100")).ok());
  // Units 101 and 102 in turn up to 200, then 101 alone, so that 102's
  // budgets are all read from before the replay log begins; each revision
  // a submission but those ending in 9 or 0, which are approved; a larger
  // amount each time.
  std::vector<storage::NewSubmission> submissions(kRevisions);
  std::map<std::string, int64_t> unit_revisions;
  for (int r = 1; r <= kRevisions; ++r) {
    const std::string unit = r > 200 || r % 2 == 0 ? "101" : "102";
    budget::v1::UnitBudget budget = budget::MakeBudget(unit, kYear);
    budget::AddSpending(&budget, r);
    budget::v1::Submission& metadata = submissions[r - 1].metadata;
    metadata.set_unit_code(unit);
    metadata.set_fiscal_year(kYear);
    metadata.set_revision(++unit_revisions[unit]);
    metadata.set_consolidated_revision(r);
    metadata.set_request_id(absl::StrCat("r", r));
    metadata.set_stage(r % 10 >= 9 || r % 10 == 0
                           ? budget::v1::BUDGET_STAGE_APPROVED
                           : budget::v1::BUDGET_STAGE_SUBMISSION);
    submissions[r - 1].payload = budget.SerializeAsString();
  }
  ASSERT_TRUE(store_->CommitSubmissions(submissions).ok());
  committed_ = kRevisions;

  using budget::v1::BudgetStage;
  // The department's spending submitted and approved, and the first
  // revision Watch replays after 230.
  using Held = std::array<int64_t, 3>;
  // Replays the 20 newest revisions; cold (everything skipped through 230)
  // at a limit of 150, not at all (every revision applied) at 1,000.
  auto load = [&](int64_t cold_limit, int64_t cold_backlogs) {
    ConsolidatedView view(RevisionWaiters::Limits(), 20);
    StoreTailer tailer(spec_, absl::Milliseconds(1), &view, cold_limit);
    tailer.Start();
    WaitApplied(view);
    tailer.Stop();
    EXPECT_EQ(tailer.ColdBacklogs(), cold_backlogs);
    auto total = [&](BudgetStage stage) {
      return view.WithStage(
          stage, [](const budget::Consolidator& state, int64_t) {
            return state.Rollup("100", kYear)->expenditure_fen;
          });
    };
    std::vector<int64_t> replayed;
    absl::StatusOr<int64_t> watch =
        view.Subscribe(230, [&](const AppliedRevision& applied) {
          replayed.push_back(applied.revision);
        });
    EXPECT_TRUE(watch.ok()) << watch.status();
    EXPECT_EQ(replayed.size(), 20u);
    EXPECT_TRUE(absl::IsOutOfRange(view.Subscribe(229, [](auto&) {}).status()));
    return Held{total(budget::v1::BUDGET_STAGE_SUBMISSION),
                total(budget::v1::BUDGET_STAGE_APPROVED),
                replayed.empty() ? 0 : replayed.front()};
  };
  const Held skipping = load(150, 1);
  // 248 and 197 the last of each unit submitted, 250 and 199 approved.
  EXPECT_EQ(skipping, (Held{248 + 197, 250 + 199, 231}));
  EXPECT_EQ(skipping, load(1000, 0));
}

// A caught-up tailer that finds a burst of full batches (as under
// sustained ingest) applies them without loading a cold backlog.
TEST_F(StoreTailerTest, ALiveTailerBehindAFewFullBatchesStaysLive) {
  ConsolidatedView view;
  StoreTailer tailer(spec_, absl::Milliseconds(1), &view);
  tailer.Start();
  CommitRevisions();
  WaitApplied(view);
  CommitRevisions();
  WaitApplied(view);
  tailer.Stop();
  EXPECT_EQ(tailer.ColdBacklogs(), 0);
}

// A year lock comes with the first read after it (FeedBatch::locks holds
// those recorded since the read's revision) and stays published however
// many batches follow, none of which holds it again.
TEST_F(StoreTailerTest, ALockedYearStaysPublishedAsRevisionsFollowIt) {
  ConsolidatedView view;
  StoreTailer tailer(spec_, absl::Milliseconds(1), &view);
  tailer.Start();
  CommitRevisions();
  WaitApplied(view);
  const budget::v1::BudgetStage approved = budget::v1::BUDGET_STAGE_APPROVED;
  EXPECT_FALSE(view.TargetOf("101", kYear, approved).published);
  ASSERT_TRUE(store_->AddLock({"100", kYear, "finance", 1, committed_}).ok());
  CommitRevisions();
  WaitApplied(view);
  tailer.Stop();
  EXPECT_TRUE(view.TargetOf("101", kYear, approved).published);
  EXPECT_FALSE(view.TargetOf("101", kYear + 1, approved).published);
}

}  // namespace
}  // namespace query
