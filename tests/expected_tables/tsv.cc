#include "tests/expected_tables/tsv.h"

#include <algorithm>
#include <fstream>

#include "absl/strings/str_split.h"

namespace expected_tables {
namespace {

// The generator that listed the differences prints a zero it reproduces as
// "0.0" where the tables leave the cell empty.
bool SameReproduced(const std::string& listed, const std::string& got) {
  return listed == got || (listed == "0.0" && got.empty());
}

}  // namespace

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

}  // namespace expected_tables
