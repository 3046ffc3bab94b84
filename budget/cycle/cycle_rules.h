// The stable rule ids of the budget cycle (BGT-E100..E119): control figures
// and the 二上 check against them, and adjustments. The same list, with the
// grounding of each rule, is in docs/validation-rules.md ("The budget
// cycle"). Ids never change meaning and are never reused.
//
// Constant data; thread-safe.
#ifndef BUDGET_CYCLE_CYCLE_RULES_H_
#define BUDGET_CYCLE_CYCLE_RULES_H_

#include <vector>

#include "absl/strings/string_view.h"
#include "budget/v1/budget.pb.h"
#include "budget/validation/rules.h"

namespace budget {
namespace cycle_rules {

inline constexpr Rule kControlMalformed = {
    "BGT-E100", v1::SEVERITY_FATAL, false,
    "control figures: unit not a registered budget unit, a bucket unset or "
    "twice, or an amount negative"};
inline constexpr Rule kOverControl = {
    "BGT-E101", v1::SEVERITY_FATAL, false,
    "二上 budget spends more than its control figure in a bucket"};
inline constexpr Rule kUnderControl = {
    "BGT-E102", v1::SEVERITY_WARNING, false,
    "二上 budget leaves part of a control figure unused"};
inline constexpr Rule kNoControl = {
    "BGT-E103", v1::SEVERITY_FATAL, false,
    "二上 budget submitted before control figures were issued to the unit"};
inline constexpr Rule kAdjustmentHeader = {
    "BGT-E110", v1::SEVERITY_FATAL, false,
    "adjustment without kind, reason, document number or any delta"};
inline constexpr Rule kAdjustmentNegative = {
    "BGT-E111", v1::SEVERITY_FATAL, false,
    "adjustment would make a line of the budget negative"};
inline constexpr Rule kAdjustmentUnbalanced = {
    "BGT-E112", v1::SEVERITY_FATAL, false,
    "adjustment would make a unit's income and expenditure differ"};
inline constexpr Rule kAdjustmentOutsideNode = {
    "BGT-E113", v1::SEVERITY_FATAL, false,
    "adjustment names a unit outside the node whose subtree it stays in"};
inline constexpr Rule kAdjustmentNotApproved = {
    "BGT-E114", v1::SEVERITY_FATAL, false,
    "adjustment names a unit with no approved budget for the year"};
inline constexpr Rule kAdjustmentKind = {
    "BGT-E115", v1::SEVERITY_FATAL, false,
    "adjustment deltas do not fit its kind (追加 > 0, 追减 < 0, 调剂 = 0)"};
inline constexpr Rule kAdjustmentDelta = {
    "BGT-E116", v1::SEVERITY_FATAL, false,
    "adjustment delta malformed: zero, unclassified, or naming a project "
    "the unit's approved budget does not declare"};

}  // namespace cycle_rules

// Every cycle rule, in id order.
const std::vector<Rule>& CycleRules();

// A finding of `rule`.
v1::Violation CycleViolation(const Rule& rule, absl::string_view field_path,
                             absl::string_view given,
                             absl::string_view expected,
                             absl::string_view message);

// Fatal findings first, keeping the order within each severity.
void FatalFirst(std::vector<v1::Violation>& violations);

}  // namespace budget

#endif  // BUDGET_CYCLE_CYCLE_RULES_H_
