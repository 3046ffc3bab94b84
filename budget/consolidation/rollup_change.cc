#include "budget/consolidation/rollup_change.h"

#include <algorithm>
#include <initializer_list>
#include <optional>
#include <string>
#include <utility>

#include "absl/container/btree_map.h"
#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "budget/consolidation/rollup_arithmetic.h"
#include "budget/consolidation/transfer.h"
#include "budget/money.h"

namespace budget {
namespace {

// Adds one budget, with `sign`, to the changes of every node on a path.
class PathAccumulator {
 public:
  // With `cells`, expenditure cells are appended there, one per line and
  // level, instead of summed into the changes' maps (PathAddition).
  PathAccumulator(const UnitTree& tree,
                  const std::vector<const v1::Unit*>& path,
                  ProjectDetail detail, std::vector<NodeRollup>* changes,
                  std::vector<CellList>* cells = nullptr)
      : tree_(tree),
        path_size_(path.size()),
        changes_(*changes),
        cells_(cells) {
    for (size_t level = 0; level < path.size(); ++level) {
      level_of_[path[level]->code()] = level;
      const bool held = tree.HasChildren(path[level]->code());
      drop_project_.push_back(detail == ProjectDetail::kAsHeld && held);
      skip_.push_back(detail == ProjectDetail::kAsHeld && !held);
    }
  }

  // The change of `level` is left empty (see ChangeAlongPath).
  bool Skipped(size_t level) const { return skip_[level]; }

  // Adds `budget` but for its expenditure lines outside `expenditures`.
  absl::Status Add(const PackedBudget& budget,
                   absl::Span<const PackedLine> expenditures, int sign) {
    for (const PackedLine& line : expenditures) {
      size_t levels = CountingLevels(budget.TransferOf(line), budget);
      for (size_t level = 0; level < levels; ++level) {
        if (skip_[level]) continue;
        NodeRollup& change = changes_[level];
        const ExpenditureKey key =
            drop_project_[level] ? line.key.WithoutProject() : line.key;
        if (cells_ != nullptr) {
          (*cells_)[level].emplace_back(
              key, CellAmount{sign * line.amount_fen(), sign});
          if (absl::Status s = Accumulate(line.amount_fen(), sign,
                                          {&change.expenditure_fen});
              !s.ok()) {
            return s;
          }
          continue;
        }
        CellAmount& cell = change.expenditure[key];
        cell.lines += sign;
        if (absl::Status s = Accumulate(line.amount_fen(), sign,
                                        {&cell.fen, &change.expenditure_fen});
            !s.ok()) {
          return s;
        }
      }
    }
    for (const v1::IncomeLine& line : budget.income()) {
      size_t levels =
          CountingLevels(budget::TransferOf(line, budget.unit_code()), budget);
      for (size_t level = 0; level < levels; ++level) {
        if (skip_[level]) continue;
        NodeRollup& change = changes_[level];
        if (absl::Status s =
                Accumulate(line.amount_fen(), sign,
                           {&change.income[line.source()], &change.income_fen});
            !s.ok()) {
          return s;
        }
      }
    }
    for (size_t level = 0; level < path_size_; ++level) {
      if (skip_[level]) continue;
      NodeRollup& change = changes_[level];
      if (absl::Status s =
              AccumulateDisclosures(budget.other(), sign, &change.other);
          !s.ok()) {
        return s;
      }
      change.budget_count += sign;
    }
    return absl::OkStatus();
  }

 private:
  // Adds `amount` with `sign` to a cell and to the total it belongs to.
  static absl::Status Accumulate(int64_t amount, int sign,
                                 std::initializer_list<int64_t*> totals) {
    for (int64_t* total : totals) {
      absl::StatusOr<int64_t> sum =
          sign > 0 ? CheckedAdd(*total, amount) : CheckedSub(*total, amount);
      if (!sum.ok()) return sum.status();
      *total = *sum;
    }
    return absl::OkStatus();
  }

  // How many nodes of the path, from the unit up, count a line: all of them
  // unless the line is a transfer to a unit of the same tree, which stops
  // below the lowest common ancestor of the two.
  size_t CountingLevels(const std::optional<TransferPair>& transfer,
                        const PackedBudget& budget) const {
    if (!transfer.has_value()) return path_size_;
    // The first node above the counterpart that lies on our path is the
    // lowest common ancestor; none means another tree or an unknown code.
    for (const v1::Unit* node :
         tree_.PathToRoot(CounterpartOf(*transfer, budget.unit_code()))) {
      if (auto it = level_of_.find(node->code()); it != level_of_.end()) {
        return it->second;
      }
    }
    return path_size_;
  }

  const UnitTree& tree_;
  size_t path_size_;
  std::vector<NodeRollup>& changes_;
  std::vector<CellList>* cells_;
  absl::flat_hash_map<std::string, size_t> level_of_;
  std::vector<bool> drop_project_;  // Per level.
  std::vector<bool> skip_;          // Per level.
};

// Whether two lines count alike in every rollup: the same cell and amount,
// and neither a transfer (a full line may name a counterpart, which decides
// where it counts).
bool CountsAlike(const PackedBudget& a_budget, const PackedLine& a,
                 const PackedBudget& b_budget, const PackedLine& b) {
  return a.amount_fen() == b.amount_fen() && a.key == b.key &&
         !a_budget.HasFullForm(a) && !b_budget.HasFullForm(b);
}

// The expenditure lines of `old_lines` and `new_lines` left once the common
// prefix and suffix of lines that count alike are dropped. Those cancel in
// every change (minus the old, plus the new), so a resubmission pays only
// for the lines it changes, not for all of them at every level.
// A missing budget has no lines.
std::pair<absl::Span<const PackedLine>, absl::Span<const PackedLine>>
DifferingLines(const PackedBudget* old_budget, const PackedBudget* new_budget) {
  if (old_budget == nullptr || new_budget == nullptr) {
    return {old_budget ? old_budget->lines() : absl::Span<const PackedLine>(),
            new_budget ? new_budget->lines() : absl::Span<const PackedLine>()};
  }
  absl::Span<const PackedLine> old_lines = old_budget->lines();
  absl::Span<const PackedLine> new_lines = new_budget->lines();
  size_t prefix = 0;
  while (prefix < old_lines.size() && prefix < new_lines.size() &&
         CountsAlike(*old_budget, old_lines[prefix], *new_budget,
                     new_lines[prefix])) {
    ++prefix;
  }
  old_lines.remove_prefix(prefix);
  new_lines.remove_prefix(prefix);
  size_t suffix = 0;
  while (suffix < old_lines.size() && suffix < new_lines.size() &&
         CountsAlike(*old_budget, old_lines[old_lines.size() - 1 - suffix],
                     *new_budget, new_lines[new_lines.size() - 1 - suffix])) {
    ++suffix;
  }
  old_lines.remove_suffix(suffix);
  new_lines.remove_suffix(suffix);
  return {old_lines, new_lines};
}

}  // namespace

absl::StatusOr<std::vector<NodeRollup>> ChangeAlongPath(
    const UnitTree& tree, const std::vector<const v1::Unit*>& path,
    const PackedBudget* old_budget, const PackedBudget* new_budget,
    ProjectDetail detail) {
  std::vector<NodeRollup> changes(path.size());
  auto [old_lines, new_lines] = DifferingLines(old_budget, new_budget);
  // Each level gets at most a cell per line: sized once, never rehashed.
  const size_t lines = old_lines.size() + new_lines.size();
  PathAccumulator accumulator(tree, path, detail, &changes);
  for (size_t level = 0; level < path.size(); ++level) {
    if (!accumulator.Skipped(level)) changes[level].expenditure.reserve(lines);
  }
  // Old first: with non-negative amounts every partial difference then lies
  // between minus the old sum and the new sum, so none overflows.
  if (old_budget != nullptr) {
    if (absl::Status s = accumulator.Add(*old_budget, old_lines, -1); !s.ok())
      return s;
  }
  if (new_budget != nullptr) {
    if (absl::Status s = accumulator.Add(*new_budget, new_lines, +1); !s.ok())
      return s;
  }
  return changes;
}

absl::StatusOr<PathAddition> AdditionAlongPath(
    const UnitTree& tree, const std::vector<const v1::Unit*>& path,
    const PackedBudget& budget) {
  PathAddition addition;
  addition.totals.resize(path.size());
  addition.cells.resize(path.size());
  PathAccumulator accumulator(tree, path, ProjectDetail::kAsHeld,
                              &addition.totals, &addition.cells);
  for (size_t level = 0; level < path.size(); ++level) {
    if (!accumulator.Skipped(level)) {
      addition.cells[level].reserve(budget.lines().size());
    }
  }
  if (absl::Status s = accumulator.Add(budget, budget.lines(), +1); !s.ok()) {
    return s;
  }
  return addition;
}

absl::StatusOr<NodeRollup> LinesCountedAt(const UnitTree& tree,
                                          const PackedBudget& budget,
                                          absl::string_view node_code,
                                          ProjectDetail detail) {
  std::vector<const v1::Unit*> path = tree.PathToRoot(budget.unit_code());
  auto node = std::find_if(path.begin(), path.end(), [&](const v1::Unit* unit) {
    return unit->code() == node_code;
  });
  if (node == path.end()) {
    return absl::InvalidArgumentError(
        absl::StrCat(node_code, " is not on the path of ", budget.unit_code()));
  }
  path.erase(node + 1, path.end());
  absl::StatusOr<std::vector<NodeRollup>> changes =
      ChangeAlongPath(tree, path, nullptr, &budget, detail);
  if (!changes.ok()) return changes.status();
  NodeRollup rollup = std::move(changes->back());
  absl::erase_if(rollup.income,
                 [](const auto& entry) { return entry.second == 0; });
  return rollup;
}

}  // namespace budget
