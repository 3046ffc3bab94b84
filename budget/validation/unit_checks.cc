#include "absl/strings/str_cat.h"
#include "budget/validation/checks.h"

namespace budget {
namespace {

constexpr int kFirstYear = 2000;
constexpr int kLastYear = 2100;

void CheckScope(const v1::UnitBudget& budget, const ValidationContext& context,
                Findings* findings) {
  if (!budget.has_overall_goal()) return;
  const std::string& scope = budget.overall_goal().scope_code();
  const bool known_relation =
      context.registry != nullptr &&
      context.registry->Find(budget.unit_code()) != nullptr;
  // Without the registry only an empty scope is certainly wrong.
  const bool wrong =
      scope.empty() || (known_relation &&
                        !context.registry->IsWithin(budget.unit_code(), scope));
  if (!wrong) return;
  findings->Add(
      rules::kGoalScope,
      {"overall_goal.scope_code",
       {v1::UnitBudget::kOverallGoalFieldNumber, -1,
        v1::OverallPerformanceGoal::kScopeCodeFieldNumber}},
      scope, absl::StrCat(budget.unit_code(), " or one of its ancestors"),
      "The overall performance goal must describe the submitting unit or a "
      "node above it.");
}

}  // namespace

void CheckUnit(const v1::UnitBudget& budget, const ValidationContext& context,
               Findings* findings) {
  const FieldPath unit_path =
      FieldPath::Top(v1::UnitBudget::kUnitCodeFieldNumber, "unit_code");
  if (budget.unit_code().empty()) {
    findings->Add(rules::kUnitUnknown, unit_path, "",
                  "the registry code of the submitting unit",
                  "The budget names no unit.");
  } else if (context.registry != nullptr) {
    const v1::Unit* unit = context.registry->Find(budget.unit_code());
    if (unit == nullptr) {
      findings->Add(rules::kUnitUnknown, unit_path, budget.unit_code(),
                    "a registered unit code",
                    "The unit is not in the registry.");
    } else if (unit->kind() == v1::UNIT_KIND_GROUP) {
      findings->Add(rules::kUnitIsGroup, unit_path, budget.unit_code(),
                    "an ADMINISTRATIVE, CIVIL_SERVICE_INSTITUTION or "
                    "INSTITUTION unit",
                    absl::StrCat(unit->name(),
                                 " is a consolidation node; its figures are "
                                 "the sum of the units below it."));
    }
  }
  const int year = budget.fiscal_year();
  if (year < kFirstYear || year > kLastYear) {
    findings->Add(
        rules::kFiscalYear,
        FieldPath::Top(v1::UnitBudget::kFiscalYearFieldNumber, "fiscal_year"),
        absl::StrCat(year), absl::StrCat(kFirstYear, "-", kLastYear),
        "The fiscal year is implausible.");
  }
  CheckScope(budget, context, findings);
}

}  // namespace budget
