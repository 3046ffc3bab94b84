// What replacing one unit's budget changes in each node on the unit's path
// to its root, as signed differences (new budget minus old).
//
// A line counts in the unit and in every ancestor strictly below the node
// where it is eliminated: for a transfer, the lowest common ancestor of the
// unit and its counterpart; for any other line, or a transfer whose
// counterpart is outside the tree, nowhere. So each line is added to a
// prefix of the path, and the work is lines times depth.
//
// Pure function; thread-compatible (reads the tree).
#ifndef BUDGET_CONSOLIDATION_ROLLUP_CHANGE_H_
#define BUDGET_CONSOLIDATION_ROLLUP_CHANGE_H_

#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "budget/consolidation/node_rollup.h"
#include "budget/consolidation/packed_budget.h"
#include "budget/consolidation/unit_tree.h"
#include "budget/v1/budget.pb.h"

namespace budget {

// Whether cells keep the project code. Held rollups (nodes with children)
// drop it: a project belongs to one unit, so with it a department's and a
// region's cells would be nearly as many as their project lines, the bulk
// of the services' memory. Readers that need projects read the units' lines
// as counted at the node (LinesCountedAt).
enum class ProjectDetail {
  kAsHeld,  // Dropped at every node with children.
  kKept,
};

// One change per node of `path` (PathToRoot of the unit, unit first), from
// `old_budget` to `new_budget`; either may be null (no budget). With
// kAsHeld, the changes of nodes without children are left empty: those hold
// no rollup, so nobody reads them. Expenditure lines that count alike at the
// start and at the end of both budgets cancel and are not visited: the work
// of a resubmission is its changed lines times depth.
//
// OUT_OF_RANGE on overflow, which cannot happen when both budgets hold
// non-negative amounts whose own sums fit in int64.
absl::StatusOr<std::vector<NodeRollup>> ChangeAlongPath(
    const UnitTree& tree, const std::vector<const v1::Unit*>& path,
    const PackedBudget* old_budget, const PackedBudget* new_budget,
    ProjectDetail detail);

// Expenditure cells of one node, one per line counted there, not merged.
using CellList = std::vector<std::pair<ExpenditureKey, CellAmount>>;

// What adding a budget where its unit held none changes in each node of a
// path: `totals[level]` holds the change of every figure but the expenditure
// cells (left empty), and `cells[level]` the cells, one per line counted
// there, not merged (a line adds to its cell, so nothing cancels). Nodes
// without children get nothing, as ChangeAlongPath with kAsHeld.
struct PathAddition {
  std::vector<NodeRollup> totals;
  std::vector<CellList> cells;  // Per level.
};

// ChangeAlongPath from no budget to `budget` with kAsHeld, the cells as a
// list instead of a map per node: a cold start adds every unit's first
// budget, and building the maps (a hash insert per line and node) was most
// of the difference's cost. OUT_OF_RANGE as ChangeAlongPath.
absl::StatusOr<PathAddition> AdditionAlongPath(
    const UnitTree& tree, const std::vector<const v1::Unit*>& path,
    const PackedBudget& budget);

// The lines of `budget` as they count in the figures of `node_code`, its
// unit or an ancestor of it: transfers that meet at or below the node
// eliminated, no zero income entry. INVALID_ARGUMENT when the node is not on
// the unit's path.
absl::StatusOr<NodeRollup> LinesCountedAt(const UnitTree& tree,
                                          const PackedBudget& budget,
                                          absl::string_view node_code,
                                          ProjectDetail detail);

}  // namespace budget

#endif  // BUDGET_CONSOLIDATION_ROLLUP_CHANGE_H_
