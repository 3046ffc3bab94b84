// Internal to expected_tables: the expected TSV files of a golden fixture
// and its list of known differences, shared by both ways of comparing.
// Pure functions; thread-safe.
#ifndef TESTS_EXPECTED_TABLES_TSV_H_
#define TESTS_EXPECTED_TABLES_TSV_H_

#include <string>
#include <vector>

namespace expected_tables {

using Rows = std::vector<std::vector<std::string>>;

// A TSV file without its comment lines: column names, then rows.
struct Tsv {
  std::vector<std::string> columns;
  Rows rows;
};

// Empty when the file is missing.
Tsv ReadTsv(const std::string& path);

// True when `label` names `row`: one of its cells, or "" for a row whose
// text cells are all empty.
bool RowHasLabel(const std::vector<std::string>& row, const std::string& label);

// True when known_differences.tsv (`known`) lists this cell of `table`
// ("T05"), the row named by one of its cells (`row`).
bool IsKnown(const Tsv& known, const std::string& table,
             const std::vector<std::string>& row, const std::string& column,
             const std::string& printed, const std::string& reproduced);

}  // namespace expected_tables

#endif  // TESTS_EXPECTED_TABLES_TSV_H_
