#include "budget/publication/fiscal_data_package.h"

#include <string>

#include "gtest/gtest.h"

namespace budget {
namespace {

v1::UnitBudget Budget(const std::string& unit) {
  v1::UnitBudget budget;
  budget.set_unit_code(unit);
  budget.set_fiscal_year(2025);
  v1::Project* secret = budget.add_projects();
  secret->set_code(unit + "-S");
  secret->set_name("机密名称" + unit);
  secret->set_classified(true);
  budget.add_projects()->set_code(unit + "-P");
  budget.mutable_projects(1)->set_name("公开项目");
  auto line = [&](const std::string& project, int64_t fen) {
    v1::ExpenditureLine* added = budget.add_expenditures();
    added->set_function_code("2150501");
    added->set_dept_economic_code("30227");
    added->set_gov_economic_code("50205");
    added->set_funding_source(v1::FUNDING_SOURCE_GENERAL_PUBLIC_BUDGET);
    added->set_nature(v1::EXPENDITURE_NATURE_PROJECT);
    added->set_project_code(project);
    added->set_amount_fen(fen);
  };
  line(unit + "-S", 100);
  line(unit + "-P", 250);
  line(unit + "-S", 5);
  return budget;
}

FiscalDataInput Input(bool cleared) {
  FiscalDataInput input;
  input.node_code = "9";
  input.node_name = "某\"局\"";
  input.fiscal_year = 2025;
  v1::Unit unit;
  unit.set_code("901");
  unit.set_name("甲单位");
  input.units = {unit};
  input.budgets = {Budget("901"), Budget("902")};
  input.cleared = cleared;
  return input;
}

TEST(FiscalDataPackageTest, PublicLinesFoldEachUnitsClassifiedProjects) {
  absl::StatusOr<std::string> csv = BudgetLinesCsv(Input(false));
  ASSERT_TRUE(csv.ok()) << csv.status();
  EXPECT_EQ(*csv,
            "unit_code,unit_name,function_code,dept_economic_code,"
            "gov_economic_code,funding_source,nature,project_code,"
            "project_name,amount,transfer_kind,counterpart_unit\n"
            "901,甲单位,2150501,30227,50205,GENERAL_PUBLIC_BUDGET,PROJECT,"
            "901-P,公开项目,2.50,,\n"
            "901,甲单位,,,,,PROJECT,,涉密项目按规定不予公开,1.05,,\n"
            // A unit the registry does not name prints its code.
            "902,902,2150501,30227,50205,GENERAL_PUBLIC_BUDGET,PROJECT,"
            "902-P,公开项目,2.50,,\n"
            "902,902,,,,,PROJECT,,涉密项目按规定不予公开,1.05,,\n");
}

// A subsidy's money is spent again by the unit that receives it: the
// transfer columns let a reader sum the department without it, classified
// or not.
TEST(FiscalDataPackageTest, TransferLinesSayWhoTheyPay) {
  FiscalDataInput input = Input(false);
  for (int i : {0, 1}) {
    v1::ExpenditureLine& line =
        *input.budgets[0].mutable_expenditures(i);  // 901-S 1.00, 901-P 2.50
    line.set_funding_source(v1::FUNDING_SOURCE_OTHER_INCOME);
    line.set_transfer_kind(v1::TRANSFER_KIND_SUBSIDY_TO_SUBORDINATE);
    line.set_counterpart_unit("902");
  }
  absl::StatusOr<std::string> csv = BudgetLinesCsv(input);
  ASSERT_TRUE(csv.ok()) << csv.status();
  EXPECT_NE(csv->find("901-P,公开项目,2.50,SUBSIDY_TO_SUBORDINATE,902\n"),
            std::string::npos)
      << *csv;
  // The classified subsidy folds apart from the classified line that is
  // the unit's own spending.
  EXPECT_NE(csv->find("涉密项目按规定不予公开,0.05,,\n"), std::string::npos)
      << *csv;
  EXPECT_NE(
      csv->find("涉密项目按规定不予公开,1.00,SUBSIDY_TO_SUBORDINATE,902\n"),
      std::string::npos)
      << *csv;
  EXPECT_NE(DataPackageJson(input).find(
                "\"primaryKey\": [\"transfer_kind\", \"counterpart_unit\"]"),
            std::string::npos);
}

TEST(FiscalDataPackageTest, ClearedLinesAreListedAsSubmitted) {
  absl::StatusOr<std::string> csv = BudgetLinesCsv(Input(true));
  ASSERT_TRUE(csv.ok()) << csv.status();
  EXPECT_NE(csv->find("901-S,机密名称901,1.00,,\n"), std::string::npos) << *csv;
  EXPECT_NE(csv->find("901-S,机密名称901,0.05,,\n"), std::string::npos) << *csv;
  EXPECT_EQ(csv->find("涉密项目按规定不予公开"), std::string::npos);
}

TEST(FiscalDataPackageTest, TheDescriptorNamesThePackageAndEscapesText) {
  const std::string json = DataPackageJson(Input(false));
  EXPECT_NE(json.find("\"profile\": \"fiscal-data-package\""),
            std::string::npos);
  EXPECT_NE(json.find("\"name\": \"budget-9-2025\""), std::string::npos);
  EXPECT_NE(json.find("\"title\": \"2025年某\\\"局\\\"部门预算支出明细\""),
            std::string::npos)
      << json;
  EXPECT_NE(json.find("\"fiscalPeriod\": {\"start\": \"2025-01-01\", "
                      "\"end\": \"2025-12-31\"}"),
            std::string::npos);
  // The lines end in LF, which the CSV dialect must say (its default is
  // CRLF).
  EXPECT_NE(json.find("\"lineTerminator\": \"\\n\""), std::string::npos)
      << json;
  absl::StatusOr<std::string> csv = BudgetLinesCsv(Input(false));
  ASSERT_TRUE(csv.ok()) << csv.status();
  EXPECT_EQ(csv->find('\r'), std::string::npos);
}

}  // namespace
}  // namespace budget
