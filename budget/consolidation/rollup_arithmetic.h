// Checked arithmetic on NodeRollups, split in two steps so that a change to
// many nodes is all-or-nothing: CheckChange finds any overflow without
// touching the rollup; CommitChange only writes. A change is itself a
// NodeRollup holding signed differences.
//
// Work is proportional to the size of the change, not of the rollup.
// Pure functions on caller-owned data; thread-compatible.
#ifndef BUDGET_CONSOLIDATION_ROLLUP_ARITHMETIC_H_
#define BUDGET_CONSOLIDATION_ROLLUP_ARITHMETIC_H_

#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "budget/consolidation/node_rollup.h"
#include "budget/v1/budget.pb.h"

namespace budget {

// Adds (sign +1) or subtracts (sign -1) `b` to `*a`, field by field.
// OUT_OF_RANGE when a field would overflow its type; `*a` is then
// partly updated, so callers pass scratch values.
absl::Status AccumulateDisclosures(const v1::OtherDisclosures& b, int sign,
                                   v1::OtherDisclosures* a);

// OUT_OF_RANGE when adding `change` to `current` would overflow a cell, an
// income entry, a total, a stated figure or the budget count.
absl::Status CheckChange(const NodeRollup& current, const NodeRollup& change);

// Adds `change`, which CheckChange accepted, to `rollup`, erasing cells left
// without lines and income entries left at zero. Cannot fail.
void CommitChange(const NodeRollup& change, NodeRollup* rollup);

// Adds each of `cells` (keys may repeat) to `rollup`'s expenditure cells
// alone, not to its totals: the cells of a change whose totals CommitChange
// adds (PathAddition). Cannot fail: every cell is at most its node's total,
// which CheckChange accepted, when amounts are never negative.
void CommitCells(absl::Span<const std::pair<ExpenditureKey, CellAmount>> cells,
                 NodeRollup* rollup);

}  // namespace budget

#endif  // BUDGET_CONSOLIDATION_ROLLUP_ARITHMETIC_H_
