#include "budgetctl/located_violation.h"

#include "absl/strings/str_cat.h"
#include "budget/budget_file/csv.h"
#include "budget/utf8.h"

namespace budgetctl {

std::vector<LocatedViolation> LocateViolations(
    const budget::v1::ValidationReport& report,
    const budget::SourceMap& source_map) {
  std::vector<LocatedViolation> located;
  for (const budget::v1::Violation& violation : report.violations()) {
    located.push_back(
        {violation.rule_id(),
         violation.severity() == budget::v1::SEVERITY_WARNING ? "warning"
                                                              : "fatal",
         source_map.file_name(), source_map.LineOf(violation.field_path()),
         violation.field_path(), violation.given(), violation.expected(),
         violation.message()});
  }
  return located;
}

std::vector<LocatedViolation> FromFileErrors(
    const std::vector<budget::FileError>& errors) {
  std::vector<LocatedViolation> located;
  for (const budget::FileError& error : errors) {
    located.push_back({error.rule_id, "fatal", error.file, error.line,
                       error.column, error.given, error.expected,
                       error.message});
  }
  return located;
}

std::string FormatViolation(const LocatedViolation& violation) {
  std::string where = violation.line > 0
                          ? absl::StrCat(violation.file, ":", violation.line)
                          : violation.file;
  std::string field =
      violation.field.empty() ? "" : absl::StrCat(" ", violation.field);
  return absl::StrCat(where, ": ", violation.rule_id, " ", violation.severity,
                      field, ": ", violation.message, " (given: \"",
                      budget::VisibleText(violation.given),
                      "\"; expected: ", violation.expected, ")");
}

std::string ViolationsCsv(const std::vector<LocatedViolation>& violations) {
  std::string csv =
      absl::StrCat(budget::CsvRecord({"rule", "severity", "file", "line",
                                      "field", "value", "expected", "message"}),
                   "\r\n");
  for (const LocatedViolation& v : violations) {
    absl::StrAppend(
        &csv,
        budget::CsvRecord(
            {v.rule_id, v.severity, budget::SpreadsheetText(v.file),
             v.line > 0 ? absl::StrCat(v.line) : "",
             budget::SpreadsheetText(v.field), budget::SpreadsheetText(v.given),
             budget::SpreadsheetText(v.expected),
             budget::SpreadsheetText(v.message)}),
        "\r\n");
  }
  return csv;
}

}  // namespace budgetctl
