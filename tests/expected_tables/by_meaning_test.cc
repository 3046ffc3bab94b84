// CompareWithExpected by meaning: rows paired by key, columns by name,
// amounts at the document's precision.
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "budget/v1/tables.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/expected_tables/expected_tables.h"

namespace expected_tables {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

// Table 05 (code, name, total, basic_total, ...) with rows of code, name,
// total fen and basic fen; the other amount columns are zero.
budget::v1::DisclosureTable Table05(
    const std::vector<std::tuple<std::string, std::string, int64_t, int64_t>>&
        rows) {
  budget::v1::DisclosureTable table;
  table.set_table_id("05");
  for (const auto& [code, name, total, basic] : rows) {
    budget::v1::TableRow* row = table.add_body_rows();
    row->add_cells()->set_text(code);
    row->add_cells()->set_text(name);
    row->add_cells()->set_amount_fen(total);
    row->add_cells()->set_amount_fen(basic);
    for (int i = 0; i < 7; ++i) row->add_cells()->set_amount_fen(0);
  }
  return table;
}

class ByMeaningTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::path(::testing::TempDir()) /
           ::testing::UnitTest::GetInstance()->current_test_info()->name();
    // Fresh: files of an earlier run must not leak into this one.
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }

  void Write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name) << text;
  }

  std::vector<std::string> Compare(const budget::v1::DisclosureTable& table,
                                   CompareOptions options) {
    return CompareWithExpected(table, dir_.string(), options);
  }

  static CompareOptions ByCode() {
    CompareOptions options;
    options.keys.push_back({{"code"}, {}});
    return options;
  }

  std::filesystem::path dir_;
};

TEST_F(ByMeaningTest, IgnoresRowAndColumnOrderAndUnprintedZeroRows) {
  // The document prints basic before total, one decimal with grouping, and
  // rows in another order; it leaves out a row of zeros.
  Write("T05.tsv",
        "# test\ncode\tbasic_total\ttotal\tname\n"
        "2120101\t1,000.0\t1,234.5\t行政运行\n"
        "\t1,000.0\t1,234.5\t合计\n");
  const auto table =
      Table05({{"", "合计", 1'234'500'000, 1'000'000'000},
               {"2120101", "行政运行", 1'234'500'000, 1'000'000'000},
               {"2120102", "一般行政管理事务", 0, 0}});
  EXPECT_THAT(Compare(table, ByCode()), IsEmpty());
}

TEST_F(ByMeaningTest, NamesEveryDifferentCellMissingAndExtraRow) {
  Write("T05.tsv",
        "code\tname\ttotal\n"
        "\t合计\t1,234.6\n"
        "2120101\t行政运行\t1,234.5\n"
        "2120199\t其他\t0.1\n");
  const auto table = Table05({{"", "合计", 1'234'500'000, 0},
                              {"2120101", "行政运行", 1'234'500'000, 0},
                              {"2120102", "一般行政管理事务", 100'000, 0}});
  EXPECT_THAT(
      Compare(table, ByCode()),
      ElementsAre("T05 [] column total: printed '1,234.6', got '1234.5'",
                  "T05 [2120199]: missing row",
                  "T05 [2120102]: extra row with figures the document does "
                  "not print"));
}

TEST_F(ByMeaningTest, ExtraRowsPassOnlyWhenListedOrPartial) {
  Write("T05.tsv", "code\ttotal\n2120101\t1,234.5\n");
  const auto table = Table05({{"2120101", "行政运行", 1'234'500'000, 0},
                              {"2120102", "一般行政管理事务", 100'000, 0}});
  EXPECT_THAT(Compare(table, ByCode()),
              ElementsAre(HasSubstr("T05 [2120102]: extra row")));
  CompareOptions partial = ByCode();
  partial.partial = true;
  EXPECT_THAT(Compare(table, partial), IsEmpty());
  Write("known_differences.tsv",
        "table\trow\tcolumn\tprinted\treproduced\treason\n"
        "T05\t2120102\ttotal\t\t0.1\tthe document has no such row\n");
  EXPECT_THAT(Compare(table, ByCode()), IsEmpty());
}

TEST_F(ByMeaningTest, ComparesAtTheDocumentsPrecision) {
  Write("T05.tsv", "code\ttotal\n2120101\t1234.57\n");
  const auto table = Table05({{"2120101", "行政运行", 1'234'565'000, 0}});
  CompareOptions options = ByCode();
  options.decimals = 2;
  EXPECT_THAT(Compare(table, options), IsEmpty());
  options.in_wan = false;  // 元: 12345650.00
  EXPECT_THAT(Compare(table, options),
              ElementsAre(HasSubstr("printed '1234.57', got '12345650.00'")));
}

TEST_F(ByMeaningTest, AllowsOnlyTheListedDifferences) {
  Write("T05.tsv", "code\ttotal\n2120101\t1,234.6\n");
  Write("known_differences.tsv",
        "table\trow\tcolumn\tprinted\treproduced\treason\n"
        "T05\t2120101\ttotal\t1,234.6\t1234.5\tprinted rounding\n");
  const auto table = Table05({{"2120101", "行政运行", 1'234'500'000, 0}});
  EXPECT_THAT(Compare(table, ByCode()), IsEmpty());
  Write("T05.tsv", "code\ttotal\n2120101\t1,234.7\n");
  EXPECT_THAT(Compare(table, ByCode()), ElementsAre(HasSubstr("1,234.7")));
}

TEST_F(ByMeaningTest, JoinsColumnsNamedWithPlus) {
  // Table 03 layout, the document printing the code in one column.
  budget::v1::DisclosureTable table;
  table.set_table_id("03");
  budget::v1::TableRow* row = table.add_body_rows();
  for (const char* text : {"212", "01", "01", "", "行政运行"}) {
    row->add_cells()->set_text(text);
  }
  row->add_cells()->set_amount_fen(5'000'000);
  Write("T03.tsv", "lei+kuan+xiang\ttotal\n2120101\t5.0\n");
  CompareOptions options;
  options.keys.push_back({{"lei+kuan+xiang"}, {}});
  EXPECT_THAT(Compare(table, options), IsEmpty());
  options.keys = {{{"code"}, {}}};
  EXPECT_THAT(Compare(table, options),
              ElementsAre(HasSubstr("column 'code' is not both")));
}

}  // namespace
}  // namespace expected_tables
