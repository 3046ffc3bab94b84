// Writes RFC 4180 CSV: fields are quoted only when they must be, and a quote
// inside a quoted field is doubled. Shared by the budget file writer and the
// disclosure-table CSV renderer; csv_reader.h reads the result back.
//
// Pure functions; thread-safe.
#ifndef BUDGET_BUDGET_FILE_CSV_H_
#define BUDGET_BUDGET_FILE_CSV_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace budget {

// The field as it appears in a record: quoted when it holds a comma, a
// quote, a carriage return or a line feed; otherwise unchanged.
std::string CsvEscape(absl::string_view field);

// One record without its line terminator. Besides CsvEscape's quoting, the
// first field is quoted when it starts (after blanks) with '#' or '[', or
// when every field is blank, so that the budget file reader, which skips
// comments and blank lines and looks for `[section]` lines, reads the record
// back unchanged.
std::string CsvRecord(const std::vector<std::string>& fields);

// `text` as a text field of a CSV file people open in a spreadsheet
// (tables, open data, error lists; never the budget file, which must read
// back unchanged): prefixed with an apostrophe when it starts with = + - @,
// a tab or a carriage return, which Excel, WPS and LibreOffice would
// otherwise evaluate as a formula (OWASP's CSV injection advice). Amounts
// are not passed through it.
std::string SpreadsheetText(absl::string_view text);

}  // namespace budget

#endif  // BUDGET_BUDGET_FILE_CSV_H_
