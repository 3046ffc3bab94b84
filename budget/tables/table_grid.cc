#include "budget/tables/table_grid.h"

#include <algorithm>

#include "budget/money.h"

namespace budget {
namespace {

int Span(int value) { return value > 1 ? value : 1; }

// Places `rows` on the grid, honouring column and row spans.
std::vector<std::vector<GridCell>> Place(
    const google::protobuf::RepeatedPtrField<v1::TableRow>& rows, int columns) {
  std::vector<std::vector<GridCell>> grid(rows.size(),
                                          std::vector<GridCell>(columns));
  std::vector<std::vector<bool>> taken(rows.size(),
                                       std::vector<bool>(columns, false));
  for (int r = 0; r < rows.size(); ++r) {
    int column = 0;
    for (const v1::TableCell& cell : rows[r].cells()) {
      while (column < columns && taken[r][column]) ++column;
      if (column >= columns) break;
      const int width = std::min(Span(cell.column_span()), columns - column);
      const int height = std::min<int>(Span(cell.row_span()), rows.size() - r);
      for (int dr = 0; dr < height; ++dr) {
        for (int dc = 0; dc < width; ++dc) {
          taken[r + dr][column + dc] = true;
          grid[r + dr][column + dc].covered = dr > 0 || dc > 0;
        }
      }
      GridCell& placed = grid[r][column];
      placed.text = PrintedCell(cell);
      placed.column_span = width;
      placed.row_span = height;
      placed.right_aligned =
          cell.value_case() == v1::TableCell::kAmountFen || cell.masked();
      // Rows below a row-spanning cell keep its span so they align.
      for (int dr = 1; dr < height; ++dr) {
        grid[r + dr][column].covered = false;
        grid[r + dr][column].below_span = true;
        grid[r + dr][column].column_span = width;
        for (int dc = 1; dc < width; ++dc)
          grid[r + dr][column + dc].covered = true;
      }
      column += width;
    }
  }
  return grid;
}

int RowWidth(const v1::TableRow& row) {
  int width = 0;
  for (const v1::TableCell& cell : row.cells())
    width += Span(cell.column_span());
  return width;
}

}  // namespace

std::string PrintedCell(const v1::TableCell& cell) {
  switch (cell.value_case()) {
    case v1::TableCell::kText:
      return cell.text();
    case v1::TableCell::kAmountFen:
      return FormatWan(cell.amount_fen());
    case v1::TableCell::kMasked:
      return cell.masked() ? "XXXX" : "";
    case v1::TableCell::VALUE_NOT_SET:
      break;
  }
  return "";
}

TableGrid LayOut(const v1::DisclosureTable& table) {
  TableGrid grid;
  for (const v1::TableRow& row : table.body_rows()) {
    grid.columns = std::max(grid.columns, RowWidth(row));
  }
  if (!table.header_rows().empty()) {
    grid.columns = std::max(grid.columns, RowWidth(table.header_rows(0)));
  }
  grid.header = Place(table.header_rows(), grid.columns);
  grid.body = Place(table.body_rows(), grid.columns);
  return grid;
}

}  // namespace budget
