// Lays a DisclosureTable out on a rectangular grid of printed cells, the
// common ground of the text and CSV renderers: header cells are placed at
// the next free column of their row, covering the positions their spans
// claim; amounts print in 万元, masked cells as XXXX. Internal to
// budget/tables. Pure; thread-compatible.
#ifndef BUDGET_TABLES_TABLE_GRID_H_
#define BUDGET_TABLES_TABLE_GRID_H_

#include <string>
#include <vector>

#include "budget/v1/tables.pb.h"

namespace budget {

// A cell as printed: its text, where it starts and how many columns it
// spans. Positions covered by another cell's span hold `covered` = true.
struct GridCell {
  std::string text;
  int column_span = 1;
  int row_span = 1;
  bool right_aligned = false;  // Amounts and masks.
  bool covered = false;
  // Below a row-spanning cell: not covered (the text renderer draws it as
  // an empty cell of the same width), but no cell of the table's own.
  bool below_span = false;
};

struct TableGrid {
  int columns = 0;
  std::vector<std::vector<GridCell>> header;  // Each row `columns` wide.
  std::vector<std::vector<GridCell>> body;
};

// The printed form of one cell: "" / text / "96,262.5" / "XXXX".
std::string PrintedCell(const v1::TableCell& cell);

TableGrid LayOut(const v1::DisclosureTable& table);

}  // namespace budget

#endif  // BUDGET_TABLES_TABLE_GRID_H_
