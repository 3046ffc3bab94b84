// Control figures (一下 控制数, cycle.proto ControlFigures): checking an
// issue, and checking a 二上 budget against them. A 二上 budget spending
// more than a controlled bucket is fatal (BGT-E101), one spending less is
// accepted with a warning naming the unused amount (BGT-E102): the
// 预算管理一体化规范 has units prepare the 二上 budget within the 控制数
// the finance department issues in 一下.
//
// Pure functions; thread-safe.
#ifndef BUDGET_CYCLE_CONTROL_FIGURES_H_
#define BUDGET_CYCLE_CONTROL_FIGURES_H_

#include <string>
#include <vector>

#include "budget/consolidation/unit_tree.h"
#include "budget/v1/budget.pb.h"
#include "budget/v1/cycle.pb.h"

namespace budget {

// Every BGT-E100 finding on `figures`: the unit is not a registered budget
// unit (a GROUP node gets none), a bucket is unset, undefined or listed
// twice, an amount is negative. Field paths are into ControlFigures.
std::vector<v1::Violation> CheckControlFigures(
    const v1::ControlFigures& figures, const UnitTree& tree);

// The bucket an amount controls, as findings and budgetctl print it:
// "funding_source GENERAL_PUBLIC_BUDGET", "nature PROJECT",
// "project 410100…".
std::string BucketName(const v1::ControlAmount& amount);

// The budget's expenditure in the bucket of `amount`, in fen (saturating
// at the int64 maximum: the validator has reported such a budget).
int64_t SpentIn(const v1::UnitBudget& budget, const v1::ControlAmount& amount);

// Findings of a 二上 `budget` against `figures` (the latest issued to its
// unit and year): BGT-E101 per bucket over (field path
// "control.amounts[i]", given the spent amount, expected "≤ " the
// control), then BGT-E102 per bucket under. Amounts in yuan.
std::vector<v1::Violation> CheckWithinControl(
    const v1::UnitBudget& budget, const v1::ControlFigures& figures);

}  // namespace budget

#endif  // BUDGET_CYCLE_CONTROL_FIGURES_H_
