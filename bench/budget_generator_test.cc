// The generator is what every benchmark number rests on: it must give the
// same budgets on every run and only budgets the real validator accepts.
#include "bench/budget_generator.h"

#include <string>

#include "bench/workload.h"
#include "budget/budget_file/budget_file.h"
#include "budget/catalog/catalog.h"
#include "budget/consolidation/unit_tree.h"
#include "budget/validation/validator.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace bench {
namespace {

using ::testing::IsEmpty;
using ::testing::SizeIs;

Workload SizeS() {
  absl::StatusOr<Workload> workload = WorkloadOfSize("S");
  EXPECT_TRUE(workload.ok());
  return *workload;
}

TEST(WorkloadTest, SizesHaveTheUnitAndLineCountsOfTheIssue) {
  EXPECT_EQ(WorkloadOfSize("S")->units(), 100);
  EXPECT_EQ(WorkloadOfSize("M")->units(), 10000);
  EXPECT_EQ(WorkloadOfSize("L")->lines(), 20000000);
  EXPECT_FALSE(WorkloadOfSize("XL").ok());
}

TEST(WorkloadTest, UnitsFormATreeUnderTheRegion) {
  const std::vector<budget::v1::Unit> units = GenerateUnits(SizeS());
  ASSERT_THAT(units, SizeIs(102));
  absl::StatusOr<budget::UnitTree> tree = budget::UnitTree::Build(units);
  ASSERT_TRUE(tree.ok()) << tree.status();
  EXPECT_THAT(tree->Subtree(DepartmentCode(0)), SizeIs(101));
  EXPECT_TRUE(tree->IsWithin(UnitCode(0, 99), kRegionCode));
}

TEST(BudgetGeneratorTest, SameInputsGiveTheSameBudget) {
  const Workload workload = SizeS();
  const budget::v1::Unit unit = GenerateUnits(workload)[5];
  const std::string first =
      GenerateBudget(unit, workload, 0).SerializeAsString();
  EXPECT_EQ(GenerateBudget(unit, workload, 0).SerializeAsString(), first);
  EXPECT_NE(GenerateBudget(unit, workload, 1).SerializeAsString(), first);
}

TEST(BudgetGeneratorTest, EveryBudgetOfSizeSValidatesWithoutFindings) {
  const Workload workload = SizeS();
  const std::vector<budget::v1::Unit> units = GenerateUnits(workload);
  absl::StatusOr<budget::UnitTree> tree = budget::UnitTree::Build(units);
  ASSERT_TRUE(tree.ok()) << tree.status();
  budget::ValidationContext context;
  context.catalog = &budget::Catalog::Default();
  context.registry = &*tree;
  context.strict = true;
  int budgets = 0;
  for (const budget::v1::Unit& unit : units) {
    if (unit.kind() == budget::v1::UNIT_KIND_GROUP) continue;
    const budget::v1::UnitBudget budget = GenerateBudget(unit, workload, 3);
    ASSERT_THAT(budget.expenditures(), SizeIs(workload.lines_per_budget));
    EXPECT_THAT(budget::ValidateUnitBudget(budget, context).violations(),
                IsEmpty())
        << unit.code();
    ++budgets;
  }
  EXPECT_EQ(budgets, 100);
}

TEST(BudgetGeneratorTest, BudgetFileRoundTrips) {
  const Workload workload = SizeS();
  const budget::v1::UnitBudget budget =
      GenerateBudget(GenerateUnits(workload)[2], workload, 0);
  const auto parsed =
      budget::ParseBudgetFile(budget::FormatBudgetFile(budget), "gen.budget");
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed.value.budget.SerializeAsString(),
            budget.SerializeAsString());
}

}  // namespace
}  // namespace bench
