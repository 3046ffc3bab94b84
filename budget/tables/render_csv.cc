#include "budget/tables/render_csv.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "budget/budget_file/csv.h"
#include "budget/tables/table_grid.h"

namespace budget {
namespace {

void AppendRecords(const std::vector<std::vector<GridCell>>& rows,
                   std::string* out) {
  for (const auto& row : rows) {
    std::vector<std::string> fields;
    fields.reserve(row.size());
    for (const GridCell& cell : row) {
      fields.push_back(cell.covered         ? ""
                       : cell.right_aligned ? cell.text  // Amounts, masks.
                                            : SpreadsheetText(cell.text));
    }
    absl::StrAppend(out, CsvRecord(fields), "\r\n");
  }
}

}  // namespace

std::string RenderCsv(const v1::DisclosureTable& table) {
  const TableGrid grid = LayOut(table);
  std::string out;
  AppendRecords(grid.header, &out);
  AppendRecords(grid.body, &out);
  for (const std::string& note : table.notes()) {
    absl::StrAppend(&out, CsvRecord({SpreadsheetText(note)}), "\r\n");
  }
  return out;
}

}  // namespace budget
