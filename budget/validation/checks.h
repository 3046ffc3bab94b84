// The validator's checks, one group of rules per function. Each reads the
// budget and the context and adds what it finds to `findings`; none stops
// at the first finding. Internal to budget/validation. Pure; thread-safe
// given distinct Findings.
#ifndef BUDGET_VALIDATION_CHECKS_H_
#define BUDGET_VALIDATION_CHECKS_H_

#include "absl/strings/string_view.h"
#include "budget/consolidation/unit_tree.h"
#include "budget/v1/budget.pb.h"
#include "budget/validation/findings.h"
#include "budget/validation/validator.h"

namespace budget {

// The size limits of limits.h: list lengths, then (when every list is
// within its limit) the length of every text field. False when a list is
// too long: the other checks must not run over it.
bool CheckLimits(const v1::UnitBudget& budget, Findings* findings);
// The stated figures of 其他重要事项 (budget.other): none negative.
void CheckOtherDisclosures(const v1::UnitBudget& budget,
                           const ValidationContext& context,
                           Findings* findings);
// fiscal_year, unit_code against the registry, overall_goal.scope_code.
void CheckUnit(const v1::UnitBudget& budget, const ValidationContext& context,
               Findings* findings);
// The three codes of every expenditure line: form, catalog, unit kind and
// crosswalk pair.
void CheckExpenditureCodes(const v1::UnitBudget& budget,
                           const ValidationContext& context,
                           Findings* findings);
// Amounts, funding sources, nature, project references and transfer
// counterparts of every income and expenditure line.
void CheckLines(const v1::UnitBudget& budget, const ValidationContext& context,
                Findings* findings);
// Declared projects: code, name, category, use.
void CheckProjects(const v1::UnitBudget& budget, Findings* findings);
// Overflow, income = expenditure overall and per funding source.
void CheckTotals(const v1::UnitBudget& budget, Findings* findings);
// Swings against context.prior_year.
void CheckPriorYear(const v1::UnitBudget& budget,
                    const ValidationContext& context, Findings* findings);

// The submitting unit as the registry holds it; nullptr offline or when it
// is not registered (BGT-E002's).
inline const v1::Unit* RegisteredUnit(const v1::UnitBudget& budget,
                                      const ValidationContext& context) {
  return context.registry == nullptr
             ? nullptr
             : context.registry->Find(budget.unit_code());
}

// True when `s` is exactly `length` ASCII digits.
bool IsDigitCode(absl::string_view s, size_t length);

// The 财政拨款 fund a source is balanced in, this year's or carried over
// (一般公共预算, 政府性基金预算, 国有资本经营预算); "" for the unit's own
// money. 一般公共预算 includes its 非财政拨款 part, which the fund balances
// too (E051).
absl::string_view FiscalFund(v1::FundingSource source);

}  // namespace budget

#endif  // BUDGET_VALIDATION_CHECKS_H_
