#include "tests/expected_tables/expected_tables.h"

#include <algorithm>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "budget/tables/table_grid.h"
#include "tests/expected_tables/by_meaning.h"
#include "tests/expected_tables/tsv.h"

namespace expected_tables {
namespace {

// Body rows as printed, cell by cell.
Rows PrintedRows(const budget::v1::DisclosureTable& table) {
  Rows rows;
  for (const budget::v1::TableRow& row : table.body_rows()) {
    std::vector<std::string>& cells = rows.emplace_back();
    for (const budget::v1::TableCell& cell : row.cells()) {
      cells.push_back(budget::PrintedCell(cell));
    }
  }
  return rows;
}

// Table 12 in the layout of its TSV (part, heading, item, subitem, value,
// explanation): the table prints the goal, then the tasks under a heading
// row, the 预算情况 rows, and the indicators under a heading row, with a
// 一级/二级指标 (and 预算情况's item) only where it changes; the TSV carries
// each down to the rows below.
Rows PerformanceGoalRows(const budget::v1::DisclosureTable& table) {
  enum class Part { kGoal, kTask, kBudget, kIndicator } part = Part::kGoal;
  Rows rows;
  std::string heading, item;
  for (const std::vector<std::string>& cells : PrintedRows(table)) {
    auto cell = [&cells](size_t i) {
      return i < cells.size() ? cells[i] : std::string();
    };
    if (cell(0) == "年度主要任务") {
      part = Part::kTask;
      continue;
    }
    if (cell(0) == "预算情况") part = Part::kBudget;
    if (cell(0) == "一级指标") {
      part = Part::kIndicator;
      heading.clear();
      item.clear();
      continue;
    }
    switch (part) {
      case Part::kGoal:
        rows.push_back({"goal", "", "", "", cell(1), ""});
        break;
      case Part::kTask:
        rows.push_back({"task", "", cell(1), "", cell(2), ""});
        break;
      case Part::kBudget:
        if (!cell(0).empty()) heading = cell(0);
        if (!cell(1).empty()) item = cell(1);
        rows.push_back({"budget", heading, item, cell(2), cell(3), ""});
        break;
      case Part::kIndicator:
        if (!cell(0).empty()) heading = cell(0);
        if (!cell(1).empty()) item = cell(1);
        rows.push_back({"indicator", heading, item, cell(2), cell(3), cell(4)});
        break;
    }
  }
  return rows;
}

// known_differences.tsv names a row placed elsewhere than printed with the
// column `row_position`, printed and reproduced being 1-based body rows.
constexpr char kRowPosition[] = "row_position";

// Moves each row listed at a reproduced position back to its printed one,
// so the cells compare row by row; a listed move the rows do not show is a
// problem (the list must stay exact).
void UndoListedMoves(const Tsv& known, const std::string& table, Rows* got,
                     std::vector<std::string>* problems) {
  for (const std::vector<std::string>& difference : known.rows) {
    if (difference.size() < 5 || difference[0] != table ||
        difference[2] != kRowPosition) {
      continue;
    }
    size_t printed = 0, reproduced = 0;
    if (!absl::SimpleAtoi(difference[3], &printed) ||
        !absl::SimpleAtoi(difference[4], &reproduced) || printed == 0 ||
        reproduced == 0 || printed > got->size() || reproduced > got->size() ||
        !RowHasLabel((*got)[reproduced - 1], difference[1])) {
      problems->push_back(absl::StrCat(table, ": listed row move of '",
                                       difference[1], "' from row ",
                                       difference[4], " to row ", difference[3],
                                       " does not match the table"));
      continue;
    }
    std::vector<std::string> row = std::move((*got)[reproduced - 1]);
    got->erase(got->begin() + (reproduced - 1));
    got->insert(got->begin() + (printed - 1), std::move(row));
  }
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
  Rows got = table.table_id() == "12" ? PerformanceGoalRows(table)
                                      : PrintedRows(table);
  UndoListedMoves(known, name, &got, &problems);
  const size_t rows = std::max(expected.rows.size(), got.size());
  for (size_t r = 0; r < rows; ++r) {
    if (r >= expected.rows.size() || r >= got.size()) {
      problems.push_back(
          absl::StrCat(name, " row ", r + 1, ": ",
                       r >= expected.rows.size() ? "extra" : "missing"));
      continue;
    }
    const std::vector<std::string>& want = expected.rows[r];
    for (size_t c = 0; c < std::max(want.size(), got[r].size()); ++c) {
      const std::string printed = c < want.size() ? want[c] : "";
      const std::string reproduced = c < got[r].size() ? got[r][c] : "";
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

std::vector<std::string> CompareWithExpected(
    const budget::v1::DisclosureTable& table, const std::string& expected_dir,
    const CompareOptions& options) {
  if (options.keys.empty()) return CompareWithExpected(table, expected_dir);
  const std::string name = absl::StrCat("T", table.table_id());
  return CompareByMeaning(
      table, ReadTsv(absl::StrCat(expected_dir, "/", name, ".tsv")),
      ReadTsv(absl::StrCat(expected_dir, "/known_differences.tsv")), options);
}

}  // namespace expected_tables
