#include "budgetctl/request_id.h"

#include "gtest/gtest.h"

namespace budgetctl {
namespace {

budget::v1::UnitBudget Budget(int64_t fen) {
  budget::v1::UnitBudget budget;
  budget.set_unit_code("021017");
  budget.set_fiscal_year(2024);
  budget::v1::IncomeLine* income = budget.add_income();
  income->set_source(budget::v1::FUNDING_SOURCE_GENERAL_PUBLIC_BUDGET);
  income->set_amount_fen(fen);
  return budget;
}

TEST(RequestIdTest, SameBudgetSameIdAcrossRuns) {
  // The id is fixed across machines and builds: a re-run after a crash
  // must send the id the first run sent.
  EXPECT_EQ(SubmitRequestId(Budget(837100000)),
            SubmitRequestId(Budget(837100000)));
  EXPECT_EQ(SubmitRequestId(Budget(837100000)).substr(0, 22),
            "budgetctl-021017-2024-");
  EXPECT_EQ(SubmitRequestId(Budget(837100000)).size(), 22u + 16u);
}

TEST(RequestIdTest, AnyChangeChangesTheId) {
  EXPECT_NE(SubmitRequestId(Budget(837100000)),
            SubmitRequestId(Budget(837100001)));
  budget::v1::UnitBudget other_year = Budget(837100000);
  other_year.set_fiscal_year(2023);
  EXPECT_NE(SubmitRequestId(other_year), SubmitRequestId(Budget(837100000)));
}

}  // namespace
}  // namespace budgetctl
