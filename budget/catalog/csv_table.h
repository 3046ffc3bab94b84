// Reads the simple CSV of the catalog files: a fixed header line, then one
// record a line, fields separated by commas. Catalog names contain neither
// commas nor quotes, so quoting is rejected rather than half-supported.
// Every error names file:line. Pure functions; thread-safe.
#ifndef BUDGET_CATALOG_CSV_TABLE_H_
#define BUDGET_CATALOG_CSV_TABLE_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace budget {

struct CsvRecord {
  int line = 0;  // 1-based line number in the file.
  std::vector<std::string> fields;
};

// Parses `text`, the contents of `file_name`. The first line must name
// exactly `columns`, in order; blank lines are skipped; a UTF-8 byte-order
// mark and CRLF line ends are tolerated.
absl::StatusOr<std::vector<CsvRecord>> ParseCsvTable(
    absl::string_view file_name, absl::string_view text,
    const std::vector<std::string>& columns);

// "file:line: message", the form of every catalog data error.
absl::Status CsvError(absl::string_view file_name, int line,
                      absl::string_view message);

}  // namespace budget

#endif  // BUDGET_CATALOG_CSV_TABLE_H_
