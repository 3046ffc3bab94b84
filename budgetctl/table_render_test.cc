#include "budgetctl/table_render.h"

#include "absl/strings/str_split.h"
#include "budget/tables/display_width.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace budgetctl {
namespace {

using budget::v1::DisclosureTable;
using budget::v1::TableRow;
using ::testing::HasSubstr;

void AddText(TableRow* row, const std::string& text, int column_span = 0,
             int row_span = 0) {
  budget::v1::TableCell* cell = row->add_cells();
  cell->set_text(text);
  cell->set_column_span(column_span);
  cell->set_row_span(row_span);
}

// A miniature of table 01: a header spanning two rows and two columns
// above the body, Chinese names, amounts of different widths.
DisclosureTable MiniTable() {
  DisclosureTable table;
  table.set_table_id("01");
  table.set_title("2024 年部门收支总体情况表");
  table.set_node_code("021");
  table.set_node_name("郑州市工业和信息化局");
  table.set_unit_label("单位：万元");
  TableRow* top = table.add_header_rows();
  AddText(top, "项目", 1, 2);
  AddText(top, "预算数", 2);
  TableRow* second = table.add_header_rows();
  AddText(second, "本年");
  AddText(second, "上年");
  TableRow* body = table.add_body_rows();
  AddText(body, "一般公共预算");
  body->add_cells()->set_amount_fen(96'258'300'000);
  body->add_cells()->set_masked(true);
  TableRow* total = table.add_body_rows();
  AddText(total, "合计, \"all\"");
  total->add_cells()->set_amount_fen(4'200'000);
  total->add_cells();
  return table;
}

TEST(TableRenderTest, TextAlignsChineseAndRightAlignsAmounts) {
  std::string text = RenderTableText(MiniTable());
  EXPECT_THAT(text, HasSubstr("2024 年部门收支总体情况表\n"));
  EXPECT_THAT(text, HasSubstr("郑州市工业和信息化局"));
  std::vector<std::string> lines = absl::StrSplit(text, '\n');
  // Title, node line, rule, two header rows, rule, two body rows, rule.
  ASSERT_GE(lines.size(), 9u);
  const std::string& first = lines[6];
  const std::string& second = lines[7];
  EXPECT_THAT(first, HasSubstr("96,258.3"));
  EXPECT_THAT(first, HasSubstr("XXXX"));
  EXPECT_THAT(second, HasSubstr("4.2"));
  // Both amounts end in the same display column.
  auto end_column = [](const std::string& line, const std::string& amount) {
    return budget::DisplayWidth(line.substr(0, line.find(amount))) +
           budget::DisplayWidth(amount);
  };
  EXPECT_EQ(end_column(first, "96,258.3"), end_column(second, "4.2"));
  // The second header row starts under 预算数, past the row-spanned 项目.
  EXPECT_EQ(budget::DisplayWidth(lines[4].substr(0, lines[4].find("本年"))),
            budget::DisplayWidth(lines[3].substr(0, lines[3].find("预算数"))));
}

TEST(TableRenderTest, CsvFlattensSpansAndDropsSeparators) {
  EXPECT_EQ(RenderTableCsv(MiniTable()),
            "项目,预算数,\r\n"
            ",本年,上年\r\n"
            "一般公共预算,96258.3,XXXX\r\n"
            "\"合计, \"\"all\"\"\",4.2,\r\n");
}

}  // namespace
}  // namespace budgetctl
