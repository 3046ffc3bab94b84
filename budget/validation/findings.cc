#include "budget/validation/findings.h"

#include <algorithm>
#include <tuple>

#include "absl/strings/str_cat.h"

namespace budget {

FieldPath FieldPath::Top(int field_number, absl::string_view name) {
  // Index -1 puts a whole-list finding ahead of its elements.
  return {std::string(name), {field_number, -1, 0}};
}

FieldPath FieldPath::Element(int field_number, absl::string_view list,
                             int index, int element_field,
                             absl::string_view element_field_name) {
  std::string text = absl::StrCat(list, "[", index, "]");
  if (!element_field_name.empty()) {
    absl::StrAppend(&text, ".", element_field_name);
  }
  return {std::move(text), {field_number, index, element_field}};
}

void Findings::Add(const Rule& rule, const FieldPath& path,
                   absl::string_view given, absl::string_view expected,
                   absl::string_view message) {
  Finding finding;
  v1::Violation& v = finding.violation;
  v.set_rule_id(std::string(rule.id));
  v.set_severity(rule.fatal_when_strict && strict_ ? v1::SEVERITY_FATAL
                                                   : rule.severity);
  v.set_field_path(path.text);
  v.set_given(std::string(given));
  v.set_expected(std::string(expected));
  v.set_message(std::string(message));
  finding.order = path.order;
  findings_.push_back(std::move(finding));
}

v1::ValidationReport Findings::Report() const {
  std::vector<const Finding*> sorted;
  for (const Finding& f : findings_) sorted.push_back(&f);
  std::stable_sort(
      sorted.begin(), sorted.end(), [](const Finding* a, const Finding* b) {
        const bool a_fatal = a->violation.severity() == v1::SEVERITY_FATAL;
        const bool b_fatal = b->violation.severity() == v1::SEVERITY_FATAL;
        return std::tie(b_fatal, a->order) < std::tie(a_fatal, b->order);
      });
  v1::ValidationReport report;
  for (const Finding* f : sorted) *report.add_violations() = f->violation;
  return report;
}

}  // namespace budget
