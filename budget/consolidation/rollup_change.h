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

#include <vector>

#include "absl/status/statusor.h"
#include "budget/consolidation/node_rollup.h"
#include "budget/consolidation/packed_budget.h"
#include "budget/consolidation/unit_tree.h"
#include "budget/v1/budget.pb.h"

namespace budget {

// One change per node of `path` (PathToRoot of the unit, unit first), from
// `old_budget` to `new_budget`; either may be null (no budget).
//
// OUT_OF_RANGE on overflow, which cannot happen when both budgets hold
// non-negative amounts whose own sums fit in int64.
absl::StatusOr<std::vector<NodeRollup>> ChangeAlongPath(
    const UnitTree& tree, const std::vector<const v1::Unit*>& path,
    const PackedBudget* old_budget, const PackedBudget* new_budget);

// The figures of `unit`'s own budget alone, as its rollup would hold them if
// it had no children: transfers to itself eliminated, no zero income entry.
absl::StatusOr<NodeRollup> RollupOfOwnLines(const UnitTree& tree,
                                            const v1::Unit& unit,
                                            const PackedBudget& budget);

}  // namespace budget

#endif  // BUDGET_CONSOLIDATION_ROLLUP_CHANGE_H_
