#include "auth/budget_masking.h"

#include "budget/aggregation/dimension.h"
#include "gtest/gtest.h"

namespace auth {
namespace {

TEST(BudgetMaskingTest, ClassifiedProjectsAndTheirLinesAreMaskedAmountsKept) {
  budget::v1::UnitBudget budget;
  budget::v1::Project* secret = budget.add_projects();
  secret->set_code("410100240000000059999");
  secret->set_name("secret name");
  secret->set_classified(true);
  secret->add_indicators()->set_level3("secret indicator");
  budget::v1::Project* open = budget.add_projects();
  open->set_code("410100240000000051611");
  open->set_name("open name");
  budget::v1::ExpenditureLine* hidden = budget.add_expenditures();
  hidden->set_project_code("410100240000000059999");
  hidden->set_amount_fen(123);
  hidden->set_memo("secret memo");
  budget::v1::ExpenditureLine* shown = budget.add_expenditures();
  shown->set_project_code("410100240000000051611");
  shown->set_amount_fen(456);

  MaskClassifiedProjects(budget);

  EXPECT_EQ(budget.projects(0).code(), budget::kMaskedProject);
  EXPECT_EQ(budget.projects(0).name(), budget::kMaskedProject);
  EXPECT_EQ(budget.projects(0).indicators_size(), 0);
  EXPECT_EQ(budget.projects(1).name(), "open name");
  EXPECT_EQ(budget.expenditures(0).project_code(), budget::kMaskedProject);
  EXPECT_EQ(budget.expenditures(0).memo(), "");
  EXPECT_EQ(budget.expenditures(0).amount_fen(), 123);
  EXPECT_EQ(budget.expenditures(1).project_code(), "410100240000000051611");
}

}  // namespace
}  // namespace auth
