#include "budget/validation/validator.h"

#include <algorithm>

#include "budget/validation/checks.h"
#include "budget/validation/findings.h"

namespace budget {

bool IsDigitCode(absl::string_view s, size_t length) {
  return s.size() == length && std::all_of(s.begin(), s.end(), [](char c) {
           return c >= '0' && c <= '9';
         });
}

v1::ValidationReport ValidateUnitBudget(const v1::UnitBudget& budget,
                                        const ValidationContext& context) {
  Findings findings(context.strict);
  if (!CheckLimits(budget, &findings)) return findings.Report();
  CheckUnit(budget, context, &findings);
  CheckExpenditureCodes(budget, context, &findings);
  CheckLines(budget, context, &findings);
  CheckProjects(budget, &findings);
  CheckTotals(budget, &findings);
  CheckOtherDisclosures(budget, context, &findings);
  CheckPriorYear(budget, context, &findings);
  return findings.Report();
}

bool HasFatal(const v1::ValidationReport& report) {
  return std::any_of(report.violations().begin(), report.violations().end(),
                     [](const v1::Violation& v) {
                       return v.severity() == v1::SEVERITY_FATAL;
                     });
}

}  // namespace budget
