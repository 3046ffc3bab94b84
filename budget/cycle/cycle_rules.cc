#include "budget/cycle/cycle_rules.h"

#include <algorithm>
#include <string>

namespace budget {

const std::vector<Rule>& CycleRules() {
  using namespace cycle_rules;  // NOLINT: the list below is the namespace.
  static const auto* all =
      new std::vector<Rule>{kControlMalformed,      kOverControl,
                            kUnderControl,          kNoControl,
                            kAdjustmentHeader,      kAdjustmentNegative,
                            kAdjustmentUnbalanced,  kAdjustmentOutsideNode,
                            kAdjustmentNotApproved, kAdjustmentKind,
                            kAdjustmentDelta};
  return *all;
}

v1::Violation CycleViolation(const Rule& rule, absl::string_view field_path,
                             absl::string_view given,
                             absl::string_view expected,
                             absl::string_view message) {
  v1::Violation violation;
  violation.set_rule_id(std::string(rule.id));
  violation.set_severity(rule.severity);
  violation.set_field_path(std::string(field_path));
  violation.set_given(std::string(given));
  violation.set_expected(std::string(expected));
  violation.set_message(std::string(message));
  return violation;
}

void FatalFirst(std::vector<v1::Violation>& violations) {
  std::stable_partition(violations.begin(), violations.end(),
                        [](const v1::Violation& v) {
                          return v.severity() == v1::SEVERITY_FATAL;
                        });
}

}  // namespace budget
