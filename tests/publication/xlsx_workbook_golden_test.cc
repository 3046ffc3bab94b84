// The reference department's workbook, read back by an independent reader
// (python3-openpyxl, tests/publication/check_xlsx.py): every cell of tables
// 01–13 as the tables print it (numbers as numbers), the merged header cells,
// frozen header rows, A4 landscape, and in every table the numbers adding
// up: details to the total, or in tables 01 and 04 each item to the items
// one level below it and the numbered items to the 合计 and 总计 rows.
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
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

// Tables 01 and 04 set income beside expenditure, each side a list of
// numbered items ("一、", then "（一）" under them, then "其中：" parts),
// so their rows add up by level, not to one total.
bool DetailsSumToTotal(const std::string& id) {
  return id != "01" && id != "04";
}

// The level of an item by its label: 1 for "一、…", 2 for "（一）…" or
// "(一)…", 3 for "其中：…" (a part of the item above, never added); 0 for
// any other label (合计, 总计, 结转结余 rows) or none.
int Level(absl::string_view label) {
  // Chinese numerals, one to ten, compared whole (UTF-8 bytes of different
  // characters overlap, so no byte-wise character class).
  static constexpr absl::string_view kNumerals[] = {
      "一", "二", "三", "四", "五", "六", "七", "八", "九", "十"};
  auto skip_numerals = [](absl::string_view text) {
    bool more = true;
    while (more) {
      more = false;
      for (absl::string_view numeral : kNumerals) {
        if (absl::ConsumePrefix(&text, numeral)) more = true;
      }
    }
    return text;
  };
  absl::string_view rest = skip_numerals(label);
  if (rest.size() < label.size() && absl::StartsWith(rest, "、")) return 1;
  for (absl::string_view open : {"（", "("}) {
    absl::string_view inner = label;
    if (!absl::ConsumePrefix(&inner, open)) continue;
    absl::string_view after = skip_numerals(inner);
    if (after.size() < inner.size() &&
        (absl::StartsWith(after, "）") || absl::StartsWith(after, ")"))) {
      return 2;
    }
  }
  return absl::StartsWith(label, "其中") ? 3 : 0;
}

// For tables 01 and 04, side by side, each label column with the amount
// columns right of it: every item is the sum of the items one level below
// it (a "其中" part is never added); each 合计 or 总计 row (kind total or
// subtotal, no level) is the sum of the level-1 items since the last such row,
// plus that row and the unnumbered rows after it (上年结转结余). Written as
// "colsum" lines.
void ExpectSumsByLevel(const std::string& sheet,
                       const v1::DisclosureTable& table, int body_row,
                       std::ofstream* out) {
  const auto& rows = table.body_rows();
  // Label columns: a text cell with a numbered label in some row.
  int width = 0;
  for (const v1::TableRow& row : rows)
    width = std::max(width, row.cells_size());
  std::vector<bool> label(width, false), amount(width, false);
  for (const v1::TableRow& row : rows) {
    for (int c = 0; c < row.cells_size(); ++c) {
      if (row.cells(c).has_amount_fen()) amount[c] = true;
      if (Level(row.cells(c).text()) > 0) label[c] = true;
    }
  }
  auto sum = [&](const std::vector<int>& columns, int total,
                 const std::vector<int>& parts) {
    if (parts.empty()) return;
    *out << "colsum\t" << sheet << "\t" << absl::StrJoin(columns, ",") << "\t"
         << body_row + total + 1;
    for (int part : parts) *out << "\t" << body_row + part + 1;
    *out << "\n";
  };
  for (int l = 0; l < width; ++l) {
    if (!label[l]) continue;
    std::vector<int> columns;  // 1-based sheet columns.
    for (int c = l + 1; c < width && !label[c]; ++c) {
      if (amount[c]) columns.push_back(c + 1);
    }
    auto level_of = [&](int r) {
      return l < rows[r].cells_size() ? Level(rows[r].cells(l).text()) : 0;
    };
    for (int r = 0; r < rows.size(); ++r) {
      const int level = level_of(r);
      if (level != 1 && level != 2) continue;
      std::vector<int> children;
      for (int c = r + 1; c < rows.size(); ++c) {
        const int below = level_of(c);
        if (below == 0 || below <= level) break;
        if (below == level + 1 && below <= 2) children.push_back(c);
      }
      sum(columns, r, children);
    }
    std::vector<int> since;  // Level-1 items and carried rows so far.
    for (int r = 0; r < rows.size(); ++r) {
      const v1::RowKind kind = rows[r].kind();
      const bool unnumbered_total =
          level_of(r) == 0 &&
          (kind == v1::ROW_KIND_TOTAL || kind == v1::ROW_KIND_SUBTOTAL);
      if (unnumbered_total) {
        sum(columns, r, since);
        since = {r};
      } else if (level_of(r) == 1 ||
                 (!since.empty() && l < rows[r].cells_size() &&
                  !rows[r].cells(l).text().empty() && level_of(r) == 0)) {
        since.push_back(r);
      }
    }
  }
}

// The sheet's expectations: its cells, merges, frozen rows, and that its
// numbers add up: for tables 01 and 04 by level, for the others the
// details to the one 合计 row.
void ExpectTable(const v1::DisclosureTable& table, std::ofstream* out) {
  const std::string sheet = absl::StrCat("预算", table.table_id(), "表");
  const TableGrid grid = LayOut(table);
  ExpectGrid(sheet, grid.header, table.header_rows(), kXlsxHeaderRow, out);
  const int body_row = kXlsxHeaderRow + table.header_rows_size();
  ExpectGrid(sheet, grid.body, table.body_rows(), body_row, out);
  *out << "freeze\t" << sheet << "\t" << CellName(body_row, 0) << "\n";
  if (!DetailsSumToTotal(table.table_id())) {
    ExpectSumsByLevel(sheet, table, body_row, out);
    return;
  }
  std::vector<int> totals, details;
  for (int r = 0; r < table.body_rows_size(); ++r) {
    const v1::RowKind kind = table.body_rows(r).kind();
    if (kind == v1::ROW_KIND_TOTAL) totals.push_back(body_row + r + 1);
    if (kind == v1::ROW_KIND_DETAIL) details.push_back(body_row + r + 1);
  }
  if (totals.size() == 1 && !details.empty()) {
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
