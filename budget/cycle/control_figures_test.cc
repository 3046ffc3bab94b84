#include "budget/cycle/control_figures.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace budget {
namespace {

using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::Property;

v1::ExpenditureLine* Line(v1::UnitBudget& budget, v1::FundingSource source,
                          v1::ExpenditureNature nature, int64_t fen,
                          const std::string& project = "") {
  v1::ExpenditureLine* line = budget.add_expenditures();
  line->set_funding_source(source);
  line->set_nature(nature);
  line->set_project_code(project);
  line->set_amount_fen(fen);
  return line;
}

v1::ControlAmount* BySource(v1::ControlFigures& figures,
                            v1::FundingSource source, int64_t fen) {
  v1::ControlAmount* amount = figures.add_amounts();
  amount->set_funding_source(source);
  amount->set_amount_fen(fen);
  return amount;
}

v1::ControlAmount* ByNature(v1::ControlFigures& figures,
                            v1::ExpenditureNature nature, int64_t fen) {
  v1::ControlAmount* amount = figures.add_amounts();
  amount->set_nature(nature);
  amount->set_amount_fen(fen);
  return amount;
}

class WithinControlTest : public ::testing::Test {
 protected:
  WithinControlTest() {
    Line(budget_, v1::FUNDING_SOURCE_GENERAL_PUBLIC_BUDGET,
         v1::EXPENDITURE_NATURE_BASIC_PERSONNEL, 500'00);
    Line(budget_, v1::FUNDING_SOURCE_GENERAL_PUBLIC_BUDGET,
         v1::EXPENDITURE_NATURE_PROJECT, 300'00, "P1");
    Line(budget_, v1::FUNDING_SOURCE_BUSINESS_INCOME,
         v1::EXPENDITURE_NATURE_PROJECT, 200'00, "P2");
  }
  v1::UnitBudget budget_;
};

TEST_F(WithinControlTest, ExactlyAtControlHasNoFinding) {
  v1::ControlFigures figures;
  BySource(figures, v1::FUNDING_SOURCE_GENERAL_PUBLIC_BUDGET, 800'00);
  ByNature(figures, v1::EXPENDITURE_NATURE_PROJECT, 500'00);
  v1::ControlAmount* project = figures.add_amounts();
  project->set_project_code("P2");
  project->set_amount_fen(200'00);
  EXPECT_THAT(CheckWithinControl(budget_, figures), ::testing::IsEmpty());
}

TEST_F(WithinControlTest, EveryBucketOverIsFatalWithGivenAndExpected) {
  v1::ControlFigures figures;
  ByNature(figures, v1::EXPENDITURE_NATURE_BASIC_PERSONNEL, 600'00);  // under
  BySource(figures, v1::FUNDING_SOURCE_GENERAL_PUBLIC_BUDGET, 700'00);
  ByNature(figures, v1::EXPENDITURE_NATURE_PROJECT, 450'00);
  std::vector<v1::Violation> found = CheckWithinControl(budget_, figures);
  ASSERT_EQ(found.size(), 3u);
  EXPECT_EQ(found[0].rule_id(), "BGT-E101");
  EXPECT_EQ(found[0].field_path(), "control.amounts[1]");
  EXPECT_EQ(found[0].given(), "800.00");
  EXPECT_EQ(found[0].expected(), "<= 700.00");
  EXPECT_THAT(found[0].message(),
              ::testing::HasSubstr("funding_source GENERAL_PUBLIC_BUDGET"));
  EXPECT_EQ(found[1].rule_id(), "BGT-E101");
  EXPECT_EQ(found[1].field_path(), "control.amounts[2]");
  EXPECT_EQ(found[1].given(), "500.00");
  EXPECT_THAT(found[1].message(), ::testing::HasSubstr("nature PROJECT"));
  // The unused amount is named in the warning.
  EXPECT_EQ(found[2].rule_id(), "BGT-E102");
  EXPECT_EQ(found[2].severity(), v1::SEVERITY_WARNING);
  EXPECT_THAT(found[2].message(), ::testing::HasSubstr("leaves 100.00 yuan"));
}

TEST(CheckControlFiguresTest, ReportsEveryProblemAtOnce) {
  UnitTree tree;
  v1::Unit dept;
  dept.set_code("021");
  dept.set_kind(v1::UNIT_KIND_GROUP);
  dept.set_name("部门");
  ASSERT_TRUE(tree.Add(dept).ok());
  v1::ControlFigures figures;
  figures.set_unit_code("021");
  BySource(figures, v1::FUNDING_SOURCE_GENERAL_PUBLIC_BUDGET, 1);
  BySource(figures, v1::FUNDING_SOURCE_GENERAL_PUBLIC_BUDGET, -5);
  figures.add_amounts()->set_amount_fen(3);
  std::vector<v1::Violation> found = CheckControlFigures(figures, tree);
  std::vector<std::string> paths;
  for (const v1::Violation& v : found) {
    EXPECT_EQ(v.rule_id(), "BGT-E100");
    paths.push_back(v.field_path());
  }
  EXPECT_THAT(paths, ElementsAre("unit_code", "amounts[1]",
                                 "amounts[1].amount_fen", "amounts[2]"));
}

}  // namespace
}  // namespace budget
