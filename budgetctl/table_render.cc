#include "budgetctl/table_render.h"

#include <algorithm>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "budget/budget_file/csv.h"
#include "budget/money.h"
#include "budget/tables/display_width.h"

namespace budgetctl {
namespace {

using budget::v1::DisclosureTable;
using budget::v1::TableCell;
using budget::v1::TableRow;

constexpr absl::string_view kColumnGap = "  ";

// A cell placed on the grid of the table: header cells may span columns
// and rows, so a row's i-th cell is not necessarily in column i.
struct PlacedCell {
  std::string text;
  bool amount = false;  // Right-aligned.
  int column = 0;
  int span = 1;
};

struct Grid {
  int columns = 0;
  std::vector<std::vector<PlacedCell>> rows;
};

std::string CellText(const TableCell& cell, bool for_csv) {
  switch (cell.value_case()) {
    case TableCell::kText:
      return cell.text();
    case TableCell::kAmountFen: {
      std::string wan = budget::FormatWan(cell.amount_fen());
      return for_csv ? absl::StrReplaceAll(wan, {{",", ""}}) : wan;
    }
    case TableCell::kMasked:
      return "XXXX";
    default:
      return "";
  }
}

// Lays out header rows then body rows, skipping grid positions that a
// row-spanning cell above still covers.
Grid Place(const DisclosureTable& table, bool for_csv) {
  Grid grid;
  std::vector<int> covered_until;  // Per column: first row not covered.
  auto place_row = [&](const TableRow& row) {
    int r = static_cast<int>(grid.rows.size());
    std::vector<PlacedCell>& placed = grid.rows.emplace_back();
    int column = 0;
    for (const TableCell& cell : row.cells()) {
      while (column < static_cast<int>(covered_until.size()) &&
             covered_until[column] > r) {
        ++column;
      }
      int span = std::max(1, cell.column_span());
      placed.push_back({CellText(cell, for_csv),
                        cell.value_case() != TableCell::kText, column, span});
      if (static_cast<int>(covered_until.size()) < column + span) {
        covered_until.resize(column + span, 0);
      }
      for (int c = column; c < column + span; ++c) {
        covered_until[c] = r + std::max(1, cell.row_span());
      }
      column += span;
    }
    grid.columns = std::max(grid.columns, column);
  };
  for (const TableRow& row : table.header_rows()) place_row(row);
  for (const TableRow& row : table.body_rows()) place_row(row);
  return grid;
}

// Widths such that every cell fits: single-column cells first, then any
// spanning cell still too wide widens the last column it spans.
std::vector<int> ColumnWidths(const Grid& grid) {
  std::vector<int> widths(grid.columns, 0);
  for (const auto& row : grid.rows) {
    for (const PlacedCell& cell : row) {
      if (cell.span == 1) {
        widths[cell.column] =
            std::max(widths[cell.column], budget::DisplayWidth(cell.text));
      }
    }
  }
  const int gap = static_cast<int>(kColumnGap.size());
  for (const auto& row : grid.rows) {
    for (const PlacedCell& cell : row) {
      if (cell.span == 1) continue;
      int spanned = (cell.span - 1) * gap;
      for (int c = cell.column; c < cell.column + cell.span; ++c) {
        spanned += widths[c];
      }
      int missing = budget::DisplayWidth(cell.text) - spanned;
      if (missing > 0) widths[cell.column + cell.span - 1] += missing;
    }
  }
  return widths;
}

std::string TextLine(const std::vector<PlacedCell>& row,
                     const std::vector<int>& widths) {
  const int gap = static_cast<int>(kColumnGap.size());
  std::string line;
  int column = 0;
  for (const PlacedCell& cell : row) {
    for (; column < cell.column; ++column) {
      absl::StrAppend(&line, std::string(widths[column] + gap, ' '));
    }
    int width = (cell.span - 1) * gap;
    for (int c = cell.column; c < cell.column + cell.span; ++c) {
      width += widths[c];
    }
    absl::StrAppend(&line,
                    cell.amount ? budget::PadLeft(cell.text, width)
                                : budget::PadRight(cell.text, width),
                    kColumnGap);
    column = cell.column + cell.span;
  }
  line.erase(line.find_last_not_of(' ') + 1);
  return line;
}

}  // namespace

std::string RenderTableText(const DisclosureTable& table) {
  Grid grid = Place(table, /*for_csv=*/false);
  std::vector<int> widths = ColumnWidths(grid);
  int total_width = 0;
  for (int w : widths) total_width += w + static_cast<int>(kColumnGap.size());
  std::string rule(std::max(0, total_width - 2), '-');

  std::string text = absl::StrCat(table.title(), "\n");
  absl::StrAppend(&text, "部门：", table.node_name(), " (", table.node_code(),
                  ")    ", table.unit_label(), "\n", rule, "\n");
  const int header_rows = table.header_rows_size();
  for (int r = 0; r < static_cast<int>(grid.rows.size()); ++r) {
    if (r == header_rows && header_rows > 0) absl::StrAppend(&text, rule, "\n");
    absl::StrAppend(&text, TextLine(grid.rows[r], widths), "\n");
  }
  absl::StrAppend(&text, rule, "\n");
  for (const std::string& note : table.notes()) {
    absl::StrAppend(&text, note, "\n");
  }
  return text;
}

std::string RenderTableCsv(const DisclosureTable& table) {
  Grid grid = Place(table, /*for_csv=*/true);
  std::string csv;
  for (const auto& row : grid.rows) {
    std::vector<std::string> fields(grid.columns);
    for (const PlacedCell& cell : row) fields[cell.column] = cell.text;
    absl::StrAppend(&csv, budget::CsvRecord(fields), "\r\n");
  }
  return csv;
}

}  // namespace budgetctl
