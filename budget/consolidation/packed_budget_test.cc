#include "budget/consolidation/packed_budget.h"

#include "budget/consolidation/consolidation_test_util.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"

namespace budget {
namespace {

using google::protobuf::util::MessageDifferencer;

// A budget using every kind of line the packing treats differently: plain
// lines, a project line, a transfer, a memo, income with a counterpart,
// stated figures and particulars.
v1::UnitBudget VariedBudget() {
  v1::UnitBudget budget = MakeBudget("021002");
  budget.mutable_overall_goal()->set_annual_objective("目标");
  v1::Project* project = budget.add_projects();
  project->set_code("410100240000000051611");
  project->set_name("项目");
  project->set_category(v1::PROJECT_CATEGORY_SPECIFIC_TARGET);
  project->set_classified(true);
  AddSpending(&budget, 100);
  v1::ExpenditureLine* project_line = AddSpending(&budget, 0);
  project_line->set_nature(v1::EXPENDITURE_NATURE_PROJECT);
  project_line->set_project_code("410100240000000051611");
  AddSpending(&budget, 300, v1::TRANSFER_KIND_REMITTANCE_TO_SUPERIOR, "021");
  AddSpending(&budget, 400)->set_memo("说明");
  AddIncome(&budget, v1::FUNDING_SOURCE_SUBSIDY_FROM_SUPERIOR, 500, "021");
  AddIncome(&budget, v1::FUNDING_SOURCE_GENERAL_PUBLIC_BUDGET, 300);
  budget.mutable_other()->set_general_vehicles(2);
  return budget;
}

TEST(PackedBudgetTest, UnpacksToTheBudgetAsSubmitted) {
  const v1::UnitBudget budget = VariedBudget();
  const PackedBudget packed(budget);
  const v1::UnitBudget unpacked = packed.Unpack();
  EXPECT_TRUE(MessageDifferencer::Equals(unpacked, budget))
      << unpacked.ShortDebugString() << "\nvs\n"
      << budget.ShortDebugString();
  EXPECT_EQ(packed.lines().size(), 4u);
  // Only the transfer and the memo need their full form.
  EXPECT_EQ(packed.full_lines().size(), 2u);
}

TEST(PackedBudgetTest, KeysCarryTheDeclaredProjectsCategoryAndFlag) {
  const PackedBudget packed(VariedBudget());
  const ExpenditureKey& key = packed.lines()[1].key;
  EXPECT_EQ(key.project_code(), "410100240000000051611");
  EXPECT_EQ(key.project_category(), v1::PROJECT_CATEGORY_SPECIFIC_TARGET);
  EXPECT_TRUE(key.project_classified());
  EXPECT_EQ(key.function_code(), "2150501");
  EXPECT_FALSE(packed.lines()[0].key.project_classified());
}

TEST(PackedBudgetTest, ParticularsLeaveOutLinesAndStatedFigures) {
  const v1::UnitBudget particulars =
      PackedBudget(VariedBudget()).UnpackParticulars();
  EXPECT_EQ(particulars.overall_goal().annual_objective(), "目标");
  EXPECT_EQ(particulars.projects_size(), 1);
  EXPECT_EQ(particulars.expenditures_size(), 0);
  EXPECT_EQ(particulars.income_size(), 0);
  EXPECT_FALSE(particulars.has_other());
}

TEST(PackedBudgetTest, WithoutCounterpartUnnamesOnlyThatCode) {
  v1::UnitBudget budget = VariedBudget();
  AddSpending(&budget, 600, v1::TRANSFER_KIND_SUBSIDY_TO_SUBORDINATE, "021003");
  const PackedBudget packed(budget);
  const PackedBudget unnamed = packed.WithoutCounterpart("021");
  ASSERT_TRUE(unnamed.TransferOf(unnamed.lines()[2]).has_value());
  EXPECT_EQ(unnamed.TransferOf(unnamed.lines()[2])->payee_unit, "");
  EXPECT_EQ(unnamed.TransferOf(unnamed.lines()[4])->payee_unit, "021003");
  EXPECT_EQ(unnamed.income()[0].counterpart_unit(), "");
  EXPECT_EQ(packed.TransferOf(packed.lines()[2])->payee_unit, "021");
  EXPECT_FALSE(packed.TransferOf(packed.lines()[0]).has_value());
}

TEST(CodeTest, InternsEachTextOnce) {
  const Code a = Code::Of("2150501");
  EXPECT_EQ(a, Code::Of(std::string("2150501")));
  EXPECT_NE(a, Code::Of("2150502"));
  EXPECT_EQ(a.view(), "2150501");
  EXPECT_TRUE(Code::Of("").empty());
  EXPECT_TRUE(Code().empty());
  EXPECT_EQ(Code().view(), "");
}

}  // namespace
}  // namespace budget
