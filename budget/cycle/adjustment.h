// Adjustments (预算调整, cycle.proto Adjustment) of approved budgets: the
// checks an adjustment must pass and the arithmetic of the adjusted budget
// (调整后预算 = the approved budget plus every approved adjustment naming
// the unit, oldest first).
//
// A delta names a line by its classification: an expenditure delta changes
// the unit's lines classified the same way (function, both economic codes,
// funding source, nature, project; transfers to other units are never
// matched, so eliminations stay intact), an income delta the income lines
// of the same source and counterpart. A positive delta adds to the first
// such line (or appends one); a negative one takes from them in order. A
// line never goes below zero (BGT-E111).
//
// Pure functions; thread-safe.
#ifndef BUDGET_CYCLE_ADJUSTMENT_H_
#define BUDGET_CYCLE_ADJUSTMENT_H_

#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "budget/consolidation/unit_tree.h"
#include "budget/v1/budget.pb.h"
#include "budget/v1/cycle.pb.h"

namespace budget {

// The budget an adjustment starts from for `unit_code`: its approved budget
// with the adjustments before this one applied; null when the unit has no
// approved budget for the year.
using CurrentBudget =
    absl::FunctionRef<const v1::UnitBudget*(absl::string_view unit_code)>;

// Every finding on `adjustment` (BGT-E110..E116), fatal all, field paths
// into the Adjustment ("expenditures[2].delta_fen"). Empty when it may be
// stored.
std::vector<v1::Violation> CheckAdjustment(const v1::Adjustment& adjustment,
                                           const UnitTree& tree,
                                           CurrentBudget current);

// Applies the deltas of `adjustment` naming `budget.unit_code()` to
// `budget`. FAILED_PRECONDITION when a line would go negative, OUT_OF_RANGE
// on overflow (CheckAdjustment reports both first).
absl::Status ApplyAdjustment(const v1::Adjustment& adjustment,
                             v1::UnitBudget& budget);

// `approved` plus `adjustments` (each applied to the unit's lines it names,
// in order): the unit's 调整后预算.
absl::StatusOr<v1::UnitBudget> AdjustedBudget(
    const v1::UnitBudget& approved,
    absl::Span<const v1::Adjustment* const> adjustments);

// The units an adjustment changes, in the order first named.
std::vector<std::string> AdjustedUnits(const v1::Adjustment& adjustment);

}  // namespace budget

#endif  // BUDGET_CYCLE_ADJUSTMENT_H_
