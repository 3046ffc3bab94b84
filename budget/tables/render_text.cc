#include "budget/tables/render_text.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "budget/tables/display_width.h"
#include "budget/tables/table_grid.h"

namespace budget {
namespace {

constexpr absl::string_view kSeparator = " | ";
constexpr int kSeparatorWidth = 3;

// Columns as wide as their widest single cell; a spanning cell wider than
// the columns it spans widens the last of them.
std::vector<int> ColumnWidths(const TableGrid& grid) {
  std::vector<int> widths(grid.columns, 0);
  std::vector<const std::vector<GridCell>*> rows;
  for (const auto& row : grid.header) rows.push_back(&row);
  for (const auto& row : grid.body) rows.push_back(&row);
  for (int pass = 0; pass < 2; ++pass) {  // Single cells, then spans.
    for (const auto* row : rows) {
      for (int c = 0; c < grid.columns; ++c) {
        const GridCell& cell = (*row)[c];
        if (cell.covered || (cell.column_span > 1) != (pass == 1)) continue;
        int available = (cell.column_span - 1) * kSeparatorWidth;
        for (int k = 0; k < cell.column_span; ++k) available += widths[c + k];
        const int missing = DisplayWidth(cell.text) - available;
        if (missing > 0) widths[c + cell.column_span - 1] += missing;
      }
    }
  }
  return widths;
}

std::string Line(const std::vector<GridCell>& row,
                 const std::vector<int>& widths) {
  std::string line = "| ";
  for (size_t c = 0; c < row.size(); ++c) {
    const GridCell& cell = row[c];
    if (cell.covered) continue;
    int width = (cell.column_span - 1) * kSeparatorWidth;
    for (int k = 0; k < cell.column_span; ++k) width += widths[c + k];
    if (c > 0) absl::StrAppend(&line, kSeparator);
    absl::StrAppend(&line, cell.right_aligned ? PadLeft(cell.text, width)
                                              : PadRight(cell.text, width));
  }
  absl::StrAppend(&line, " |\n");
  return line;
}

}  // namespace

std::string RenderText(const v1::DisclosureTable& table) {
  const TableGrid grid = LayOut(table);
  const std::vector<int> widths = ColumnWidths(grid);
  std::string out =
      absl::StrCat(table.title(), "\n部门名称：", table.node_name(), "\n",
                   table.unit_label(), "\n");
  for (const auto& row : grid.header) absl::StrAppend(&out, Line(row, widths));
  for (const auto& row : grid.body) absl::StrAppend(&out, Line(row, widths));
  for (const std::string& note : table.notes()) {
    absl::StrAppend(&out, note, "\n");
  }
  return out;
}

}  // namespace budget
