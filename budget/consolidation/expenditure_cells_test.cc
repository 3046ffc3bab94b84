#include "budget/consolidation/expenditure_cells.h"

#include <random>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace budget {
namespace {

ExpenditureKey KeyOf(int i) {
  return ExpenditureKey(Code::Of(absl::StrCat("2", 10000 + i % 997)),
                        Code::Of(absl::StrCat("30", i / 997)), Code(),
                        v1::FUNDING_SOURCE_GENERAL_PUBLIC_BUDGET,
                        v1::EXPENDITURE_NATURE_PROJECT, Code(),
                        v1::PROJECT_CATEGORY_UNSPECIFIED, false);
}

// Every cell of `cells` equals the model's, found and iterated, once each.
void ExpectSame(const ExpenditureCells& cells,
                const absl::flat_hash_map<int, CellAmount>& model, int keys) {
  ASSERT_EQ(cells.size(), model.size());
  size_t visited = 0;
  for (const auto& [key, cell] : cells) {
    ++visited;
    EXPECT_NE(cell.lines, 0) << key.function_code();
  }
  EXPECT_EQ(visited, model.size());
  for (int i = 0; i < keys; ++i) {
    const CellAmount* cell = cells.Find(KeyOf(i));
    auto expected = model.find(i);
    ASSERT_EQ(cell == nullptr, expected == model.end()) << i;
    if (cell == nullptr) continue;
    EXPECT_EQ(cell->fen, expected->second.fen) << i;
    EXPECT_EQ(cell->lines, expected->second.lines) << i;
  }
}

constexpr int kKeys = 3000;

// One random add or removal (of a line, as often as one is added once the
// cell has some), on `cells` and on `model`, a hash map that erases cells
// left without lines. Early steps spread over every key, later ones over a
// tenth of them.
void RandomStep(int step, std::mt19937& random, ExpenditureCells& cells,
                absl::flat_hash_map<int, CellAmount>& model) {
  const int i = std::uniform_int_distribution<int>(
      0, step < 20000 ? kKeys - 1 : kKeys / 10)(random);
  CellAmount delta{std::uniform_int_distribution<int64_t>(1, 1000)(random), 1};
  auto it = model.find(i);
  if (it != model.end() && random() % 2 == 0) {
    delta = {-(it->second.fen / it->second.lines), -1};
    if (it->second.lines == 1) delta.fen = -it->second.fen;
  }
  cells.Add(KeyOf(i), delta);
  CellAmount& cell = model[i];
  cell.fen += delta.fen;
  cell.lines += delta.lines;
  if (cell.lines == 0) model.erase(i);
}

// Random adds and removals, compacted whenever due (as a Consolidator
// compacting on write does), enough to compact many times and to erase and
// revive compacted cells. Every other compaction is built apart and
// installed: until installed the cells are as they were.
TEST(ExpenditureCellsTest, AddMatchesAMapThroughCompactions) {
  std::mt19937 random(17);
  ExpenditureCells cells;
  absl::flat_hash_map<int, CellAmount> model;
  int compactions = 0;
  for (int step = 0; step < 40000; ++step) {
    RandomStep(step, random, cells, model);
    if (cells.CompactionDue() && ++compactions % 2 == 0) {
      ExpenditureCells::Compaction compaction = cells.Compacted();
      if (compactions % 8 == 0) ExpectSame(cells, model, kKeys);
      ASSERT_TRUE(cells.CompactionDue());
      ASSERT_TRUE(cells.Install(compaction));
    }
    cells.CompactIfDue();
    ASSERT_FALSE(cells.CompactionDue());
    if (step % 5000 == 0) ExpectSame(cells, model, kKeys);
  }
  EXPECT_GT(compactions, 10);
  ExpectSame(cells, model, kKeys);
  // A copy is independent of the original.
  ExpenditureCells copy = cells;
  for (int i = 0; i < kKeys; ++i) copy.Add(KeyOf(i), {5, 1});
  ExpectSame(cells, model, kKeys);
  EXPECT_EQ(copy.size(), static_cast<size_t>(kKeys));
}

// Add never compacts: a bulk load writes compacted cells (erasing and
// reviving them) with compaction left due, then compacts once.
TEST(ExpenditureCellsTest, AddMatchesAMapWithCompactionLeftDue) {
  std::mt19937 random(23);
  ExpenditureCells cells;
  absl::flat_hash_map<int, CellAmount> model;
  int step = 0;
  for (; step < 10000; ++step) {
    RandomStep(step, random, cells, model);
    cells.CompactIfDue();
  }
  for (; step < 30000; ++step) RandomStep(step, random, cells, model);
  ASSERT_TRUE(cells.CompactionDue());
  ExpectSame(cells, model, kKeys);
  cells.CompactIfDue();
  EXPECT_FALSE(cells.CompactionDue());
  ExpectSame(cells, model, kKeys);
  for (; step < 40000; ++step) {
    RandomStep(step, random, cells, model);
    cells.CompactIfDue();
  }
  ExpectSame(cells, model, kKeys);
}

// A compaction built before a write, or from other cells, is not
// installed: it would drop the write.
TEST(ExpenditureCellsTest, InstallRefusesAStaleCompaction) {
  ExpenditureCells cells;
  for (int i = 0; i < 100; ++i) cells.Add(KeyOf(i), {10, 1});
  ASSERT_TRUE(cells.CompactionDue());
  ExpenditureCells::Compaction stale = cells.Compacted();
  cells.Add(KeyOf(100), {7, 1});
  EXPECT_FALSE(cells.Install(stale));
  EXPECT_TRUE(cells.CompactionDue());
  ASSERT_NE(cells.Find(KeyOf(100)), nullptr);
  EXPECT_EQ(cells.Find(KeyOf(100))->fen, 7);

  ExpenditureCells other = cells;
  ExpenditureCells::Compaction of_other = other.Compacted();
  EXPECT_FALSE(cells.Install(of_other));
  ExpenditureCells::Compaction fresh = cells.Compacted();
  EXPECT_TRUE(cells.Install(fresh));
  EXPECT_FALSE(cells.CompactionDue());
  EXPECT_EQ(cells.size(), 101u);
  EXPECT_EQ(cells.Find(KeyOf(100))->fen, 7);
}

TEST(ExpenditureCellsTest, OperatorBracketsKeepsCellsLeftAtZero) {
  ExpenditureCells change;
  change[KeyOf(1)].lines += 1;
  change[KeyOf(1)].lines -= 1;
  change[KeyOf(1)].fen += 7;
  ASSERT_EQ(change.size(), 1u);
  const auto [key, cell] = *change.begin();
  EXPECT_EQ(key, KeyOf(1));
  EXPECT_EQ(cell.lines, 0);
  EXPECT_EQ(cell.fen, 7);
}

// A compacted cell that Add erased comes back at zero through [], and
// stays at zero lines, as a map's would.
TEST(ExpenditureCellsTest, OperatorBracketsRevivesAnErasedCompactedCell) {
  ExpenditureCells cells;
  for (int i = 0; i < 100; ++i) cells.Add(KeyOf(i), {10, 1});
  cells.CompactIfDue();
  cells.Add(KeyOf(3), {-10, -1});
  ASSERT_EQ(cells.size(), 99u);
  ASSERT_EQ(cells.Find(KeyOf(3)), nullptr);
  CellAmount& revived = cells[KeyOf(3)];
  EXPECT_EQ(revived.fen, 0);
  EXPECT_EQ(revived.lines, 0);
  EXPECT_EQ(cells.size(), 100u);
  ASSERT_NE(cells.Find(KeyOf(3)), nullptr);
  size_t visited = 0;
  for (const auto& cell : cells) {
    static_cast<void>(cell);
    ++visited;
  }
  EXPECT_EQ(visited, 100u);
  cells.Add(KeyOf(3), {4, 1});
  cells.Add(KeyOf(3), {-4, -1});
  EXPECT_EQ(cells.size(), 99u);
  EXPECT_EQ(cells.Find(KeyOf(3)), nullptr);
}

TEST(ExpenditureCellsTest, AddErasesACellLeftWithoutLines) {
  ExpenditureCells cells;
  cells.Add(KeyOf(1), {10, 2});
  cells.Add(KeyOf(1), {-10, -2});
  EXPECT_TRUE(cells.empty());
  EXPECT_EQ(cells.Find(KeyOf(1)), nullptr);
  EXPECT_EQ(cells.begin(), cells.end());
}

}  // namespace
}  // namespace budget
