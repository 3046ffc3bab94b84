#include "budget/validation/findings.h"

#include <algorithm>
#include <tuple>

#include "absl/strings/str_cat.h"
#include "budget/validation/limits.h"
#include "budget/validation/validator.h"

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

namespace {

using OmittedCounts = std::map<std::pair<std::string, v1::Severity>, int64_t>;

void Count(const v1::Violation& violation, OmittedCounts& omitted) {
  ++omitted[{violation.rule_id(), violation.severity()}];
}

void AddCounts(const OmittedCounts& omitted, v1::ValidationReport& report) {
  for (const auto& [rule, count] : omitted) {
    v1::OmittedFindings* out = report.add_omitted();
    out->set_rule_id(rule.first);
    out->set_severity(rule.second);
    out->set_count(count);
  }
}

}  // namespace

void Findings::Add(const Rule& rule, const FieldPath& path,
                   absl::string_view given, absl::string_view expected,
                   absl::string_view message) {
  const v1::Severity severity =
      rule.fatal_when_strict && strict_ ? v1::SEVERITY_FATAL : rule.severity;
  std::vector<Finding>& kept =
      severity == v1::SEVERITY_FATAL ? fatal_ : warnings_;
  if (kept.size() >= static_cast<size_t>(kMaxFindingsKept)) {
    ++omitted_[{std::string(rule.id), severity}];
    return;
  }
  Finding finding;
  v1::Violation& v = finding.violation;
  v.set_rule_id(std::string(rule.id));
  v.set_severity(severity);
  v.set_field_path(path.text);
  v.set_given(std::string(given));
  v.set_expected(std::string(expected));
  v.set_message(std::string(message));
  finding.order = path.order;
  kept.push_back(std::move(finding));
}

v1::ValidationReport Findings::Report() const {
  std::vector<const Finding*> sorted;
  for (const Finding& f : fatal_) sorted.push_back(&f);
  for (const Finding& f : warnings_) sorted.push_back(&f);
  std::stable_sort(
      sorted.begin(), sorted.end(), [](const Finding* a, const Finding* b) {
        const bool a_fatal = a->violation.severity() == v1::SEVERITY_FATAL;
        const bool b_fatal = b->violation.severity() == v1::SEVERITY_FATAL;
        return std::tie(b_fatal, a->order) < std::tie(a_fatal, b->order);
      });
  v1::ValidationReport report;
  OmittedCounts omitted = omitted_;
  for (size_t i = 0; i < sorted.size(); ++i) {
    if (i < static_cast<size_t>(kMaxFindingsKept)) {
      *report.add_violations() = sorted[i]->violation;
    } else {
      Count(sorted[i]->violation, omitted);
    }
  }
  AddCounts(omitted, report);
  return report;
}

v1::ValidationReport ReportWindow(const v1::ValidationReport& report,
                                  int offset, int size) {
  OmittedCounts omitted;
  for (const v1::OmittedFindings& o : report.omitted()) {
    omitted[{o.rule_id(), o.severity()}] += o.count();
  }
  v1::ValidationReport window;
  for (int i = 0; i < report.violations_size(); ++i) {
    const v1::Violation& violation = report.violations(i);
    if (i >= offset && i - offset < size) {
      *window.add_violations() = violation;
    } else {
      Count(violation, omitted);
    }
  }
  AddCounts(omitted, window);
  return window;
}

}  // namespace budget
