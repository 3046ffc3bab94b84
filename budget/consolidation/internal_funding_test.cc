#include "budget/consolidation/internal_funding.h"

#include <map>
#include <vector>

#include "budget/consolidation/consolidation_test_util.h"
#include "budget/consolidation/packed_budget.h"
#include "gtest/gtest.h"

namespace budget {
namespace {

// The receiver's lines as cells, relabelled, summed by funding source.
std::map<v1::FundingSource, CellAmount> RelabelledBySource(
    const InternalFunding& funding, const PackedBudget& receiver) {
  ExpenditureCells cells;
  for (const PackedLine& line : receiver.lines()) {
    cells.Add(line.key, CellAmount{line.amount_fen(), 1});
  }
  funding.RelabelCells(receiver, /*keep_project=*/true, &cells);
  std::map<v1::FundingSource, CellAmount> by_source;
  for (const auto& [key, cell] : cells) {
    by_source[key.source()].fen += cell.fen;
    by_source[key.source()].lines += cell.lines;
  }
  return by_source;
}

v1::ExpenditureLine* SpendFrom(v1::UnitBudget* budget, int64_t fen,
                               v1::FundingSource source) {
  v1::ExpenditureLine* line = AddSpending(budget, fen);
  line->set_funding_source(source);
  return line;
}

TEST(InternalFundingTest, SubsidySpendingTakesThePayersSources) {
  v1::UnitBudget office = MakeBudget("021001");
  AddSpending(&office, 600, v1::TRANSFER_KIND_SUBSIDY_TO_SUBORDINATE, "021002")
      ->set_funding_source(v1::FUNDING_SOURCE_BUSINESS_INCOME);
  AddSpending(&office, 400, v1::TRANSFER_KIND_SUBSIDY_TO_SUBORDINATE, "021002")
      ->set_funding_source(v1::FUNDING_SOURCE_OTHER_INCOME);
  v1::UnitBudget institution = MakeBudget("021002");
  // 1,000 from the office, 500 from a superior outside the node.
  AddIncome(&institution, v1::FUNDING_SOURCE_SUBSIDY_FROM_SUPERIOR, 1000,
            "021001");
  AddIncome(&institution, v1::FUNDING_SOURCE_SUBSIDY_FROM_SUPERIOR, 500);
  SpendFrom(&institution, 900, v1::FUNDING_SOURCE_SUBSIDY_FROM_SUPERIOR);
  SpendFrom(&institution, 600, v1::FUNDING_SOURCE_SUBSIDY_FROM_SUPERIOR);
  SpendFrom(&institution, 70, v1::FUNDING_SOURCE_GENERAL_PUBLIC_BUDGET);
  const PackedBudget payer(office), receiver(institution);
  const std::vector<const PackedBudget*> budgets = {&payer, &receiver};
  InternalFunding funding(budgets);
  ASSERT_FALSE(funding.empty());

  auto by_source = RelabelledBySource(funding, receiver);
  // Of each fen: 600/1500 事业收入, 400/1500 其他收入, the rest kept.
  EXPECT_EQ(by_source[v1::FUNDING_SOURCE_BUSINESS_INCOME].fen, 360 + 240);
  EXPECT_EQ(by_source[v1::FUNDING_SOURCE_OTHER_INCOME].fen, 240 + 160);
  EXPECT_EQ(by_source[v1::FUNDING_SOURCE_SUBSIDY_FROM_SUPERIOR].fen, 300 + 200);
  EXPECT_EQ(by_source[v1::FUNDING_SOURCE_GENERAL_PUBLIC_BUDGET].fen, 70);
  // The payer's own lines are transfers, not relabelled.
  auto payer_by_source = RelabelledBySource(funding, payer);
  EXPECT_EQ(payer_by_source[v1::FUNDING_SOURCE_BUSINESS_INCOME].fen, 600);
}

TEST(InternalFundingTest, AllFromInsideLeavesNoCellUnderTheInternalLabel) {
  v1::UnitBudget office = MakeBudget("021001");
  AddIncome(&office, v1::FUNDING_SOURCE_REMITTANCE_FROM_SUBORDINATE, 7,
            "021002");
  SpendFrom(&office, 7, v1::FUNDING_SOURCE_REMITTANCE_FROM_SUBORDINATE);
  v1::UnitBudget institution = MakeBudget("021002");
  AddSpending(&institution, 7, v1::TRANSFER_KIND_REMITTANCE_TO_SUPERIOR,
              "021001")
      ->set_funding_source(v1::FUNDING_SOURCE_OPERATING_INCOME);
  const PackedBudget receiver(office), payer(institution);
  const std::vector<const PackedBudget*> budgets = {&receiver, &payer};
  auto by_source = RelabelledBySource(InternalFunding(budgets), receiver);
  EXPECT_EQ(by_source.count(v1::FUNDING_SOURCE_REMITTANCE_FROM_SUBORDINATE),
            0u);
  EXPECT_EQ(by_source[v1::FUNDING_SOURCE_OPERATING_INCOME].fen, 7);
  EXPECT_EQ(by_source[v1::FUNDING_SOURCE_OPERATING_INCOME].lines, 1);
}

TEST(InternalFundingTest, FenAreSharedByLargestRemainderAndAddUp) {
  v1::UnitBudget office = MakeBudget("021001");
  for (v1::FundingSource source :
       {v1::FUNDING_SOURCE_BUSINESS_INCOME, v1::FUNDING_SOURCE_OTHER_INCOME,
        v1::FUNDING_SOURCE_OPERATING_INCOME}) {
    AddSpending(&office, 1, v1::TRANSFER_KIND_SUBSIDY_TO_SUBORDINATE, "021002")
        ->set_funding_source(source);
  }
  v1::UnitBudget institution = MakeBudget("021002");
  AddIncome(&institution, v1::FUNDING_SOURCE_SUBSIDY_FROM_SUPERIOR, 3,
            "021001");
  for (int64_t fen : {1, 2, 4, 5}) {
    SpendFrom(&institution, fen, v1::FUNDING_SOURCE_SUBSIDY_FROM_SUPERIOR);
  }
  const PackedBudget payer(office), receiver(institution);
  const std::vector<const PackedBudget*> budgets = {&payer, &receiver};
  auto by_source = RelabelledBySource(InternalFunding(budgets), receiver);
  int64_t total = 0;
  for (const auto& [source, cell] : by_source) {
    EXPECT_NE(source, v1::FUNDING_SOURCE_SUBSIDY_FROM_SUPERIOR);
    total += cell.fen;
  }
  EXPECT_EQ(total, 1 + 2 + 4 + 5);
  // Thirds of 1, 2, 4 and 5 fen: equal remainders, so each line's odd fen
  // go to the sources in the enum's order, business income first.
  EXPECT_EQ(by_source[v1::FUNDING_SOURCE_BUSINESS_INCOME].fen, 1 + 1 + 2 + 2);
}

TEST(InternalFundingTest, TransfersToUnitsOutsideTheNodeMoveNothing) {
  v1::UnitBudget office = MakeBudget("021001");
  AddSpending(&office, 50, v1::TRANSFER_KIND_SUBSIDY_TO_SUBORDINATE, "099002")
      ->set_funding_source(v1::FUNDING_SOURCE_BUSINESS_INCOME);
  v1::UnitBudget institution = MakeBudget("021002");
  AddIncome(&institution, v1::FUNDING_SOURCE_SUBSIDY_FROM_SUPERIOR, 50,
            "099001");
  SpendFrom(&institution, 50, v1::FUNDING_SOURCE_SUBSIDY_FROM_SUPERIOR);
  const PackedBudget payer(office), receiver(institution);
  const std::vector<const PackedBudget*> budgets = {&payer, &receiver};
  InternalFunding funding(budgets);
  EXPECT_TRUE(funding.empty());
  auto by_source = RelabelledBySource(funding, receiver);
  EXPECT_EQ(by_source[v1::FUNDING_SOURCE_SUBSIDY_FROM_SUPERIOR].fen, 50);
}

}  // namespace
}  // namespace budget
