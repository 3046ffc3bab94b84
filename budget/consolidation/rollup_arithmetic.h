// Checked arithmetic on NodeRollups, split in two steps so that a change to
// many nodes is all-or-nothing: PlanChange computes every new value (and is
// where overflow is found) without touching the rollup; CommitPlan only
// writes. A change is itself a NodeRollup holding signed differences.
//
// Work is proportional to the size of the change, not of the rollup.
// Pure functions on caller-owned data; thread-compatible.
#ifndef BUDGET_CONSOLIDATION_ROLLUP_ARITHMETIC_H_
#define BUDGET_CONSOLIDATION_ROLLUP_ARITHMETIC_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "budget/consolidation/node_rollup.h"
#include "budget/v1/budget.pb.h"

namespace budget {

// Adds (sign +1) or subtracts (sign -1) `b` to `*a`, field by field.
// OUT_OF_RANGE when a field would overflow its type; `*a` is then
// partly updated, so callers pass scratch values.
absl::Status AccumulateDisclosures(const v1::OtherDisclosures& b, int sign,
                                   v1::OtherDisclosures* a);

// The values `current` takes once `change` is added: every cell and income
// entry named in `change` with its new amount (possibly zero), and the new
// totals, stated figures and budget count. OUT_OF_RANGE on overflow.
absl::StatusOr<NodeRollup> PlanChange(const NodeRollup& current,
                                      const NodeRollup& change);

// Writes a plan from PlanChange into `rollup`, erasing cells left without
// lines and income entries left at zero. Cannot fail.
void CommitPlan(NodeRollup plan, NodeRollup* rollup);

}  // namespace budget

#endif  // BUDGET_CONSOLIDATION_ROLLUP_ARITHMETIC_H_
