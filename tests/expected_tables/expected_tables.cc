#include "tests/expected_tables/expected_tables.h"

#include <algorithm>
#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "budget/tables/table_grid.h"

namespace expected_tables {
namespace {

// A TSV file without its comment lines: column names, then rows.
struct Tsv {
  std::vector<std::string> columns;
  std::vector<std::vector<std::string>> rows;
};

Tsv ReadTsv(const std::string& path) {
  Tsv tsv;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string> cells = absl::StrSplit(line, '\t');
    if (tsv.columns.empty()) {
      tsv.columns = std::move(cells);
    } else {
      tsv.rows.push_back(std::move(cells));
    }
  }
  return tsv;
}

// True when `label` names `row`: one of its cells, or "" for a row whose
// text cells are all empty.
bool RowHasLabel(const std::vector<std::string>& row,
                 const std::string& label) {
  if (!label.empty()) {
    return std::find(row.begin(), row.end(), label) != row.end();
  }
  return std::none_of(row.begin(), row.end(), [](const std::string& cell) {
    return !cell.empty() &&
           cell.find_first_not_of("0123456789.,-") != std::string::npos;
  });
}

// The generator that listed the differences prints a zero it reproduces as
// "0.0" where the tables leave the cell empty.
bool SameReproduced(const std::string& listed, const std::string& got) {
  return listed == got || (listed == "0.0" && got.empty());
}

bool IsKnown(const Tsv& known, const std::string& table,
             const std::vector<std::string>& row, const std::string& column,
             const std::string& printed, const std::string& reproduced) {
  for (const std::vector<std::string>& difference : known.rows) {
    if (difference.size() >= 5 && difference[0] == table &&
        RowHasLabel(row, difference[1]) && difference[2] == column &&
        difference[3] == printed && SameReproduced(difference[4], reproduced)) {
      return true;
    }
  }
  return false;
}

}  // namespace

std::vector<std::string> CompareWithExpected(
    const budget::v1::DisclosureTable& table, const std::string& expected_dir) {
  const std::string name = absl::StrCat("T", table.table_id());
  Tsv expected = ReadTsv(absl::StrCat(expected_dir, "/", name, ".tsv"));
  Tsv known = ReadTsv(absl::StrCat(expected_dir, "/known_differences.tsv"));
  std::vector<std::string> problems;
  if (expected.columns.empty()) {
    problems.push_back(absl::StrCat(name, ": no expected file"));
    return problems;
  }
  size_t rows = std::max<size_t>(expected.rows.size(), table.body_rows_size());
  for (size_t r = 0; r < rows; ++r) {
    if (r >= expected.rows.size() ||
        r >= static_cast<size_t>(table.body_rows_size())) {
      problems.push_back(
          absl::StrCat(name, " row ", r + 1, ": ",
                       r >= expected.rows.size() ? "extra" : "missing"));
      continue;
    }
    const std::vector<std::string>& want = expected.rows[r];
    const budget::v1::TableRow& got = table.body_rows(r);
    for (size_t c = 0; c < std::max<size_t>(want.size(), got.cells_size());
         ++c) {
      std::string printed = c < want.size() ? want[c] : "";
      std::string reproduced = c < static_cast<size_t>(got.cells_size())
                                   ? budget::PrintedCell(got.cells(c))
                                   : "";
      if (printed == reproduced) continue;
      std::string column =
          c < expected.columns.size() ? expected.columns[c] : "?";
      if (IsKnown(known, name, want, column, printed, reproduced)) continue;
      problems.push_back(absl::StrCat(name, " row ", r + 1, " (", want[0], "|",
                                      want.size() > 1 ? want[1] : "",
                                      ") column ", column, ": printed '",
                                      printed, "', got '", reproduced, "'"));
    }
  }
  return problems;
}

}  // namespace expected_tables
