#include "budget/budget_file/budget_file.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace budget {
namespace {

using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

// The example of docs/budget-file-format.md, extended by the optional
// sections. Line numbers matter to the tests below.
constexpr absl::string_view kExample =
    "# 郑州市煤矿防灾救灾中心 2024 年预算 (excerpt)\n"  // 1
    "[budget]\n"                                        // 2
    "unit_code,021017\n"                                // 3
    "fiscal_year,2024\n"                                // 4
    "\n"                                                // 5
    "[income]\n"                                        // 6
    "source,amount_yuan\n"                              // 7
    "GENERAL_PUBLIC_BUDGET,8371000.00\n"                // 8
    "\n"                                                // 9
    "[expenditure]\n"                                   // 10
    "function_code,dept_economic_code,gov_economic_code,source,nature,"
    "project_code,amount_yuan\n"  // 11
    "2240450,30101,50501,GENERAL_PUBLIC_BUDGET,BASIC_PERSONNEL,,"
    "2500000.00\n"  // 12
    "2240404,30227,50502,GENERAL_PUBLIC_BUDGET,PROJECT,"
    "41010024 00000000 22812,350000.00\n"  // 13
    "\n"                                   // 14
    "[project]\n"                          // 15
    "code,name,category\n"                 // 16
    "41010024 00000000 22812,煤矿瓦斯水害防治专项工作经费项目,"
    "OTHER_OPERATING\n"                                               // 17
    "\n"                                                              // 18
    "[project_indicator]\n"                                           // 19
    "project_code,level1,level3,target\n"                             // 20
    "41010024 00000000 22812,产出指标,聘请专家技术指导次数,≥10 次\n"  // 21
    "[overall_goal]\n"                                                // 22
    "scope_code,021\n"                                                // 23
    "annual_objective,\"推进新型工业化,\n"                            // 24
    "保障安全生产\"\n"                                                // 25
    "[overall_task]\n"                                                // 26
    "name,content\n"                                                  // 27
    "煤矿安全,监督检查\n"                                             // 28
    "应急救援,演练\n"                                                 // 29
    "[overall_indicator]\n"                                           // 30
    "level1,level2,level3,target\n"                                   // 31
    "产出指标,数量指标,检查次数,≥12 次\n"                             // 32
    "[other]\n"                                                       // 33
    "procurement_goods_yuan,\"2,819,000.00\"\n"                       // 34
    "general_vehicles,21\n";                                          // 35

TEST(ParseBudgetFileTest, ReadsTheDocumentedExample) {
  const ParsedFile<BudgetFile> parsed = ParseBudgetFile(kExample, "a.budget");
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  const v1::UnitBudget& b = parsed.value.budget;
  EXPECT_EQ(b.unit_code(), "021017");
  EXPECT_EQ(b.fiscal_year(), 2024);
  ASSERT_EQ(b.income_size(), 1);
  EXPECT_EQ(b.income(0).source(), v1::FUNDING_SOURCE_GENERAL_PUBLIC_BUDGET);
  EXPECT_EQ(b.income(0).amount_fen(), 837'100'000);
  ASSERT_EQ(b.expenditures_size(), 2);
  EXPECT_EQ(b.expenditures(0).nature(), v1::EXPENDITURE_NATURE_BASIC_PERSONNEL);
  EXPECT_EQ(b.expenditures(0).project_code(), "");
  EXPECT_EQ(b.expenditures(1).funding_source(),
            v1::FUNDING_SOURCE_GENERAL_PUBLIC_BUDGET);
  EXPECT_EQ(b.expenditures(1).gov_economic_code(), "50502");
  EXPECT_EQ(b.expenditures(1).project_code(), "410100240000000022812");
  EXPECT_EQ(b.expenditures(1).amount_fen(), 35'000'000);
  ASSERT_EQ(b.projects_size(), 1);
  EXPECT_EQ(b.projects(0).code(), "410100240000000022812");
  EXPECT_EQ(b.projects(0).category(), v1::PROJECT_CATEGORY_OTHER_OPERATING);
  EXPECT_FALSE(b.projects(0).classified());
  ASSERT_EQ(b.projects(0).indicators_size(), 1);
  EXPECT_EQ(b.projects(0).indicators(0).level3(), "聘请专家技术指导次数");
  EXPECT_EQ(b.projects(0).indicators(0).target(), "≥10 次");
  ASSERT_TRUE(b.has_overall_goal());
  EXPECT_EQ(b.overall_goal().scope_code(), "021");
  EXPECT_EQ(b.overall_goal().annual_objective(),
            "推进新型工业化,\n保障安全生产");
  EXPECT_EQ(b.overall_goal().tasks_size(), 2);
  EXPECT_EQ(b.overall_goal().indicators(0).level2(), "数量指标");
  EXPECT_EQ(b.other().procurement_goods_fen(), 281'900'000);
  EXPECT_EQ(b.other().general_vehicles(), 21);
}

TEST(ParseBudgetFileTest, SourceMapGivesTheLineOfEveryReportedPath) {
  const ParsedFile<BudgetFile> parsed = ParseBudgetFile(kExample, "a.budget");
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  const SourceMap& map = parsed.value.source_map;
  EXPECT_EQ(map.LineOf("unit_code"), 3);
  EXPECT_EQ(map.LineOf("fiscal_year"), 4);
  EXPECT_EQ(map.LineOf("income"), 6);
  EXPECT_EQ(map.LineOf("income[0].amount_fen"), 8);
  EXPECT_EQ(map.LineOf("expenditures[1]"), 13);
  EXPECT_EQ(map.LineOf("expenditures[1].function_code"), 13);
  EXPECT_EQ(map.LineOf("expenditures[1].funding_source"), 13);
  EXPECT_EQ(map.LineOf("projects[0].category"), 17);
  EXPECT_EQ(map.LineOf("projects[0].indicators[0].target"), 21);
  EXPECT_EQ(map.LineOf("overall_goal"), 22);
  EXPECT_EQ(map.LineOf("overall_goal.scope_code"), 23);
  EXPECT_EQ(map.LineOf("overall_goal.annual_objective"), 24);
  EXPECT_EQ(map.LineOf("overall_goal.tasks[1].name"), 29);
  EXPECT_EQ(map.LineOf("overall_goal.indicators[0].target"), 32);
  EXPECT_EQ(map.LineOf("other.procurement_goods_fen"), 34);
  // Fields the file leaves out fall back to their section.
  EXPECT_EQ(map.LineOf("other.procurement_works_fen"), 33);
  EXPECT_EQ(map.LineOf("nonexistent"), 0);
  EXPECT_EQ(map.Where("expenditures[1].amount_fen"), "a.budget:13");
  EXPECT_EQ(map.Where("nonexistent"), "a.budget");
}

TEST(ParseBudgetFileTest, ToleratesByteOrderMarkAndCrlf) {
  const std::string windows =
      "\xEF\xBB\xBF" + absl::StrReplaceAll(kExample, {{"\n", "\r\n"}});
  const ParsedFile<BudgetFile> parsed = ParseBudgetFile(windows, "w.budget");
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  const ParsedFile<BudgetFile> plain = ParseBudgetFile(kExample, "a.budget");
  // CRLF inside the quoted objective is content, as RFC 4180 says; every
  // other field reads the same.
  v1::UnitBudget expected = plain.value.budget;
  expected.mutable_overall_goal()->set_annual_objective(
      "推进新型工业化,\r\n保障安全生产");
  EXPECT_EQ(parsed.value.budget.SerializeAsString(),
            expected.SerializeAsString());
  EXPECT_EQ(parsed.value.source_map.LineOf("overall_goal.tasks[1]"), 29);
}

TEST(ParseBudgetFileTest, AcceptsColumnsInAnyOrderChineseLabelsAndPadding) {
  const ParsedFile<BudgetFile> parsed = ParseBudgetFile(
      "[budget],,\n"
      "fiscal_year,2024,\n"
      "unit_code,021001,\n"
      ",,\n"
      "[income],,\n"
      "memo,amount_yuan,source,\n"
      "拨款,4.5,一般公共预算,\n"
      ",\"1,000\",其他收入\n"
      "[expenditure]\n"
      "amount_yuan,nature,source,gov_economic_code,dept_economic_code,"
      "function_code,transfer_kind,counterpart_unit\n"
      "10,公用经费,政府性基金,50201,30201,2150501,对附属单位补助支出,021002\n"
      "[project]\n"
      "classified,category,name,code\n"
      "TRUE,特定目标类,涉密项目,1\n",
      "b.budget");
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  const v1::UnitBudget& b = parsed.value.budget;
  EXPECT_EQ(b.unit_code(), "021001");
  ASSERT_EQ(b.income_size(), 2);
  EXPECT_EQ(b.income(0).amount_fen(), 450);
  EXPECT_EQ(b.income(0).memo(), "拨款");
  EXPECT_EQ(b.income(1).source(), v1::FUNDING_SOURCE_OTHER_INCOME);
  EXPECT_EQ(b.income(1).amount_fen(), 100'000);
  const v1::ExpenditureLine& line = b.expenditures(0);
  EXPECT_EQ(line.nature(), v1::EXPENDITURE_NATURE_BASIC_PUBLIC);
  EXPECT_EQ(line.funding_source(), v1::FUNDING_SOURCE_GOVERNMENT_FUND);
  EXPECT_EQ(line.transfer_kind(), v1::TRANSFER_KIND_SUBSIDY_TO_SUBORDINATE);
  EXPECT_EQ(line.counterpart_unit(), "021002");
  EXPECT_EQ(line.function_code(), "2150501");
  EXPECT_TRUE(b.projects(0).classified());
  EXPECT_EQ(b.projects(0).category(), v1::PROJECT_CATEGORY_SPECIFIC_TARGET);
  EXPECT_FALSE(b.has_overall_goal());
  EXPECT_FALSE(b.has_other());
}

// One error of the many in kBroken: where, which rule, which column, which
// value.
struct Expected {
  int line;
  std::string rule_id;
  std::string column;
  std::string given;
};

void ExpectErrors(const std::vector<FileError>& errors,
                  const std::vector<Expected>& expected) {
  ASSERT_EQ(errors.size(), expected.size()) << FileErrorsToStatus(errors);
  for (size_t i = 0; i < errors.size(); ++i) {
    SCOPED_TRACE(errors[i].ToString());
    EXPECT_EQ(errors[i].line, expected[i].line);
    EXPECT_EQ(errors[i].rule_id, expected[i].rule_id);
    EXPECT_EQ(errors[i].column, expected[i].column);
    EXPECT_EQ(errors[i].given, expected[i].given);
    EXPECT_FALSE(errors[i].expected.empty());
    EXPECT_FALSE(errors[i].message.empty());
    EXPECT_EQ(errors[i].file, "broken.budget");
  }
}

TEST(ParseBudgetFileTest, ReportsEveryErrorWithItsLine) {
  const ParsedFile<BudgetFile> parsed = ParseBudgetFile(
      "stray,line\n"                                                  // 1
      "[budget]\n"                                                    // 2
      "unit_code,021017\n"                                            // 3
      "fiscal_year,二〇二四\n"                                        // 4
      "unit_code,021018\n"                                            // 5
      "colour,blue\n"                                                 // 6
      "[income]\n"                                                    // 7
      "source,amount_yuan,memo\n"                                     // 8
      "GENERAL_PUBLIC_BUDGET,1.234,\"spans\n"                         // 9
      "two lines\"\n"                                                 // 10
      "GENERAL_PUBLIC_BUDGT,12a,ok\n"                                 // 11
      "OTHER_INCOME,31,082,000.00,unquoted separators\n"              // 12
      "[expenditure]\n"                                               // 13
      "function_code,dept_economic_code,source,nature,amount_yuan\n"  // 14
      "2150501,30101,GENERAL_PUBLIC_BUDGET,PROJECT,1\n"               // 15
      "[project]\n"                                                   // 16
      "code,name,category,colour\n"                                   // 17
      "[project]\n"                                                   // 18
      "[projects]\n"                                                  // 19
      "x,y\n"                                                         // 20
      "[project_indicator]\n"                                         // 21
      "project_code,level1,level3,target\n"                           // 22
      "41010024 00000000 99999,产出指标,次数,1\n"                     // 23
      "[other]\n"                                                     // 24
      "general_vehicles,21.5\n"                                       // 25
      "procurement_goods_yuan,1,000\n",                               // 26
      "broken.budget");
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument);
  ExpectErrors(parsed.errors,
               {
                   {1, "FMT-E003", "", "stray,line"},
                   {4, "FMT-E012", "fiscal_year", "二〇二四"},
                   {5, "FMT-E008", "unit_code", "021018"},
                   {6, "FMT-E006", "colour", "colour"},
                   {9, "FMT-E010", "amount_yuan", "1.234"},
                   {11, "FMT-E011", "source", "GENERAL_PUBLIC_BUDGT"},
                   {11, "FMT-E010", "amount_yuan", "12a"},
                   {12, "FMT-E009", "",
                    "OTHER_INCOME,31,082,000.00,unquoted separators"},
                   {14, "FMT-E007", "gov_economic_code",
                    "function_code,dept_economic_code,source,nature,"
                    "amount_yuan"},
                   {17, "FMT-E006", "colour", "colour"},
                   {18, "FMT-E004", "", "project"},
                   {19, "FMT-E002", "", "projects"},
                   {23, "FMT-E014", "project_code", "41010024 00000000 99999"},
                   {25, "FMT-E012", "general_vehicles", "21.5"},
                   {26, "FMT-E009", "procurement_goods_yuan",
                    "procurement_goods_yuan,1,000"},
               });
  EXPECT_THAT(parsed.status().message(),
              HasSubstr("broken.budget:9: FMT-E010 amount_yuan:"));
}

TEST(ParseBudgetFileTest, ReportsMissingSectionsAndKeys) {
  ExpectErrors(
      ParseBudgetFile("# nothing but a comment\n", "broken.budget").errors,
      {{0, "FMT-E005", "", ""}});
  ExpectErrors(ParseBudgetFile("[budget]\n"
                               "unit_code,1\n"
                               "[overall_task]\n"
                               "name\n"
                               "a\n"
                               "[overall_goal]\n"
                               "annual_objective,x\n"
                               "[project]\n"
                               "code,name,category,classified\n"
                               "1,a,OTHER_OPERATING,yes\n",
                               "broken.budget")
                   .errors,
               {{1, "FMT-E007", "fiscal_year", ""},
                {6, "FMT-E007", "scope_code", ""},
                {10, "FMT-E013", "classified", "yes"}});
}

TEST(ParseBudgetFileTest, RejectsGoalPartsWithoutTheGoal) {
  ExpectErrors(ParseBudgetFile("[budget]\n"
                               "unit_code,1\n"
                               "fiscal_year,2024\n"
                               "[overall_indicator]\n"
                               "level1,level3,target\n",
                               "broken.budget")
                   .errors,
               {{4, "FMT-E005", "", "[overall_indicator]"}});
}

TEST(ParseBudgetFileTest, ReportsAnUnclosedQuote) {
  ExpectErrors(ParseBudgetFile("[budget]\n"
                               "unit_code,1\n"
                               "fiscal_year,2024\n"
                               "[income]\n"
                               "source,amount_yuan,memo\n"
                               "OTHER_INCOME,1,\"never closed\n"
                               "OTHER_INCOME,2,\n",
                               "broken.budget")
                   .errors,
               {{6, "FMT-E001", "", ""}});
}

TEST(ParseBudgetFileTest, ReportsTextThatIsNotUtf8LinesWithItsLine) {
  ExpectErrors(ParseBudgetFile("[budget]\runit_code,1\rfiscal_year,2024\r",
                               "broken.budget")
                   .errors,
               {{1, "FMT-E017", "", "CR"},
                {2, "FMT-E017", "", "CR"},
                {3, "FMT-E017", "", "CR"}});
  ExpectErrors(
      ParseBudgetFile(std::string("[budget]\nunit_code,1\nfiscal_year,20\0"
                                  "24\n",
                                  39),
                      "broken.budget")
          .errors,
      {{3, "FMT-E016", "", "NUL at column 15"}});
  // 单位 in GBK.
  ExpectErrors(ParseBudgetFile("[budget]\nunit_code,1\nfiscal_year,2024\n"
                               "[income]\nsource,amount_yuan,memo\n"
                               "OTHER_INCOME,1,\xB5\xA5\xCE\xBB\n",
                               "broken.budget")
                   .errors,
               {{6, "FMT-E015", "", "byte 0xb5 at column 16"}});
  // UTF-16, with and without its byte-order mark: one finding, not one per
  // NUL byte.
  const std::string utf16 = std::string("[\0b\0u\0d\0g\0e\0t\0]\0\n\0", 18);
  ExpectErrors(ParseBudgetFile("\xFF\xFE" + utf16, "broken.budget").errors,
               {{1, "FMT-E015", "", "bytes ff fe at the start"}});
  ExpectErrors(ParseBudgetFile(utf16, "broken.budget").errors,
               {{1, "FMT-E015", "", "bytes 5b 00 at the start"}});
}

// Each indicator row finds its project by code in constant time: 40,000
// projects took over 10 s when every row scanned the projects.
TEST(ParseBudgetFileTest, ManyProjectsWithIndicatorsParseInLinearTime) {
  constexpr int kProjects = 40'000;
  std::string projects = "[project]\ncode,name,category\n";
  std::string indicators =
      "[project_indicator]\nproject_code,level1,level3,target\n";
  for (int i = 0; i < kProjects; ++i) {
    const std::string code =
        absl::StrCat("4101002400000", absl::Dec(i, absl::kZeroPad8));
    absl::StrAppend(&projects, code, ",p", i, ",OTHER_OPERATING\n");
    absl::StrAppend(&indicators, code, ",产出指标,数量,≥", i, "\n");
  }
  const ParsedFile<BudgetFile> parsed =
      ParseBudgetFile(absl::StrCat("[budget]\nunit_code,021017\n"
                                   "fiscal_year,2024\n",
                                   projects, indicators),
                      "many.budget");
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  const v1::UnitBudget& budget = parsed.value.budget;
  ASSERT_EQ(budget.projects_size(), kProjects);
  EXPECT_EQ(budget.projects(kProjects - 1).indicators_size(), 1);
  EXPECT_EQ(budget.projects(kProjects - 1).indicators(0).target(),
            absl::StrCat("≥", kProjects - 1));
}

TEST(ParseBudgetFileTest, ATenMegabyteCellIsReadWhole) {
  const std::string memo(10 << 20, 'm');
  for (const std::string& cell : {memo, absl::StrCat("\"", memo, "\"")}) {
    const ParsedFile<BudgetFile> parsed = ParseBudgetFile(
        absl::StrCat("[budget]\nunit_code,021017\nfiscal_year,2024\n"
                     "[income]\nsource,amount_yuan,memo\n"
                     "GENERAL_PUBLIC_BUDGET,1.00,",
                     cell, "\n"),
        "cell.budget");
    ASSERT_TRUE(parsed.ok()) << parsed.status();
    ASSERT_EQ(parsed.value.budget.income_size(), 1);
    EXPECT_EQ(parsed.value.budget.income(0).memo().size(), memo.size());
  }
}

}  // namespace
}  // namespace budget
