#include "budget/cycle/stage.h"

#include "gtest/gtest.h"

namespace budget {
namespace {

using v1::BudgetStage;

TEST(StageTest, RevisionsOutsideTheCycleReadAsSubmittedAndApproved) {
  EXPECT_FALSE(
      CountsFor(v1::BUDGET_STAGE_UNSPECIFIED, v1::BUDGET_STAGE_PROPOSAL));
  EXPECT_TRUE(
      CountsFor(v1::BUDGET_STAGE_UNSPECIFIED, v1::BUDGET_STAGE_SUBMISSION));
  EXPECT_TRUE(
      CountsFor(v1::BUDGET_STAGE_UNSPECIFIED, v1::BUDGET_STAGE_APPROVED));
  EXPECT_TRUE(
      CountsFor(v1::BUDGET_STAGE_UNSPECIFIED, v1::BUDGET_STAGE_ADJUSTED));
  // A read without a stage reads the approved budget.
  EXPECT_TRUE(
      CountsFor(v1::BUDGET_STAGE_APPROVED, v1::BUDGET_STAGE_UNSPECIFIED));
}

TEST(StageTest, CycleRevisionsCountForTheirOwnStageOnly) {
  EXPECT_TRUE(CountsFor(v1::BUDGET_STAGE_PROPOSAL, v1::BUDGET_STAGE_PROPOSAL));
  EXPECT_FALSE(CountsFor(v1::BUDGET_STAGE_PROPOSAL, v1::BUDGET_STAGE_APPROVED));
  EXPECT_FALSE(
      CountsFor(v1::BUDGET_STAGE_SUBMISSION, v1::BUDGET_STAGE_APPROVED));
  EXPECT_FALSE(
      CountsFor(v1::BUDGET_STAGE_APPROVED, v1::BUDGET_STAGE_SUBMISSION));
  EXPECT_TRUE(CountsFor(v1::BUDGET_STAGE_APPROVED, v1::BUDGET_STAGE_ADJUSTED));
}

TEST(StageTest, NamesRoundTrip) {
  for (BudgetStage stage :
       {v1::BUDGET_STAGE_PROPOSAL, v1::BUDGET_STAGE_SUBMISSION,
        v1::BUDGET_STAGE_APPROVED, v1::BUDGET_STAGE_ADJUSTED}) {
    EXPECT_EQ(*ParseStageName(StageName(stage)), stage);
  }
  EXPECT_FALSE(ParseStageName("final").ok());
}

}  // namespace
}  // namespace budget
