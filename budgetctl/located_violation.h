// A finding about a submitted file placed where the user can fix it: the
// validator's field path mapped through the parser's SourceMap to file and
// line, next to the value given and the value expected. Syntax errors of the
// parser and the service's validation findings end up in the same shape, so
// they print and export (`--errors-csv`) alike.
//
// Pure functions; thread-safe.
#ifndef BUDGETCTL_LOCATED_VIOLATION_H_
#define BUDGETCTL_LOCATED_VIOLATION_H_

#include <string>
#include <vector>

#include "budget/budget_file/file_error.h"
#include "budget/budget_file/source_map.h"
#include "budget/v1/budget.pb.h"

namespace budgetctl {

struct LocatedViolation {
  std::string rule_id;
  std::string severity;  // "fatal" or "warning".
  std::string file;
  int line = 0;  // 0 when the file as a whole is meant (or it has no lines).
  std::string field;
  std::string given;
  std::string expected;
  std::string message;
};

// Every violation of `report`, in report order, located through
// `source_map` (whose file name names the file).
std::vector<LocatedViolation> LocateViolations(
    const budget::v1::ValidationReport& report,
    const budget::SourceMap& source_map);

// Syntax errors of a file; all fatal.
std::vector<LocatedViolation> FromFileErrors(
    const std::vector<budget::FileError>& errors);

// "file:line: RULE fatal field: message (given: X; expected: Y)"; the line
// is left out when unknown.
std::string FormatViolation(const LocatedViolation& violation);

// RFC 4180 CSV with a header row: rule, severity, file, line, field, value,
// expected, message. Lines end in CRLF as RFC 4180 says.
std::string ViolationsCsv(const std::vector<LocatedViolation>& violations);

}  // namespace budgetctl

#endif  // BUDGETCTL_LOCATED_VIOLATION_H_
