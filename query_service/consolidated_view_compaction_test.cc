// Readers never wait on a held rollup's compaction: the view builds the
// compacted arrays without its lock and swaps them in under it. A hook
// inside the build (ExpenditureCells::SetCompactedHookForTesting) holds the
// build until a reader on another thread has read the rollup through the
// view's lock; were the build under the exclusive lock, that reader could
// not take it. And a backlog applied with Compactions::kAtEnd leaves its
// rollups due until CompactRollups.
#include <cstdint>
#include <string>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "budget/consolidation/expenditure_cells.h"
#include "gtest/gtest.h"
#include "query_service/consolidated_view.h"

namespace query {
namespace {

constexpr int32_t kYear = 2024;
constexpr char kDept[] = "100";
constexpr int kLines = 200;  // Distinct cells: a first compaction at 64.

budget::v1::Unit UnitOf(const std::string& code, const std::string& parent) {
  budget::v1::Unit unit;
  unit.set_code(code);
  unit.set_name("unit " + code);
  unit.set_parent_code(parent);
  unit.set_kind(parent.empty() ? budget::v1::UNIT_KIND_GROUP
                               : budget::v1::UNIT_KIND_INSTITUTION);
  return unit;
}

// A department (kDept) with units 101 and 102, and 101's budget of kLines
// lines, each its own cell (function code), line i of i + 1 fen.
storage::FeedBatch FirstBatch() {
  storage::FeedBatch batch;
  batch.units = {UnitOf(kDept, ""), UnitOf("101", kDept), UnitOf("102", kDept)};
  batch.last_unit_seq = 3;
  storage::FeedSubmission& submission = batch.submissions.emplace_back();
  submission.consolidated_revision = 1;
  submission.unit_revision = 1;
  budget::v1::UnitBudget& budget = submission.budget;
  budget.set_unit_code("101");
  budget.set_fiscal_year(kYear);
  for (int i = 0; i < kLines; ++i) {
    budget::v1::ExpenditureLine* line = budget.add_expenditures();
    line->set_function_code(absl::StrCat(2000000 + i));
    line->set_dept_economic_code("30101");
    line->set_gov_economic_code("50101");
    line->set_funding_source(budget::v1::FUNDING_SOURCE_GENERAL_PUBLIC_BUDGET);
    line->set_nature(budget::v1::EXPENDITURE_NATURE_BASIC_PERSONNEL);
    line->set_amount_fen(i + 1);
  }
  return batch;
}

constexpr int64_t kTotalFen = int64_t{kLines} * (kLines + 1) / 2;

// What a reader sees of the department's rollup.
struct Seen {
  bool held = false;
  bool compaction_due = false;
  int cells = 0;
  int64_t cells_fen = 0;  // Summed over the cells.
  int64_t expenditure_fen = 0;
  int64_t revision = 0;
};

Seen ReadDept(const ConsolidatedView& view) {
  return view.WithState(
      [](const budget::Consolidator& state, int64_t revision) {
        Seen seen;
        seen.revision = revision;
        std::shared_ptr<const budget::NodeRollup> rollup =
            state.Rollup(kDept, kYear);
        if (rollup == nullptr) return seen;
        seen.held = true;
        seen.compaction_due = rollup->expenditure.CompactionDue();
        for (const auto& [key, cell] : rollup->expenditure) {
          ++seen.cells;
          seen.cells_fen += cell.fen;
        }
        seen.expenditure_fen = rollup->expenditure_fen;
        return seen;
      });
}

// The hook's latches: the build signals `building`, then waits for
// `reader_done`.
absl::Notification* building = nullptr;
absl::Notification* reader_done = nullptr;
bool reader_read_first = false;

void HoldTheBuild() {
  building->Notify();
  // Only a deadlock guard: with the build under the view's exclusive lock
  // the reader could never read, and the test would hang. The assertion
  // below is on the order of events, not on time.
  reader_read_first =
      reader_done->WaitForNotificationWithTimeout(absl::Minutes(2));
}

TEST(ConsolidatedViewCompactionTest, ReadersReadWhileARollupIsCompacted) {
  ConsolidatedView view;
  absl::Notification build_started, read;
  building = &build_started;
  reader_done = &read;
  budget::ExpenditureCells::SetCompactedHookForTesting(&HoldTheBuild);

  Seen during;
  std::thread reader([&] {
    build_started.WaitForNotification();
    during = ReadDept(view);
    read.Notify();
  });
  // Compacts the department's rollup, the hook holding the build.
  view.Apply(FirstBatch());
  const bool compacted = build_started.HasBeenNotified();
  if (!compacted) build_started.Notify();  // Lets the reader go.
  reader.join();
  budget::ExpenditureCells::SetCompactedHookForTesting(nullptr);
  ASSERT_TRUE(compacted) << "Apply compacted nothing";

  EXPECT_TRUE(reader_read_first)
      << "a reader waited for the compaction's build";
  // During the build: the revision applied, its cells not yet compacted.
  EXPECT_TRUE(during.held);
  EXPECT_EQ(during.revision, 1);
  EXPECT_TRUE(during.compaction_due);
  EXPECT_EQ(during.cells, kLines);
  EXPECT_EQ(during.cells_fen, kTotalFen);
  EXPECT_EQ(during.expenditure_fen, kTotalFen);
  // After the swap: the same cells, compacted.
  const Seen after = ReadDept(view);
  EXPECT_FALSE(after.compaction_due);
  EXPECT_EQ(after.cells, kLines);
  EXPECT_EQ(after.cells_fen, kTotalFen);
  EXPECT_EQ(after.expenditure_fen, kTotalFen);
}

// A backlog applied with kAtEnd leaves the compaction due, and
// CompactRollups does it, with the same cells.
TEST(ConsolidatedViewCompactionTest, ABacklogCompactsAtItsEnd) {
  ConsolidatedView view;
  view.Apply(ConsolidatedView::Pack(FirstBatch()),
             ConsolidatedView::Compactions::kAtEnd);
  const Seen loaded = ReadDept(view);
  EXPECT_TRUE(loaded.compaction_due);
  EXPECT_EQ(loaded.cells, kLines);
  view.CompactRollups();
  const Seen compacted = ReadDept(view);
  EXPECT_FALSE(compacted.compaction_due);
  EXPECT_EQ(compacted.cells, kLines);
  EXPECT_EQ(compacted.cells_fen, kTotalFen);
  EXPECT_EQ(compacted.expenditure_fen, kTotalFen);
}

}  // namespace
}  // namespace query
