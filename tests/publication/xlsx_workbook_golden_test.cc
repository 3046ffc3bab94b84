// The reference department's workbook, read back by an independent reader
// (python3-openpyxl, tests/publication/check_xlsx.py): every cell of tables
// 01–13 as the tables print it (numbers as numbers), the merged header cells,
// frozen header rows, A4 landscape, and in each table the detail rows'
// numbers summing to the total in every column.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "budget/publication/xlsx_workbook.h"
#include "budget/tables/table_grid.h"
#include "gtest/gtest.h"
#include "tests/publication/reference_publication.h"
#include "tests/testing/scratch_dir.h"

namespace budget {
namespace {

// "A1"-style name of a 0-based cell.
std::string CellName(int row, int col) {
  std::string letters;
  for (int c = col + 1; c > 0; c = (c - 1) / 26) {
    letters.insert(letters.begin(), static_cast<char>('A' + (c - 1) % 26));
  }
  return absl::StrCat(letters, row + 1);
}

// One grid's expectations; `first_row` is the sheet row of grid row 0.
void ExpectGrid(const std::string& sheet,
                const std::vector<std::vector<GridCell>>& grid,
                const google::protobuf::RepeatedPtrField<v1::TableRow>& rows,
                int first_row, std::ofstream* out) {
  for (size_t r = 0; r < grid.size(); ++r) {
    int k = 0;
    for (size_t c = 0; c < grid[r].size(); ++c) {
      const GridCell& at = grid[r][c];
      if (at.covered || at.below_span || k >= rows[r].cells_size()) continue;
      const v1::TableCell& cell = rows[r].cells(k++);
      const int row = first_row + r;
      const char* kind = cell.has_amount_fen() ? "number"
                         : at.text.empty()     ? "blank"
                                               : "text";
      *out << "cell\t" << sheet << "\t" << row + 1 << "\t" << c + 1 << "\t"
           << kind << "\t" << at.text << "\n";
      if (at.row_span > 1 || at.column_span > 1) {
        *out << "merge\t" << sheet << "\t" << CellName(row, c) << ":"
             << CellName(row + at.row_span - 1, c + at.column_span - 1) << "\n";
      }
    }
  }
}

// Tables 01 and 04 set income beside expenditure and print "其中" rows
// under their items, so their detail rows do not add up to one total.
bool DetailsSumToTotal(const std::string& id) {
  return id != "01" && id != "04";
}

// The sheet's expectations: its cells, merges, frozen rows, and — when the
// table has one 合计 row its details add up to — that they do.
void ExpectTable(const v1::DisclosureTable& table, std::ofstream* out) {
  const std::string sheet = absl::StrCat("预算", table.table_id(), "表");
  const TableGrid grid = LayOut(table);
  ExpectGrid(sheet, grid.header, table.header_rows(), kXlsxHeaderRow, out);
  const int body_row = kXlsxHeaderRow + table.header_rows_size();
  ExpectGrid(sheet, grid.body, table.body_rows(), body_row, out);
  *out << "freeze\t" << sheet << "\t" << CellName(body_row, 0) << "\n";
  std::vector<int> totals, details;
  for (int r = 0; r < table.body_rows_size(); ++r) {
    const v1::RowKind kind = table.body_rows(r).kind();
    if (kind == v1::ROW_KIND_TOTAL) totals.push_back(body_row + r + 1);
    if (kind == v1::ROW_KIND_DETAIL) details.push_back(body_row + r + 1);
  }
  if (DetailsSumToTotal(table.table_id()) && totals.size() == 1 &&
      !details.empty()) {
    *out << "sum\t" << sheet << "\t" << totals[0] << "\t"
         << absl::StrJoin(details, "\t") << "\n";
  }
}

void CheckWorkbook(bool cleared) {
  const std::filesystem::path dir = e2e_testing::MakeScratchDir();
  const PublicationData data = e2e_testing::ReferencePublication(cleared);
  ASSERT_EQ(data.tables.size(), 13u);
  const std::string workbook = (dir / "021-2024.xlsx").string();
  ASSERT_TRUE(WriteXlsxWorkbook(data, workbook).ok());
  const std::string expected = (dir / "expected.tsv").string();
  {
    std::ofstream out(expected);
    for (const auto& [id, table] : data.tables) ExpectTable(table, &out);
  }
  const std::string command = absl::StrCat(
      DEBIAN_PYTHON3, " ", BUDGET_SOURCE_DIR,
      "/tests/publication/check_xlsx.py '", workbook, "' '", expected, "'");
  EXPECT_EQ(std::system(command.c_str()), 0) << command;
}

TEST(XlsxWorkbookGoldenTest, APublicReadersWorkbookHoldsTheMaskedTables) {
  CheckWorkbook(/*cleared=*/false);
}

TEST(XlsxWorkbookGoldenTest, AClearedReadersWorkbookHoldsTheFullTables) {
  CheckWorkbook(/*cleared=*/true);
}

}  // namespace
}  // namespace budget
