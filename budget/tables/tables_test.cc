// Builds a small department through the real Consolidator and checks each
// table's rows, order, sums and masking, the summary, and both renderers.
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "budget/budget_file/csv_reader.h"
#include "budget/catalog/catalog.h"
#include "budget/consolidation/consolidator.h"
#include "budget/tables/disclosure_tables.h"
#include "budget/tables/display_width.h"
#include "budget/tables/percent.h"
#include "budget/tables/render_csv.h"
#include "budget/tables/render_text.h"
#include "budget/tables/summary.h"
#include "budget/tables/table_grid.h"
#include "budget/tables/table_test_budgets.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace budget {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;

v1::Unit Unit(const std::string& code, const std::string& name,
              const std::string& parent, v1::UnitKind kind) {
  v1::Unit unit;
  unit.set_code(code);
  unit.set_name(name);
  unit.set_parent_code(parent);
  unit.set_kind(kind);
  return unit;
}

void Project(v1::UnitBudget* budget, const std::string& code,
             const std::string& name, v1::ProjectCategory category,
             bool classified = false) {
  v1::Project* project = budget->add_projects();
  project->set_code(code);
  project->set_name(name);
  project->set_category(category);
  project->set_classified(classified);
  v1::PerformanceIndicator* cost = project->add_indicators();
  cost->set_level1("成本指标");
  cost->set_level3("总成本");
  cost->set_target("≤400 万元");
  for (const char* output : {"企业数量", "活动场次"}) {
    v1::PerformanceIndicator* indicator = project->add_indicators();
    indicator->set_level1("产出指标");
    indicator->set_level3(output);
    indicator->set_target("≥1");
  }
}

constexpr auto kPersonnel = v1::EXPENDITURE_NATURE_BASIC_PERSONNEL;
constexpr auto kPublic = v1::EXPENDITURE_NATURE_BASIC_PUBLIC;
constexpr auto kProject = v1::EXPENDITURE_NATURE_PROJECT;
const char kP1[] = "410100240000000051611";
const char kP2[] = "410100240000000052004";
const char kSecret[] = "410100240000000099999";

// A department consolidated in process through the real Consolidator; the
// tests build its tables.
class DepartmentTest : public ::testing::Test {
 protected:
  // Registers `units` (the first is the node whose tables are built) and
  // consolidates `budgets` of `year`.
  void Load(const std::vector<v1::Unit>& units,
            const std::vector<std::shared_ptr<v1::UnitBudget>>& budgets,
            int year) {
    auto tree = UnitTree::Build(units);
    ASSERT_TRUE(tree.ok()) << tree.status();
    tree_ = std::make_unique<UnitTree>(*std::move(tree));
    consolidator_ = std::make_unique<Consolidator>(tree_.get());
    for (const auto& budget : budgets) {
      ASSERT_TRUE(consolidator_->ReplaceUnitBudget(budget).ok());
    }
    request_.consolidation = consolidator_.get();
    request_.catalog = &Catalog::Default();
    request_.node_code = units.front().code();
    request_.fiscal_year = year;
  }

  v1::DisclosureTable Build(const std::string& id) {
    auto table = BuildDisclosureTable(id, request_);
    EXPECT_TRUE(table.ok()) << table.status();
    return table.ok() ? *table : v1::DisclosureTable();
  }

  std::unique_ptr<UnitTree> tree_;
  std::unique_ptr<Consolidator> consolidator_;
  TableRequest request_;
};

class TablesTest : public DepartmentTest {
 protected:
  void SetUp() override {
    auto office = std::make_shared<v1::UnitBudget>();
    office->set_unit_code("021001");
    office->set_fiscal_year(2024);
    // Lines in file order; 2150501 comes before 2080501 on purpose.
    Line(office.get(), "2150501", "30101", "50101", kPersonnel, 3000);
    Line(office.get(), "2080501", "30302", "50905", kPersonnel, 2000);
    Line(office.get(), "2150501", "30231", "50208", kPublic, 200);
    Line(office.get(), "2150501", "30217", "50206", kPublic, 50);
    Line(office.get(), "2150501", "30399", "50999", kProject, 42,
         v1::FUNDING_SOURCE_OTHER_INCOME, kP1);
    Line(office.get(), "2150517", "31204", "50701", kProject, 4000,
         v1::FUNDING_SOURCE_GENERAL_PUBLIC_BUDGET, kP2);
    Line(office.get(), "2150517", "31204", "50701", kProject, 1000,
         v1::FUNDING_SOURCE_GENERAL_PUBLIC_BUDGET, kSecret);
    Project(office.get(), kP1, "退休干部财政代管资金专项经费",
            v1::PROJECT_CATEGORY_OTHER_OPERATING);
    Project(office.get(), kSecret, "机密项目",
            v1::PROJECT_CATEGORY_SPECIFIC_TARGET,
            /*classified=*/true);
    Project(office.get(), kP2, "制造业高质量发展专项资金",
            v1::PROJECT_CATEGORY_SPECIFIC_TARGET);
    Income(office.get(), v1::FUNDING_SOURCE_GENERAL_PUBLIC_BUDGET, 10250);
    Income(office.get(), v1::FUNDING_SOURCE_OTHER_INCOME, 42);
    office->mutable_other()->set_institution_operating_fen(7 * kWanTenth);
    v1::OverallPerformanceGoal* goal = office->mutable_overall_goal();
    goal->set_scope_code("021");
    goal->set_annual_objective("推进新型工业化");
    goal->add_tasks()->set_name("推动制造业高质量发展");

    auto centre = std::make_shared<v1::UnitBudget>();
    centre->set_unit_code("021002");
    centre->set_fiscal_year(2024);
    Line(centre.get(), "2150550", "30101", "50501", kPersonnel, 1000);
    Line(centre.get(), "2101102", "30110", "50501", kPersonnel, 500);
    Income(centre.get(), v1::FUNDING_SOURCE_GENERAL_PUBLIC_BUDGET, 1500);

    Load({Unit("021", "郑州市工业和信息化局", "", v1::UNIT_KIND_GROUP),
          Unit("021001", "郑州市工业和信息化局机关", "021",
               v1::UNIT_KIND_ADMINISTRATIVE),
          Unit("021002", "郑州市工业和信息化发展中心", "021",
               v1::UNIT_KIND_INSTITUTION)},
         {office, centre}, 2024);
  }
};

// Printed cells of a body row, for compact expectations.
std::vector<std::string> Printed(const v1::TableRow& row) {
  std::vector<std::string> cells;
  for (const v1::TableCell& cell : row.cells()) {
    cells.push_back(PrintedCell(cell));
  }
  return cells;
}

const v1::TableRow* FindRow(const v1::DisclosureTable& table, int column,
                            const std::string& text) {
  for (const v1::TableRow& row : table.body_rows()) {
    if (row.cells_size() > column && row.cells(column).text() == text) {
      return &row;
    }
  }
  return nullptr;
}

TEST_F(TablesTest, Table01ListsEveryClassAndBalances) {
  const v1::DisclosureTable table = Build("T01");
  EXPECT_EQ(table.title(), "2024 年部门收支总体情况表");
  ASSERT_EQ(table.body_rows_size(), 30 + 3);
  EXPECT_THAT(
      Printed(table.body_rows(0)),
      ElementsAre("一、一般公共预算", "1,175.0", "一、一般公共服务", ""));
  EXPECT_THAT(
      Printed(table.body_rows(7)),
      ElementsAre("七、上级补助收入", "", "八、社会保障和就业", "200.0"));
  EXPECT_THAT(Printed(table.body_rows(9)),
              ElementsAre("九、其他收入", "4.2", "十、卫生健康", "50.0"));
  EXPECT_THAT(Printed(table.body_rows(14)),
              ElementsAre("", "", "十五、资源勘探信息等", "929.2"));
  EXPECT_THAT(Printed(table.body_rows(29)),
              ElementsAre("", "", "三十四、抗疫特别国债安排的支出", ""));
  EXPECT_THAT(Printed(table.body_rows(32)),
              ElementsAre("收入总计", "1,179.2", "支出总计", "1,179.2"));
}

TEST_F(TablesTest, Table02HasTotalNodeAndUnitRows) {
  const v1::DisclosureTable table = Build("02");
  ASSERT_EQ(table.body_rows_size(), 4);
  const auto total = Printed(table.body_rows(0));
  EXPECT_EQ(total[1], "合计");
  EXPECT_EQ(total[2], "1,179.2");
  EXPECT_EQ(total[5], "1,175.0");  // 其中：财政拨款.
  EXPECT_EQ(total[13], "4.2");     // 其他收入.
  EXPECT_EQ(Printed(table.body_rows(1))[0], "021");
  EXPECT_THAT(Printed(table.body_rows(3)),
              ElementsAre("021002", "郑州市工业和信息化发展中心", "150.0",
                          "150.0", "150.0", "150.0", "", "", "", "", "", "", "",
                          "", "", "", "", "", "", ""));
}

// Each 项 at its first line, units in tree order, lines in file order: the
// rule that reproduces the reference's row order (fixtures/zhengzhou-iit).
TEST_F(TablesTest, Table03OrdersItemsByFirstLine) {
  const v1::DisclosureTable table = Build("03");
  std::vector<std::string> codes;
  for (const v1::TableRow& row : table.body_rows()) {
    codes.push_back(row.cells(0).text() + row.cells(1).text() +
                    row.cells(2).text());
  }
  EXPECT_THAT(codes, ElementsAre("", "", "2150501", "2080501", "2150517",
                                 "2150550", "2101102"));
  // 合计 = 基本 + 项目; 2150501: 300.0 + 25.0 basic, 4.2 other-operating.
  EXPECT_THAT(Printed(table.body_rows(0)),
              ElementsAre("", "", "", "", "合计", "1,179.2", "675.0", "450.0",
                          "200.0", "25.0", "", "504.2", "4.2", "500.0"));
  EXPECT_THAT(Printed(table.body_rows(2)),
              ElementsAre("215", "05", "01", "", "行政运行", "329.2", "325.0",
                          "300.0", "", "25.0", "", "4.2", "4.2", ""));
}

TEST_F(TablesTest, Table05NestsClassesAndPrintsZeros) {
  const v1::DisclosureTable table = Build("05");
  std::vector<std::string> codes;
  for (const v1::TableRow& row : table.body_rows()) {
    codes.push_back(row.cells(0).text());
  }
  EXPECT_THAT(codes, ElementsAre("", "208", "20805", "2080501", "210", "21011",
                                 "2101102", "215", "21505", "2150501",
                                 "2150517", "2150550"));
  EXPECT_EQ(Printed(table.body_rows(0))[2], "1,175.0");
  // Other income filled 项目支出 of 2150501 in table 03: blank here, while
  // 特定目标类 prints 0.0.
  EXPECT_THAT(Printed(*FindRow(table, 0, "2150501")),
              ElementsAre("2150501", "行政运行", "325.0", "325.0", "300.0",
                          "0.0", "25.0", "0.0", "", "", "0.0"));
  EXPECT_THAT(table.notes(),
              ElementsAre("备注：本表仅含当年财政拨款安排的支出。"));
}

TEST_F(TablesTest, Table06GroupsEconomicPairsInLineOrder) {
  const v1::DisclosureTable table = Build("06");
  std::vector<std::string> pairs;
  for (const v1::TableRow& row : table.body_rows()) {
    pairs.push_back(row.cells(0).text() + "/" + row.cells(2).text());
  }
  EXPECT_THAT(pairs,
              ElementsAre("合计/", "30101/50101", "30302/50905", "30231/50208",
                          "30217/50206", "30101/50501", "30110/50501"));
  EXPECT_THAT(Printed(table.body_rows(0)),
              ElementsAre("合计", "", "", "", "675.0", "650.0", "25.0"));
  EXPECT_THAT(Printed(table.body_rows(3)),
              ElementsAre("30231", "公务用车运行维护费", "50208",
                          "公务用车运行维护费", "20.0", "", "20.0"));
}

TEST_F(TablesTest, Table07PutsOtherIncomeInItsColumn) {
  const v1::DisclosureTable table = Build("07");
  const v1::TableRow* row = FindRow(table, 1, "99");
  ASSERT_NE(row, nullptr);
  EXPECT_THAT(Printed(*row),
              ElementsAre("303", "99", "其他对个人和家庭的补助", "509", "99",
                          "其他对个人和家庭的补助", "4.2", "", "", "", "", "",
                          "", "", "", "", "", "", "4.2"));
  EXPECT_EQ(Printed(table.body_rows(1))[2], "郑州市工业和信息化局");
}

TEST_F(TablesTest, Table08DerivesThreePublicFromEconomicCodes) {
  const v1::DisclosureTable table = Build("08");
  ASSERT_EQ(table.body_rows_size(), 1);
  EXPECT_THAT(Printed(table.body_rows(0)),
              ElementsAre("25.0", "", "20.0", "", "20.0", "5.0"));
}

TEST_F(DepartmentTest, Table08WithoutThreePublicSaysSo) {
  auto budget = std::make_shared<v1::UnitBudget>();
  budget->set_unit_code("021002");
  budget->set_fiscal_year(2024);
  Line(budget.get(), "2150550", "30101", "50501", kPersonnel, 10);
  Income(budget.get(), v1::FUNDING_SOURCE_GENERAL_PUBLIC_BUDGET, 10);
  Load({Unit("021", "某局", "", v1::UNIT_KIND_GROUP),
        Unit("021002", "某中心", "021", v1::UNIT_KIND_INSTITUTION)},
       {budget}, 2024);
  const v1::DisclosureTable table = Build("08");
  ASSERT_EQ(table.notes_size(), 2);
  EXPECT_EQ(table.notes(1),
            "备注：本单位无一般公共预算“三公”经费支出，故本表无数据。");
}

TEST_F(TablesTest, Tables09And10AreEmptyWithTheirNote) {
  for (const auto& [id, note] :
       std::vector<std::pair<std::string, std::string>>{
           {"09", "备注：本单位无政府性基金预算支出，故本表无数据。"},
           {"10", "备注：本单位无国有资本经营预算支出，故本表无数据。"}}) {
    const v1::DisclosureTable table = Build(id);
    ASSERT_EQ(table.body_rows_size(), 1) << id;
    EXPECT_THAT(Printed(table.body_rows(0)),
                ElementsAre("", "", "", "", "合计", "", "", "", "", "", "", "",
                            "", ""));
    EXPECT_THAT(table.notes(), ElementsAre(note));
  }
}

TEST_F(TablesTest, Table11MasksClassifiedProjectButKeepsTotals) {
  const v1::DisclosureTable table = Build("11");
  ASSERT_EQ(table.body_rows_size(), 5);
  EXPECT_EQ(Printed(table.body_rows(0))[3], "504.2");
  EXPECT_THAT(Printed(table.body_rows(2)),
              ElementsAre("其他运转类", "退休干部财政代管资金专项经费",
                          "郑州市工业和信息化局机关", "4.2", "", "", "", "", "",
                          "", "", "4.2"));
  EXPECT_THAT(
      Printed(table.body_rows(3)),
      ElementsAre("", "涉密项目按规定不予公开", "郑州市工业和信息化局机关",
                  "XXXX", "XXXX", "", "", "", "", "", "", ""));
  EXPECT_TRUE(table.body_rows(3).cells(3).masked());

  request_.cleared = true;
  const v1::DisclosureTable cleared = Build("11");
  EXPECT_THAT(Printed(cleared.body_rows(3)),
              ElementsAre("特定目标类", "机密项目", "郑州市工业和信息化局机关",
                          "100.0", "100.0", "", "", "", "", "", "", ""));
  EXPECT_EQ(Printed(cleared.body_rows(0))[3], "504.2");
}

// Project codes are unique within a budget only: two units declaring the
// same code each show their own project's money, in tables 11 and 13.
TEST_F(DepartmentTest, ProjectsOfTwoUnitsSharingACodeKeepTheirOwnMoney) {
  std::vector<std::shared_ptr<v1::UnitBudget>> budgets;
  for (const auto& [unit, tenths] :
       std::vector<std::pair<std::string, int64_t>>{{"021001", 2600},
                                                    {"021002", 350}}) {
    auto budget = std::make_shared<v1::UnitBudget>();
    budget->set_unit_code(unit);
    budget->set_fiscal_year(2024);
    Line(budget.get(), "2150517", "31204", "50701", kProject, tenths,
         v1::FUNDING_SOURCE_GENERAL_PUBLIC_BUDGET, kP2);
    Project(budget.get(), kP2, absl::StrCat("项目", unit),
            v1::PROJECT_CATEGORY_SPECIFIC_TARGET);
    Income(budget.get(), v1::FUNDING_SOURCE_GENERAL_PUBLIC_BUDGET, tenths);
    budgets.push_back(std::move(budget));
  }
  Load({Unit("021", "某局", "", v1::UNIT_KIND_GROUP),
        Unit("021001", "某局机关", "021", v1::UNIT_KIND_ADMINISTRATIVE),
        Unit("021002", "某中心", "021", v1::UNIT_KIND_INSTITUTION)},
       budgets, 2024);
  // Table 11: a row per project (its name in column 1, 合计 in 3); table
  // 13: a row per unit (its code in column 0, 资金总额 in 2).
  const v1::DisclosureTable t11 = Build("11");
  const v1::DisclosureTable t13 = Build("13");
  for (const auto& [unit, printed] :
       std::vector<std::pair<std::string, std::string>>{{"021001", "260.0"},
                                                        {"021002", "35.0"}}) {
    const v1::TableRow* project = FindRow(t11, 1, absl::StrCat("项目", unit));
    ASSERT_NE(project, nullptr) << unit;
    EXPECT_EQ(Printed(*project)[3], printed) << unit;
    const v1::TableRow* unit_row = FindRow(t13, 0, unit);
    ASSERT_NE(unit_row, nullptr) << unit;
    EXPECT_EQ(Printed(*unit_row)[2], printed) << unit;
  }
  EXPECT_EQ(Printed(t11.body_rows(0))[3], "295.0");
  EXPECT_EQ(Printed(t13.body_rows(0))[2], "295.0");
}

// A text a spreadsheet would evaluate is written as text in the CSV; the
// amounts are left as they are.
TEST_F(DepartmentTest, CsvShowsAFormulaLikeNameAsText) {
  auto budget = std::make_shared<v1::UnitBudget>();
  budget->set_unit_code("021001");
  budget->set_fiscal_year(2024);
  Line(budget.get(), "2150517", "31204", "50701", kProject, 10,
       v1::FUNDING_SOURCE_GENERAL_PUBLIC_BUDGET, kP2);
  Project(budget.get(), kP2, "=HYPERLINK(\"http://x\",\"y\")",
          v1::PROJECT_CATEGORY_SPECIFIC_TARGET);
  Income(budget.get(), v1::FUNDING_SOURCE_GENERAL_PUBLIC_BUDGET, 10);
  Load({Unit("021", "某局", "", v1::UNIT_KIND_GROUP),
        Unit("021001", "某局机关", "021", v1::UNIT_KIND_ADMINISTRATIVE)},
       {budget}, 2024);
  const std::string csv = RenderCsv(Build("11"));
  EXPECT_NE(csv.find("\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\""),
            std::string::npos)
      << csv;
  EXPECT_NE(csv.find(",1.0,"), std::string::npos) << csv;
}

TEST_F(TablesTest, Table12TakesTheGoalScopedToTheNode) {
  const v1::DisclosureTable table = Build("12");
  EXPECT_EQ(Printed(table.body_rows(0))[1], "推进新型工业化");
  const v1::TableRow* total = FindRow(table, 1, "部门预算总额（万元）");
  ASSERT_NE(total, nullptr);
  EXPECT_EQ(PrintedCell(total->cells(3)), "1,179.2");
  EXPECT_EQ(PrintedCell(FindRow(table, 2, "（3）单位资金")->cells(3)), "4.2");
  EXPECT_EQ(PrintedCell(FindRow(table, 2, "（2）项目支出")->cells(3)), "504.2");
}

TEST_F(TablesTest, Table13StacksIndicatorsByKind) {
  const v1::DisclosureTable table = Build("13");
  // The 4.2 project is other income only: not a 政府预算 project, not here.
  EXPECT_EQ(Printed(table.body_rows(0))[2], "500.0");
  const v1::TableRow* p2 = FindRow(table, 0, "41010024 00000000 52004");
  ASSERT_NE(p2, nullptr);
  EXPECT_THAT(Printed(*p2),
              ElementsAre("41010024 00000000 52004", "制造业高质量发展专项资金",
                          "400.0", "400.0", "", "", "总成本", "≤400 万元",
                          "企业数量", "≥1", "", "", "", ""));
  int index = 0;  // Rows of a RepeatedPtrField are not contiguous.
  while (&table.body_rows(index) != p2) ++index;
  EXPECT_EQ(Printed(table.body_rows(index + 1))[8], "活动场次");
  EXPECT_EQ(Printed(table.body_rows(index + 1))[0], "");
  const v1::TableRow* secret = FindRow(table, 1, "涉密项目按规定不予公开");
  ASSERT_NE(secret, nullptr);
  EXPECT_EQ(PrintedCell(secret->cells(2)), "XXXX");
  EXPECT_EQ(FindRow(table, 1, "机密项目"), nullptr);
}

TEST_F(TablesTest, UnknownTableAndNodeAreRejected) {
  EXPECT_EQ(BuildDisclosureTable("14", request_).status().code(),
            absl::StatusCode::kInvalidArgument);
  request_.node_code = "999";
  EXPECT_EQ(BuildDisclosureTable("01", request_).status().code(),
            absl::StatusCode::kNotFound);
}

TEST_F(TablesTest, SummarySharesAndPriorYearChanges) {
  auto prior = std::make_shared<v1::UnitBudget>();
  prior->set_unit_code("021001");
  prior->set_fiscal_year(2023);
  Line(prior.get(), "2150501", "30231", "50208", kPublic, 300);
  Line(prior.get(), "2150501", "30101", "50101", kPersonnel, 700);
  Income(prior.get(), v1::FUNDING_SOURCE_GENERAL_PUBLIC_BUDGET, 1000);
  ASSERT_TRUE(consolidator_->ReplaceUnitBudget(prior).ok());

  auto summary = BuildSummary(request_, 2023);
  ASSERT_TRUE(summary.ok()) << summary.status();
  EXPECT_EQ(summary->income_total_fen(), 11792 * kWanTenth);
  EXPECT_EQ(summary->other_income_fen(), 42 * kWanTenth);
  EXPECT_EQ(summary->basic().percent(), "57.2%");           // 675.0 / 1,179.2
  EXPECT_EQ(summary->project().percent(), "42.8%");         // 504.2 / 1,179.2
  EXPECT_EQ(summary->fiscal_project().percent(), "42.6%");  // 500 / 1,175
  EXPECT_EQ(summary->personnel().percent(), "96.3%");       // 650 / 675
  EXPECT_EQ(summary->three_public().total_fen(), 250 * kWanTenth);
  EXPECT_EQ(summary->other().institution_operating_fen(), 7 * kWanTenth);
  EXPECT_EQ(summary->compare_year(), 2023);
  EXPECT_EQ(summary->income_change().change_fen(), 10792 * kWanTenth);
  EXPECT_EQ(summary->general_public_budget_change().change_percent(),
            "1075.0%");
  EXPECT_EQ(summary->three_public_change().change_fen(), -50 * kWanTenth);
  EXPECT_EQ(summary->prior_three_public().vehicle_operation_fen(),
            300 * kWanTenth);

  auto alone = BuildSummary(request_, 2022);
  ASSERT_TRUE(alone.ok());
  EXPECT_EQ(alone->compare_year(), 0);
  EXPECT_FALSE(alone->has_income_change());
}

TEST(PercentTest, PublishedFiguresRoundHalfUpExactly) {
  const int64_t wan_tenth = kWanTenth;
  EXPECT_EQ(MakeShare(105124 * wan_tenth, 962625 * wan_tenth).percent(),
            "10.9%");
  EXPECT_EQ(MakeShare(857502 * wan_tenth, 962625 * wan_tenth).percent(),
            "89.1%");
  EXPECT_EQ(MakeShare(87736 * wan_tenth, 105124 * wan_tenth).percent(),
            "83.5%");
  EXPECT_EQ(MakeShare(17388 * wan_tenth, 105124 * wan_tenth).percent(),
            "16.5%");
  const v1::Change income =
      MakeChange(855387 * wan_tenth, 962625 * wan_tenth);  // +10,723.8
  EXPECT_EQ(income.change_percent(), "12.5%");
  EXPECT_EQ(income.change_basis_points(), 1254);
  EXPECT_EQ(MakeChange(799 * wan_tenth, 745 * wan_tenth).change_percent(),
            "-6.8%");
  EXPECT_EQ(FormatPercentTenths(*PercentTenths(1, 8)), "12.5%");  // 12.5 exact
  EXPECT_EQ(FormatPercentTenths(*PercentTenths(1, 16)), "6.3%");  // 6.25 up
  EXPECT_FALSE(MakeChange(0, 5).has_change_basis_points());
  EXPECT_FALSE(PercentTenths(1, 0).has_value());
  EXPECT_EQ(*PercentTenths(INT64_MAX, INT64_MAX), 1000);
}

TEST(DisplayWidthTest, CountsWideCharactersTwice) {
  EXPECT_EQ(DisplayWidth("abc"), 3);
  EXPECT_EQ(DisplayWidth("合计"), 4);
  EXPECT_EQ(DisplayWidth("（一）"), 6);
  EXPECT_EQ(DisplayWidth("“三公”"), 8);
  EXPECT_EQ(DisplayWidth("96,262.5"), 8);
  EXPECT_EQ(DisplayWidth("≥800 家"), 7);  // ≥ is narrow, 家 wide.
  EXPECT_EQ(PadLeft("合计", 6), "  合计");
  EXPECT_EQ(PadRight("合计", 5), "合计 ");
}

TEST_F(TablesTest, TextLinesOfEveryTableHaveOneWidth) {
  for (const char* id : {"01", "02", "03", "04", "05", "06", "07", "08", "09",
                         "10", "11", "12", "13"}) {
    const std::string text = RenderText(Build(id));
    int width = -1;
    int grid_lines = 0;
    for (absl::string_view line : absl::StrSplit(text, '\n')) {
      if (!absl::StartsWith(line, "|")) continue;
      ++grid_lines;
      if (width < 0) width = DisplayWidth(line);
      EXPECT_EQ(DisplayWidth(line), width) << id << ": " << line;
    }
    EXPECT_GT(grid_lines, 1) << id;
  }
  EXPECT_NE(RenderText(Build("11")).find("XXXX"), std::string::npos);
}

TEST_F(TablesTest, CsvReadsBackAsThePrintedCells) {
  for (const char* id : {"02", "03", "07", "11", "12", "13"}) {
    const v1::DisclosureTable table = Build(id);
    const std::string csv = RenderCsv(table);
    const TableGrid grid = LayOut(table);
    CsvReader reader(csv);
    CsvRow row;
    std::vector<std::vector<std::string>> records;
    while (reader.Next(&row)) records.push_back(row.fields);
    EXPECT_TRUE(reader.errors().empty()) << id;
    ASSERT_EQ(records.size(),
              grid.header.size() + grid.body.size() + table.notes_size())
        << id;
    for (size_t r = 0; r < grid.body.size(); ++r) {
      const auto& record = records[grid.header.size() + r];
      ASSERT_EQ(record.size(), grid.body[r].size()) << id;
      for (size_t c = 0; c < record.size(); ++c) {
        EXPECT_EQ(record[c], grid.body[r][c].text) << id << " " << r;
      }
    }
  }
}

// A school (as fixtures/wuzhou-school-1078, plus tuition in the 财政专户):
// this year's 一般公共预算 and 财政专户 money next to both carried over
// from last year. Tables 01 and 02 show every source, 上年结转 apart; table
// 04 only 财政拨款 (its 上年结转 included); table 05 only this year's
// 一般公共预算.
class CarryOverTablesTest : public DepartmentTest {
 protected:
  void SetUp() override {
    auto school = std::make_shared<v1::UnitBudget>();
    school->set_unit_code("903001");
    school->set_fiscal_year(2023);
    Line(school.get(), "2050204", "30101", "50501", kPersonnel, 1000);
    Line(school.get(), "2050204", "30201", "50502", kPublic, 300,
         v1::FUNDING_SOURCE_FISCAL_SPECIAL_ACCOUNT);
    Line(school.get(), "2050204", "30201", "50502", kPublic, 50,
         v1::FUNDING_SOURCE_CARRYOVER_GENERAL_PUBLIC_BUDGET);
    Line(school.get(), "2050204", "30201", "50502", kPublic, 20,
         v1::FUNDING_SOURCE_CARRYOVER_FISCAL_SPECIAL_ACCOUNT);
    Income(school.get(), v1::FUNDING_SOURCE_GENERAL_PUBLIC_BUDGET, 1000);
    Income(school.get(), v1::FUNDING_SOURCE_FISCAL_SPECIAL_ACCOUNT, 300);
    Income(school.get(), v1::FUNDING_SOURCE_CARRYOVER_GENERAL_PUBLIC_BUDGET,
           50);
    Income(school.get(), v1::FUNDING_SOURCE_CARRYOVER_FISCAL_SPECIAL_ACCOUNT,
           20);
    Load({Unit("903", "某中学", "", v1::UNIT_KIND_GROUP),
          Unit("903001", "某中学本级", "903", v1::UNIT_KIND_INSTITUTION)},
         {school}, 2023);
  }
};

TEST_F(CarryOverTablesTest, Table01ShowsSpecialAccountAndCarryOverApart) {
  const v1::DisclosureTable table = Build("01");
  EXPECT_THAT(
      Printed(*FindRow(table, 0, "四、财政专户管理资金收入")),
      ElementsAre("四、财政专户管理资金收入", "30.0", "五、教育", "137.0"));
  EXPECT_THAT(Printed(*FindRow(table, 0, "本年收入合计")),
              ElementsAre("本年收入合计", "130.0", "本年支出合计", "137.0"));
  EXPECT_THAT(Printed(*FindRow(table, 0, "上年结转结余")),
              ElementsAre("上年结转结余", "7.0", "年终结转结余", ""));
  EXPECT_THAT(Printed(*FindRow(table, 0, "收入总计")),
              ElementsAre("收入总计", "137.0", "支出总计", "137.0"));
}

TEST_F(CarryOverTablesTest, Table02PutsEachCarryOverInItsColumn) {
  const v1::DisclosureTable table = Build("02");
  EXPECT_THAT(Printed(*FindRow(table, 0, "903001")),
              ElementsAre("903001", "某中学本级", "137.0", "130.0", "100.0",
                          "100.0", "", "", "30.0", "", "", "", "", "", "7.0",
                          "5.0", "", "", "2.0", ""));
}

TEST_F(CarryOverTablesTest, Table04CountsOnlyFiscalMoneyWithItsCarryOver) {
  const v1::DisclosureTable table = Build("04");
  EXPECT_THAT(Printed(table.body_rows(0)),
              ElementsAre("一、本年收入", "100.0", "一、本年支出", "105.0",
                          "105.0", "105.0", "", ""));
  EXPECT_THAT(Printed(*FindRow(table, 0, "二、上年结转")),
              ElementsAre("二、上年结转", "5.0", "（五）教育支出", "105.0",
                          "105.0", "105.0", "", ""));
  EXPECT_THAT(Printed(table.body_rows(table.body_rows_size() - 1)),
              ElementsAre("收入合计：", "105.0", "支出合计", "105.0", "105.0",
                          "105.0", "", ""));
}

TEST_F(CarryOverTablesTest, Table05HoldsOnlyThisYearsGeneralBudget) {
  const v1::DisclosureTable table = Build("05");
  EXPECT_EQ(Printed(table.body_rows(0))[2], "100.0");
  EXPECT_EQ(Printed(*FindRow(table, 0, "2050204"))[2], "100.0");
}

TEST_F(CarryOverTablesTest, SummaryKeepsCarryOverOutOfOtherIncome) {
  auto summary = BuildSummary(request_, 0);
  ASSERT_TRUE(summary.ok()) << summary.status();
  EXPECT_EQ(summary->income_total_fen(), 1370 * kWanTenth);
  EXPECT_EQ(summary->general_public_budget_fen(), 1000 * kWanTenth);
  EXPECT_EQ(summary->other_income_fen(), 300 * kWanTenth);  // 财政专户.
  EXPECT_EQ(summary->carryover_fen(), 70 * kWanTenth);
}

// A bureau spending 50.0 of this year's 政府性基金 and 20.0 of the fund's
// 上年结转: table 09, as table 05 for 一般公共预算, holds this year's money
// only and says where the rest is, so tables 05, 09 and 10 add up to table
// 04's 本年支出 (probe 9).
class FundCarryOverTablesTest : public DepartmentTest {
 protected:
  void SetUp() override {
    auto bureau = std::make_shared<v1::UnitBudget>();
    bureau->set_unit_code("903001");
    bureau->set_fiscal_year(2023);
    Line(bureau.get(), "2120801", "31005", "50306", kPublic, 500,
         v1::FUNDING_SOURCE_GOVERNMENT_FUND);
    Line(bureau.get(), "2120801", "31005", "50306", kPublic, 200,
         v1::FUNDING_SOURCE_CARRYOVER_GOVERNMENT_FUND);
    Income(bureau.get(), v1::FUNDING_SOURCE_GOVERNMENT_FUND, 500);
    Income(bureau.get(), v1::FUNDING_SOURCE_CARRYOVER_GOVERNMENT_FUND, 200);
    Load({Unit("903", "某局", "", v1::UNIT_KIND_GROUP),
          Unit("903001", "某局本级", "903", v1::UNIT_KIND_ADMINISTRATIVE)},
         {bureau}, 2023);
  }
};

TEST_F(FundCarryOverTablesTest, Table09HoldsThisYearsFundMoneyAndSaysWhere) {
  const v1::DisclosureTable table = Build("09");
  EXPECT_EQ(Printed(table.body_rows(0))[5], "50.0");
  EXPECT_THAT(table.notes(),
              ElementsAre("备注：本表仅含当年财政拨款安排的支出。",
                          "使用政府性基金预算上年结转安排的支出20.0万元，"
                          "见财政拨款收支总体情况表。"));
  EXPECT_THAT(Printed(*FindRow(Build("04"), 0, "二、上年结转")),
              Contains("20.0"));
}

// A school's dormitory paid from tuition in the 财政专户 and a research
// project of its own 其他收入: table 13 lists the first (fiscal money under
// the same 绩效管理, with a column of its own) and not the second (probe
// 10).
TEST_F(DepartmentTest, Table13ListsSpecialAccountProjects) {
  auto school = std::make_shared<v1::UnitBudget>();
  school->set_unit_code("903001");
  school->set_fiscal_year(2023);
  Project(school.get(), kP1, "学生宿舍改扩建",
          v1::PROJECT_CATEGORY_SPECIFIC_TARGET);
  Project(school.get(), kP2, "自主科研", v1::PROJECT_CATEGORY_SPECIFIC_TARGET);
  Line(school.get(), "2050205", "30905", "50601", kProject, 2100,
       v1::FUNDING_SOURCE_FISCAL_SPECIAL_ACCOUNT, kP1);
  Line(school.get(), "2050205", "30218", "50502", kProject, 460,
       v1::FUNDING_SOURCE_OTHER_INCOME, kP2);
  Income(school.get(), v1::FUNDING_SOURCE_FISCAL_SPECIAL_ACCOUNT, 2100);
  Income(school.get(), v1::FUNDING_SOURCE_OTHER_INCOME, 460);
  Load({Unit("903", "某大学", "", v1::UNIT_KIND_GROUP),
        Unit("903001", "某大学本级", "903", v1::UNIT_KIND_INSTITUTION)},
       {school}, 2023);
  const v1::DisclosureTable table = Build("13");
  EXPECT_EQ(Printed(table.body_rows(0))[2], "210.0");  // 资金总额 合计.
  bool dormitory = false, research = false;
  for (const v1::TableRow& row : table.body_rows()) {
    for (const v1::TableCell& cell : row.cells()) {
      dormitory |= cell.text() == "学生宿舍改扩建";
      research |= cell.text() == "自主科研";
    }
  }
  EXPECT_TRUE(dormitory);
  EXPECT_FALSE(research);
}

// An institution spends 10.0 of 事业收入 and 3.0 of 用事业基金弥补收支差额,
// the 事业基金 it accumulated in earlier years: not this year's income, so
// tables 01 and 02 show it with the money of earlier years (neither has a
// row or column of its own for it) and table 07 in its own column.
class InstitutionFundTablesTest : public DepartmentTest {
 protected:
  void SetUp() override {
    auto centre = std::make_shared<v1::UnitBudget>();
    centre->set_unit_code("903001");
    centre->set_fiscal_year(2023);
    Line(centre.get(), "2050204", "30201", "50502", kPublic, 100,
         v1::FUNDING_SOURCE_BUSINESS_INCOME);
    Line(centre.get(), "2050204", "30201", "50502", kPublic, 30,
         v1::FUNDING_SOURCE_INSTITUTION_FUND);
    Income(centre.get(), v1::FUNDING_SOURCE_BUSINESS_INCOME, 100);
    Income(centre.get(), v1::FUNDING_SOURCE_INSTITUTION_FUND, 30);
    Load({Unit("903", "某中心", "", v1::UNIT_KIND_GROUP),
          Unit("903001", "某中心本级", "903", v1::UNIT_KIND_INSTITUTION)},
         {centre}, 2023);
  }
};

TEST_F(InstitutionFundTablesTest, Table01KeepsItOutOfThisYearsIncome) {
  const v1::DisclosureTable table = Build("01");
  EXPECT_EQ(Printed(*FindRow(table, 0, "九、其他收入"))[1], "");
  EXPECT_THAT(Printed(*FindRow(table, 0, "本年收入合计")),
              ElementsAre("本年收入合计", "10.0", "本年支出合计", "13.0"));
  EXPECT_THAT(Printed(*FindRow(table, 0, "上年结转结余")),
              ElementsAre("上年结转结余", "3.0", "年终结转结余", ""));
  EXPECT_THAT(Printed(*FindRow(table, 0, "收入总计")),
              ElementsAre("收入总计", "13.0", "支出总计", "13.0"));
  // As table 02 says too: table 07 shows it in a column of its own.
  for (const char* id : {"01", "02"}) {
    EXPECT_THAT(Build(id).notes(),
                Contains("注：上年结转结余含用事业基金弥补收支差额3.0万元。"))
        << id;
  }
}

TEST_F(InstitutionFundTablesTest, Table02CountsItAsUnitFundsOfEarlierYears) {
  const v1::DisclosureTable table = Build("02");
  EXPECT_THAT(
      Printed(*FindRow(table, 0, "903001")),
      ElementsAre("903001", "某中心本级", "13.0", "10.0", "", "", "", "", "",
                  "10.0", "", "", "", "", "3.0", "", "", "", "", "3.0"));
}

TEST_F(InstitutionFundTablesTest, Table07KeepsItsOwnColumn) {
  const std::vector<std::string> total = Printed(Build("07").body_rows(0));
  ASSERT_EQ(total.size(), 19u);
  EXPECT_EQ(total[6], "13.0");   // 总计.
  EXPECT_EQ(total[11], "");      // 上年结转结余.
  EXPECT_EQ(total[13], "10.0");  // 事业收入.
  EXPECT_EQ(total[17], "3.0");   // 用事业基金弥补收支差额.
}

TEST_F(InstitutionFundTablesTest, SummaryCountsItWithTheCarryOver) {
  auto summary = BuildSummary(request_, 0);
  ASSERT_TRUE(summary.ok()) << summary.status();
  EXPECT_EQ(summary->income_total_fen(), 130 * kWanTenth);
  EXPECT_EQ(summary->other_income_fen(), 100 * kWanTenth);  // 事业收入.
  EXPECT_EQ(summary->carryover_fen(), 30 * kWanTenth);
  EXPECT_EQ(summary->institution_fund_fen(), 30 * kWanTenth);
}

// A 公交中心 (事业单位) with 500.0 of 事业单位经营支出 paid by its 经营收入
// beside 120.0 of 基本支出: neither 基本支出 nor 项目支出, so table 03 gives
// it the column of the 公开规程 部门支出总表 and the summary a share.
class OperatingTablesTest : public DepartmentTest {
 protected:
  void SetUp() override {
    auto centre = std::make_shared<v1::UnitBudget>();
    centre->set_unit_code("904001");
    centre->set_fiscal_year(2024);
    Line(centre.get(), "2150550", "30101", "50501", kPersonnel, 1000);
    Line(centre.get(), "2150550", "30201", "50502", kPublic, 200);
    Line(centre.get(), "2150550", "30201", "50502",
         v1::EXPENDITURE_NATURE_OPERATING, 5000,
         v1::FUNDING_SOURCE_OPERATING_INCOME);
    Income(centre.get(), v1::FUNDING_SOURCE_GENERAL_PUBLIC_BUDGET, 1200);
    Income(centre.get(), v1::FUNDING_SOURCE_OPERATING_INCOME, 5000);
    Load({Unit("904", "某交通局", "", v1::UNIT_KIND_GROUP),
          Unit("904001", "某公交中心", "904", v1::UNIT_KIND_INSTITUTION)},
         {centre}, 2024);
  }
};

std::vector<std::string> FirstHeaderRow(const v1::DisclosureTable& table) {
  std::vector<std::string> texts;
  for (const v1::TableCell& cell : table.header_rows(0).cells()) {
    texts.push_back(cell.text());
  }
  return texts;
}

TEST_F(OperatingTablesTest, Table03HasItsColumnAndBasicExcludesIt) {
  const v1::DisclosureTable table = Build("03");
  EXPECT_THAT(FirstHeaderRow(table),
              ElementsAre("科目编码", "单位代码", "单位（科目名称）", "合计",
                          "基本支出", "项目支出", "事业单位经营支出"));
  EXPECT_EQ(table.header_rows(0).cells(6).row_span(), 3);
  EXPECT_THAT(Printed(table.body_rows(0)),
              ElementsAre("", "", "", "", "合计", "620.0", "120.0", "100.0", "",
                          "20.0", "", "", "", "", "500.0"));
  EXPECT_THAT(Printed(table.body_rows(2)),
              ElementsAre("215", "05", "50", "", "事业运行", "620.0", "120.0",
                          "100.0", "", "20.0", "", "", "", "", "500.0"));
}

TEST_F(DepartmentTest, Table03WithoutOperatingLinesKeepsNineColumns) {
  auto office = std::make_shared<v1::UnitBudget>();
  office->set_unit_code("905001");
  office->set_fiscal_year(2024);
  Line(office.get(), "2150501", "30101", "50101", kPersonnel, 10);
  Income(office.get(), v1::FUNDING_SOURCE_GENERAL_PUBLIC_BUDGET, 10);
  Load({Unit("905", "某局", "", v1::UNIT_KIND_GROUP),
        Unit("905001", "某局机关", "905", v1::UNIT_KIND_ADMINISTRATIVE)},
       {office}, 2024);
  const v1::DisclosureTable table = Build("03");
  EXPECT_THAT(FirstHeaderRow(table),
              ElementsAre("科目编码", "单位代码", "单位（科目名称）", "合计",
                          "基本支出", "项目支出"));
  EXPECT_EQ(table.body_rows(0).cells_size(), 5 + 9);
}

TEST_F(OperatingTablesTest, FiscalTablesLeaveTheUnitsOwnOperatingMoneyOut) {
  // 经营收入 is not 一般公共预算: table 05 keeps its nine columns, and
  // table 06's 基本支出 is the 120.0 alone.
  const v1::DisclosureTable table05 = Build("05");
  EXPECT_THAT(
      FirstHeaderRow(table05),
      ElementsAre("科目编码", "科目名称", "合计", "基本支出", "项目支出"));
  EXPECT_EQ(Printed(table05.body_rows(0))[2], "120.0");
  EXPECT_THAT(Printed(Build("06").body_rows(0)),
              ElementsAre("合计", "", "", "", "120.0", "100.0", "20.0"));
  // Table 07 classifies every line by economic class, operating ones too.
  EXPECT_EQ(Printed(Build("07").body_rows(0))[6], "620.0");
}

TEST_F(OperatingTablesTest, Table12NamesItInTheStructure) {
  const v1::DisclosureTable table = Build("12");
  EXPECT_EQ(PrintedCell(FindRow(table, 2, "（1）基本支出")->cells(3)), "120.0");
  const v1::TableRow* operating = FindRow(table, 2, "（3）事业单位经营支出");
  ASSERT_NE(operating, nullptr);
  EXPECT_EQ(PrintedCell(operating->cells(3)), "500.0");
}

TEST_F(OperatingTablesTest, SummarySharesAddUpWithOperating) {
  auto summary = BuildSummary(request_, 0);
  ASSERT_TRUE(summary.ok()) << summary.status();
  EXPECT_EQ(summary->basic().part_fen(), 120 * kWanTenth * 10);
  EXPECT_EQ(summary->basic().percent(), "19.4%");  // 120.0 / 620.0
  EXPECT_EQ(summary->project().part_fen(), 0);
  EXPECT_EQ(summary->operating().part_fen(), 500 * kWanTenth * 10);
  EXPECT_EQ(summary->operating().whole_fen(), 620 * kWanTenth * 10);
  EXPECT_EQ(summary->operating().percent(), "80.6%");
  // 一般公共预算 pays none of it.
  EXPECT_EQ(summary->fiscal_basic().percent(), "100.0%");
  EXPECT_EQ(summary->fiscal_operating().part_fen(), 0);
  EXPECT_EQ(summary->public_funds().part_fen(), 20 * kWanTenth * 10);
}

}  // namespace
}  // namespace budget
