#include "budget/cycle/adjustment.h"

#include <map>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace budget {
namespace {

using ::testing::IsEmpty;

v1::Unit Node(const std::string& code, const std::string& parent,
              v1::UnitKind kind = v1::UNIT_KIND_INSTITUTION) {
  v1::Unit unit;
  unit.set_code(code);
  unit.set_parent_code(parent);
  unit.set_kind(kind);
  unit.set_name("单位" + code);
  return unit;
}

// Region 1 with departments 11 (units 111, 112) and 12 (unit 121); each
// unit's approved budget: 100 yuan income, two 50-yuan project lines P1 and
// P2.
class AdjustmentTest : public ::testing::Test {
 protected:
  AdjustmentTest() {
    for (const v1::Unit& unit :
         {Node("1", "", v1::UNIT_KIND_GROUP),
          Node("11", "1", v1::UNIT_KIND_GROUP), Node("111", "11"),
          Node("112", "11"), Node("12", "1", v1::UNIT_KIND_GROUP),
          Node("121", "12")}) {
      EXPECT_TRUE(tree_.Add(unit).ok());
    }
    for (const char* code : {"111", "112", "121"}) {
      v1::UnitBudget& budget = approved_[code];
      budget.set_unit_code(code);
      budget.set_fiscal_year(2024);
      v1::IncomeLine* income = budget.add_income();
      income->set_source(v1::FUNDING_SOURCE_GENERAL_PUBLIC_BUDGET);
      income->set_amount_fen(100'00);
      for (const char* project : {"P1", "P2"}) {
        budget.add_projects()->set_code(project);
        *budget.add_expenditures() = Spending(project, 50'00);
      }
    }
  }

  static v1::ExpenditureLine Spending(const std::string& project, int64_t fen) {
    v1::ExpenditureLine line;
    line.set_function_code("2150501");
    line.set_dept_economic_code("30201");
    line.set_gov_economic_code("50201");
    line.set_funding_source(v1::FUNDING_SOURCE_GENERAL_PUBLIC_BUDGET);
    line.set_nature(v1::EXPENDITURE_NATURE_PROJECT);
    line.set_project_code(project);
    line.set_amount_fen(fen);
    return line;
  }

  static v1::ExpenditureDelta* Move(v1::Adjustment& adjustment,
                                    const std::string& unit,
                                    const std::string& project, int64_t fen) {
    v1::ExpenditureDelta* d = adjustment.add_expenditures();
    v1::ExpenditureLine line = Spending(project, 0);
    d->set_unit_code(unit);
    d->set_function_code(line.function_code());
    d->set_dept_economic_code(line.dept_economic_code());
    d->set_gov_economic_code(line.gov_economic_code());
    d->set_funding_source(line.funding_source());
    d->set_nature(line.nature());
    d->set_project_code(project);
    d->set_delta_fen(fen);
    return d;
  }

  static v1::Adjustment Header(v1::AdjustmentKind kind,
                               const std::string& node = "11") {
    v1::Adjustment adjustment;
    adjustment.set_node_code(node);
    adjustment.set_fiscal_year(2024);
    adjustment.set_kind(kind);
    adjustment.set_reason("调整事由");
    adjustment.set_document_number("郑财预〔2024〕1号");
    return adjustment;
  }

  std::vector<v1::Violation> Check(const v1::Adjustment& adjustment) {
    return CheckAdjustment(
        adjustment, tree_,
        [&](absl::string_view unit) -> const v1::UnitBudget* {
          auto it = approved_.find(std::string(unit));
          return it == approved_.end() ? nullptr : &it->second;
        });
  }

  static std::vector<std::string> Ids(const std::vector<v1::Violation>& found) {
    std::vector<std::string> ids;
    for (const v1::Violation& v : found) {
      ids.push_back(v.rule_id() + " " + v.field_path());
    }
    return ids;
  }

  UnitTree tree_;
  std::map<std::string, v1::UnitBudget> approved_;
};

TEST_F(AdjustmentTest, TransferBetweenTwoProjectsIsAcceptedAndApplied) {
  v1::Adjustment adjustment = Header(v1::ADJUSTMENT_KIND_TRANSFER);
  Move(adjustment, "111", "P1", -20'00);
  Move(adjustment, "111", "P2", 20'00);
  EXPECT_THAT(Check(adjustment), IsEmpty());
  absl::StatusOr<v1::UnitBudget> adjusted =
      AdjustedBudget(approved_["111"], {&adjustment});
  ASSERT_TRUE(adjusted.ok()) << adjusted.status();
  EXPECT_EQ(adjusted->expenditures(0).amount_fen(), 30'00);
  EXPECT_EQ(adjusted->expenditures(1).amount_fen(), 70'00);
}

TEST_F(AdjustmentTest, IncreaseAddsIncomeAndANewLine) {
  v1::Adjustment adjustment = Header(v1::ADJUSTMENT_KIND_INCREASE);
  v1::IncomeDelta* income = adjustment.add_income();
  income->set_unit_code("112");
  income->set_source(v1::FUNDING_SOURCE_GENERAL_PUBLIC_BUDGET);
  income->set_delta_fen(10'00);
  Move(adjustment, "112", "P1", 10'00)->set_function_code("2150599");
  EXPECT_THAT(Check(adjustment), IsEmpty());
  absl::StatusOr<v1::UnitBudget> adjusted =
      AdjustedBudget(approved_["112"], {&adjustment});
  ASSERT_TRUE(adjusted.ok());
  EXPECT_EQ(adjusted->income(0).amount_fen(), 110'00);
  ASSERT_EQ(adjusted->expenditures_size(), 3);
  EXPECT_EQ(adjusted->expenditures(2).function_code(), "2150599");
  EXPECT_EQ(adjusted->expenditures(2).amount_fen(), 10'00);
}

TEST_F(AdjustmentTest, EveryBrokenRuleIsReportedAtOnce) {
  v1::Adjustment adjustment = Header(v1::ADJUSTMENT_KIND_INCREASE);
  adjustment.clear_document_number();
  Move(adjustment, "111", "P1", -60'00);  // below zero
  Move(adjustment, "121", "P1", 5'00);    // outside department 11
  Move(adjustment, "112", "P1", 5'00);    // no income beside it
  Move(adjustment, "112", "P9", 5'00);    // no such project
  // The expenditure deltas add up to -50 yuan: not an increase.
  EXPECT_THAT(
      Ids(Check(adjustment)),
      ::testing::ElementsAre(
          "BGT-E110 document_number", "BGT-E111 expenditures[0].delta_fen",
          "BGT-E113 expenditures[1].unit_code", "BGT-E116 expenditures[3]",
          "BGT-E112 units[112]", "BGT-E115 expenditures"));
}

TEST_F(AdjustmentTest, UnitWithoutApprovedBudgetIsRejected) {
  approved_.erase("112");
  v1::Adjustment adjustment = Header(v1::ADJUSTMENT_KIND_TRANSFER);
  Move(adjustment, "111", "P1", -5'00);
  Move(adjustment, "112", "P1", 5'00);
  EXPECT_THAT(Ids(Check(adjustment)),
              ::testing::Contains("BGT-E114 expenditures[1].unit_code"));
}

TEST_F(AdjustmentTest,
       TransferBetweenUnitsKeepsEachUnitBalancedOnlyWithIncome) {
  v1::Adjustment adjustment = Header(v1::ADJUSTMENT_KIND_TRANSFER);
  Move(adjustment, "111", "P1", -5'00);
  Move(adjustment, "112", "P1", 5'00);
  // Each unit's expenditure moved without its income: both unbalanced.
  EXPECT_THAT(
      Ids(Check(adjustment)),
      ::testing::ElementsAre("BGT-E112 units[111]", "BGT-E112 units[112]"));
  for (auto [unit, fen] : {std::pair{"111", -5'00}, std::pair{"112", 5'00}}) {
    v1::IncomeDelta* income = adjustment.add_income();
    income->set_unit_code(unit);
    income->set_source(v1::FUNDING_SOURCE_GENERAL_PUBLIC_BUDGET);
    income->set_delta_fen(fen);
  }
  EXPECT_THAT(Check(adjustment), IsEmpty());
}

TEST_F(AdjustmentTest, NegativeDeltaTakesFromEveryMatchingLineInOrder) {
  v1::UnitBudget& budget = approved_["111"];
  *budget.add_expenditures() = Spending("P1", 30'00);
  v1::Adjustment adjustment = Header(v1::ADJUSTMENT_KIND_DECREASE);
  Move(adjustment, "111", "P1", -70'00);
  ASSERT_TRUE(ApplyAdjustment(adjustment, budget).ok());
  EXPECT_EQ(budget.expenditures(0).amount_fen(), 0);
  EXPECT_EQ(budget.expenditures(2).amount_fen(), 10'00);
  Move(adjustment, "111", "P1", -20'00);
  EXPECT_TRUE(absl::IsFailedPrecondition(ApplyAdjustment(adjustment, budget)));
}

}  // namespace
}  // namespace budget
