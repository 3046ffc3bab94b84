// The layout shared by .budget and .units files: CSV records grouped under
// `[name]` section lines, each section either key-value lines or a table
// whose first line names the columns. This layer checks the layout against a
// schema (sections, columns and keys known and present, field counts) and
// hands the parsers named cells with their lines; what the values mean is
// the parsers' business.
//
// Spreadsheets pad every line to the widest one, so trailing empty fields,
// trailing empty header columns and lines made only of commas are ignored.
//
// Plain values; thread-compatible.
#ifndef BUDGET_BUDGET_FILE_SECTIONED_FILE_H_
#define BUDGET_BUDGET_FILE_SECTIONED_FILE_H_

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "budget/budget_file/file_error.h"

namespace budget {

struct SectionSchema {
  enum class Kind { kKeyValue, kTable };

  std::string name;  // Without brackets.
  Kind kind = Kind::kTable;
  std::vector<std::string> required;  // Columns or keys.
  std::vector<std::string> optional;
  bool must_appear = false;
};

struct Cell {
  std::string value;
  int line = 0;
};

// A table row, or all the lines of a key-value section. Every required
// column or key of the schema is present; optional ones may be absent.
struct SectionRecord {
  int line = 0;  // The row's line; a key-value section's `[name]` line.
  absl::flat_hash_map<std::string, Cell> cells;

  // nullptr when the column or key is absent.
  const Cell* Find(absl::string_view name) const;
  // The value, or "" when absent.
  absl::string_view Value(absl::string_view name) const;
};

struct Section {
  int line = 0;  // Of the `[name]` line.
  // Rows in file order. Empty when the table's header is broken: its errors
  // are reported and its rows not read, so that one mistake in a header
  // does not come back as one error per row.
  std::vector<SectionRecord> records;
};

struct SectionedFile {
  // Sections that appear in the file, by name. A std::map because the
  // reader keeps a pointer to the section it fills while adding others.
  std::map<std::string, Section, std::less<>> sections;

  // nullptr when the section does not appear.
  const Section* Find(absl::string_view name) const;
};

// Adds an error, with its line, for every line of `text` holding invalid
// UTF-8, a NUL byte, or a carriage return outside quotes that does not end
// a CRLF line end (a file saved with old Mac line ends would otherwise be read
// as one long line). False when it found any: parsers then read no further, as
// what would follow is misread from the fault on.
bool CheckFileText(absl::string_view text, FileErrorSink* errors);

// Splits `text` into sections and checks it against `schemas`, adding what
// is wrong to `errors`.
SectionedFile ReadSectionedFile(absl::string_view text,
                                const std::vector<SectionSchema>& schemas,
                                FileErrorSink* errors);

}  // namespace budget

#endif  // BUDGET_BUDGET_FILE_SECTIONED_FILE_H_
