#include "budget/consolidation/consolidator.h"

#include <cstdint>
#include <limits>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "budget/consolidation/consolidation_test_util.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace budget {
namespace {

using ::testing::ElementsAre;
using ::testing::Pair;

constexpr int64_t kMax = std::numeric_limits<int64_t>::max();

UnitTree BuildTree(const std::vector<v1::Unit>& units) {
  absl::StatusOr<UnitTree> tree = UnitTree::Build(units);
  EXPECT_TRUE(tree.ok()) << tree.status();
  return *std::move(tree);
}

absl::Status Submit(Consolidator& consolidator, v1::UnitBudget budget) {
  return consolidator.ReplaceUnitBudget(
      std::make_shared<const v1::UnitBudget>(std::move(budget)));
}

int64_t Spent(const Consolidator& c, const std::string& node) {
  std::shared_ptr<const NodeRollup> rollup = c.Rollup(node, 2024);
  return rollup == nullptr ? -1 : rollup->expenditure_fen;
}

int64_t Received(const Consolidator& c, const std::string& node) {
  std::shared_ptr<const NodeRollup> rollup = c.Rollup(node, 2024);
  return rollup == nullptr ? -1 : rollup->income_fen;
}

// A consolidator over a tree of its own.
class TreeTest : public ::testing::Test {
 protected:
  explicit TreeTest(const std::vector<v1::Unit>& units)
      : tree_(BuildTree(units)), consolidator_(&tree_) {}

  UnitTree tree_;
  Consolidator consolidator_;
};

// A department (GROUP) of an office and an institution, inside a city.
struct DepartmentTest : TreeTest {
  DepartmentTest()
      : TreeTest({MakeUnit("1", "", v1::UNIT_KIND_GROUP),
                  MakeUnit("021", "1", v1::UNIT_KIND_GROUP),
                  MakeUnit("021001", "021", v1::UNIT_KIND_ADMINISTRATIVE),
                  MakeUnit("021002", "021"),
                  MakeUnit("022", "1", v1::UNIT_KIND_GROUP),
                  MakeUnit("022001", "022")}) {}
};

TEST_F(DepartmentTest, SumsUnitsIntoEveryAncestor) {
  v1::UnitBudget office = MakeBudget("021001");
  AddSpending(&office, 100);
  AddSpending(&office, 20);
  AddIncome(&office, v1::FUNDING_SOURCE_GENERAL_PUBLIC_BUDGET, 120);
  office.mutable_other()->set_general_vehicles(2);
  v1::UnitBudget institution = MakeBudget("021002");
  AddSpending(&institution, 5);
  AddIncome(&institution, v1::FUNDING_SOURCE_BUSINESS_INCOME, 5);
  institution.mutable_other()->set_general_vehicles(3);
  ASSERT_TRUE(Submit(consolidator_, office).ok());
  ASSERT_TRUE(Submit(consolidator_, institution).ok());

  std::shared_ptr<const NodeRollup> department =
      consolidator_.Rollup("021", 2024);
  ASSERT_NE(department, nullptr);
  EXPECT_EQ(department->expenditure_fen, 125);
  EXPECT_EQ(department->income_fen, 125);
  ASSERT_EQ(department->expenditure.size(), 1u);
  EXPECT_EQ((*department->expenditure.begin()).second.fen, 125);
  EXPECT_EQ((*department->expenditure.begin()).second.lines, 3);
  EXPECT_THAT(department->income,
              ElementsAre(Pair(v1::FUNDING_SOURCE_GENERAL_PUBLIC_BUDGET, 120),
                          Pair(v1::FUNDING_SOURCE_BUSINESS_INCOME, 5)));
  EXPECT_EQ(department->other.general_vehicles(), 5);
  EXPECT_EQ(department->budget_count, 2);
  EXPECT_EQ(Spent(consolidator_, "1"), 125);
  EXPECT_EQ(Spent(consolidator_, "021001"), 120);
  EXPECT_EQ(consolidator_.Rollup("022", 2024), nullptr);
  EXPECT_EQ(consolidator_.Rollup("021", 2025), nullptr);
  std::shared_ptr<const v1::UnitBudget> held =
      consolidator_.Budget("021002", 2024);
  ASSERT_NE(held, nullptr);
  EXPECT_EQ(held->SerializeAsString(), institution.SerializeAsString());
}

TEST_F(DepartmentTest, RefusesGroupsUnknownUnitsAndNegativeAmounts) {
  EXPECT_EQ(Submit(consolidator_, MakeBudget("021")).code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(Submit(consolidator_, MakeBudget("999")).code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(consolidator_.ReplaceUnitBudget(nullptr).code(),
            absl::StatusCode::kInvalidArgument);
  v1::UnitBudget negative = MakeBudget("021001");
  AddSpending(&negative, -1);
  EXPECT_EQ(Submit(consolidator_, negative).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(consolidator_.Rollup("021001", 2024), nullptr);
}

TEST_F(DepartmentTest, KeysCarryTheDeclaredProjectAndSurviveUndeclaredOnes) {
  v1::UnitBudget budget = MakeBudget("021001");
  v1::Project* project = budget.add_projects();
  project->set_code("410100240000000051611");
  project->set_category(v1::PROJECT_CATEGORY_SPECIFIC_TARGET);
  project->set_classified(true);
  AddSpending(&budget, 7)->set_project_code("410100240000000051611");
  AddSpending(&budget, 3)->set_project_code("999");
  ASSERT_TRUE(Submit(consolidator_, budget).ok());

  // The unit's own cells name the project; the department's, held, keep
  // only what the project says (ProjectDetail).
  std::shared_ptr<const NodeRollup> unit = consolidator_.Rollup("021001", 2024);
  std::map<std::string, ExpenditureKey> keys;
  for (const auto& [key, cell] : unit->expenditure) {
    keys[std::string(key.project_code())] = key;
  }
  ASSERT_EQ(keys.size(), 2u);
  EXPECT_EQ(keys["410100240000000051611"].project_category(),
            v1::PROJECT_CATEGORY_SPECIFIC_TARGET);
  EXPECT_TRUE(keys["410100240000000051611"].project_classified());
  EXPECT_EQ(keys["999"].project_category(), v1::PROJECT_CATEGORY_UNSPECIFIED);
  EXPECT_FALSE(keys["999"].project_classified());

  std::shared_ptr<const NodeRollup> held = consolidator_.Rollup("021", 2024);
  std::map<bool, CellAmount> department;
  for (const auto& [key, cell] : held->expenditure) {
    EXPECT_EQ(key.project_code(), "");
    department[key.project_classified()] = cell;
  }
  ASSERT_EQ(department.size(), 2u);
  EXPECT_EQ(department[true].fen, 7);
  EXPECT_EQ(department[false].fen, 3);
}

TEST_F(DepartmentTest, SubsidyToSubordinateIsEliminatedAtTheDepartment) {
  v1::UnitBudget office = MakeBudget("021001");
  AddSpending(&office, 100);
  AddSpending(&office, 40, v1::TRANSFER_KIND_SUBSIDY_TO_SUBORDINATE, "021002");
  AddIncome(&office, v1::FUNDING_SOURCE_GENERAL_PUBLIC_BUDGET, 140);
  v1::UnitBudget institution = MakeBudget("021002");
  AddSpending(&institution, 40);
  AddIncome(&institution, v1::FUNDING_SOURCE_SUBSIDY_FROM_SUPERIOR, 40,
            "021001");
  ASSERT_TRUE(Submit(consolidator_, office).ok());
  ASSERT_TRUE(Submit(consolidator_, institution).ok());

  // Each unit shows its side; the department and city count the money once.
  EXPECT_EQ(Spent(consolidator_, "021001"), 140);
  EXPECT_EQ(Received(consolidator_, "021002"), 40);
  EXPECT_EQ(Spent(consolidator_, "021"), 140);
  EXPECT_EQ(Received(consolidator_, "021"), 140);
  EXPECT_EQ(Spent(consolidator_, "1"), 140);
  EXPECT_FALSE(consolidator_.Rollup("021", 2024)
                   ->income.contains(v1::FUNDING_SOURCE_SUBSIDY_FROM_SUPERIOR));
  EXPECT_TRUE(consolidator_.Reconcile("1", 2024).empty());
}

TEST_F(DepartmentTest, RemittanceUpIsEliminatedAtTheDepartment) {
  v1::UnitBudget institution = MakeBudget("021002");
  AddSpending(&institution, 30, v1::TRANSFER_KIND_REMITTANCE_TO_SUPERIOR,
              "021001");
  AddIncome(&institution, v1::FUNDING_SOURCE_BUSINESS_INCOME, 30);
  v1::UnitBudget office = MakeBudget("021001");
  AddIncome(&office, v1::FUNDING_SOURCE_REMITTANCE_FROM_SUBORDINATE, 30,
            "021002");
  AddSpending(&office, 30);
  ASSERT_TRUE(Submit(consolidator_, institution).ok());
  ASSERT_TRUE(Submit(consolidator_, office).ok());

  EXPECT_EQ(Spent(consolidator_, "021002"), 30);
  EXPECT_EQ(Received(consolidator_, "021001"), 30);
  EXPECT_EQ(Spent(consolidator_, "021"), 30);
  EXPECT_EQ(Received(consolidator_, "021"), 30);
  EXPECT_TRUE(consolidator_.Reconcile("021", 2024).empty());
}

TEST_F(DepartmentTest, CounterpartsOutsideTheTreeAreNeverEliminated) {
  ASSERT_TRUE(tree_.Add(MakeUnit("9", "", v1::UNIT_KIND_GROUP)).ok());
  ASSERT_TRUE(tree_.Add(MakeUnit("91", "9")).ok());
  v1::UnitBudget office = MakeBudget("021001");
  AddSpending(&office, 10, v1::TRANSFER_KIND_SUBSIDY_TO_SUBORDINATE, "91");
  AddSpending(&office, 20, v1::TRANSFER_KIND_SUBSIDY_TO_SUBORDINATE, "777");
  AddIncome(&office, v1::FUNDING_SOURCE_SUBSIDY_FROM_SUPERIOR, 30, "");
  ASSERT_TRUE(Submit(consolidator_, office).ok());
  EXPECT_EQ(Spent(consolidator_, "1"), 30);
  EXPECT_EQ(Received(consolidator_, "1"), 30);
  // No pair of them has both sides in one tree, so none is reconciled.
  EXPECT_TRUE(consolidator_.Reconcile("1", 2024).empty());
}

// A city of two departments whose units are cousins.
struct CityTest : TreeTest {
  CityTest()
      : TreeTest({MakeUnit("1", "", v1::UNIT_KIND_GROUP),
                  MakeUnit("11", "1", v1::UNIT_KIND_GROUP),
                  MakeUnit("111", "11", v1::UNIT_KIND_ADMINISTRATIVE),
                  MakeUnit("1111", "111"),
                  MakeUnit("12", "1", v1::UNIT_KIND_GROUP),
                  MakeUnit("121", "12")}) {}
};

TEST_F(CityTest, CousinTransferIsVisibleBelowItsCommonAncestorOnly) {
  v1::UnitBudget payer = MakeBudget("1111");
  AddSpending(&payer, 50, v1::TRANSFER_KIND_SUBSIDY_TO_SUBORDINATE, "121");
  AddSpending(&payer, 5);
  v1::UnitBudget payee = MakeBudget("121");
  AddIncome(&payee, v1::FUNDING_SOURCE_SUBSIDY_FROM_SUPERIOR, 50, "1111");
  ASSERT_TRUE(Submit(consolidator_, payer).ok());
  ASSERT_TRUE(Submit(consolidator_, payee).ok());

  EXPECT_EQ(Spent(consolidator_, "1111"), 55);
  EXPECT_EQ(Spent(consolidator_, "111"), 55);
  EXPECT_EQ(Spent(consolidator_, "11"), 55);
  EXPECT_EQ(Received(consolidator_, "121"), 50);
  EXPECT_EQ(Received(consolidator_, "12"), 50);
  EXPECT_EQ(Spent(consolidator_, "1"), 5);
  EXPECT_EQ(Received(consolidator_, "1"), 0);
  EXPECT_TRUE(consolidator_.Rollup("1", 2024)->income.empty());
}

TEST_F(CityTest, ANonGroupParentCountsItsOwnBudgetAndItsChildren) {
  v1::UnitBudget parent = MakeBudget("111");
  AddSpending(&parent, 7);
  AddSpending(&parent, 3, v1::TRANSFER_KIND_SUBSIDY_TO_SUBORDINATE, "1111");
  v1::UnitBudget child = MakeBudget("1111");
  AddSpending(&child, 11);
  AddIncome(&child, v1::FUNDING_SOURCE_SUBSIDY_FROM_SUPERIOR, 3, "111");
  ASSERT_TRUE(Submit(consolidator_, parent).ok());
  ASSERT_TRUE(Submit(consolidator_, child).ok());
  // The subsidy lies within 111's own subtree, so 111 already drops it.
  EXPECT_EQ(Spent(consolidator_, "111"), 18);
  EXPECT_EQ(Received(consolidator_, "111"), 0);
  EXPECT_EQ(Received(consolidator_, "1111"), 3);
  EXPECT_EQ(consolidator_.Rollup("111", 2024)->budget_count, 2);
}

TEST_F(CityTest, ReconcileReportsMismatchesAndMissingSidesInScope) {
  // 1111 -> 121 disagree (meet at the city); 111 pays 1111 with no income
  // booked (meet at 111); 121 books a remittance from 1111 never paid.
  v1::UnitBudget payer = MakeBudget("1111");
  AddSpending(&payer, 50, v1::TRANSFER_KIND_SUBSIDY_TO_SUBORDINATE, "121");
  v1::UnitBudget payee = MakeBudget("121");
  AddIncome(&payee, v1::FUNDING_SOURCE_SUBSIDY_FROM_SUPERIOR, 45, "1111");
  AddIncome(&payee, v1::FUNDING_SOURCE_REMITTANCE_FROM_SUBORDINATE, 9, "1111");
  v1::UnitBudget parent = MakeBudget("111");
  AddSpending(&parent, 8, v1::TRANSFER_KIND_SUBSIDY_TO_SUBORDINATE, "1111");
  for (const v1::UnitBudget& b : {payer, payee, parent}) {
    ASSERT_TRUE(Submit(consolidator_, b).ok());
  }

  std::vector<TransferMismatch> city = consolidator_.Reconcile("1", 2024);
  ASSERT_EQ(city.size(), 3u);
  EXPECT_EQ(city[0].payer_unit, "111");
  EXPECT_EQ(city[0].payee_unit, "1111");
  EXPECT_EQ(city[0].paid_fen, 8);
  EXPECT_EQ(city[0].received_fen, 0);
  EXPECT_EQ(city[1].payer_unit, "1111");
  EXPECT_EQ(city[1].payee_unit, "121");
  EXPECT_EQ(city[1].kind, v1::TRANSFER_KIND_SUBSIDY_TO_SUBORDINATE);
  EXPECT_EQ(city[1].paid_fen, 50);
  EXPECT_EQ(city[1].received_fen, 45);
  EXPECT_EQ(city[2].kind, v1::TRANSFER_KIND_REMITTANCE_TO_SUPERIOR);
  EXPECT_EQ(city[2].paid_fen, 0);
  EXPECT_EQ(city[2].received_fen, 9);

  // Within department 11 only the 111 -> 1111 pair meets.
  std::vector<TransferMismatch> department =
      consolidator_.Reconcile("11", 2024);
  ASSERT_EQ(department.size(), 1u);
  EXPECT_EQ(department[0].payer_unit, "111");
  EXPECT_TRUE(consolidator_.Reconcile("12", 2024).empty());
}

TEST_F(CityTest, OverflowIsRefusedAndChangesNothing) {
  v1::UnitBudget first = MakeBudget("1111");
  AddSpending(&first, kMax / 2 + 1);
  first.mutable_other()->set_general_vehicles(
      std::numeric_limits<int32_t>::max());
  v1::UnitBudget second = MakeBudget("121");
  AddSpending(&second, kMax / 2);
  ASSERT_TRUE(Submit(consolidator_, first).ok());
  ASSERT_TRUE(Submit(consolidator_, second).ok());
  std::map<std::string, NodeRollup> before;
  for (const char* node : {"1", "11", "111", "1111", "12", "121"}) {
    before[node] = *consolidator_.Rollup(node, 2024);
  }

  // Fits in 121 and 12 alone, overflows the city.
  v1::UnitBudget bigger = MakeBudget("121");
  AddSpending(&bigger, kMax / 2 + 1);
  EXPECT_EQ(Submit(consolidator_, bigger).code(),
            absl::StatusCode::kOutOfRange);
  // Vehicles overflow int32 at the city.
  v1::UnitBudget vehicles = MakeBudget("121");
  vehicles.mutable_other()->set_general_vehicles(1);
  EXPECT_EQ(Submit(consolidator_, vehicles).code(),
            absl::StatusCode::kOutOfRange);
  // A unit's first budget, added straight into the held cells when its
  // totals fit: these overflow its own node's, 111, and are refused in
  // the words a replacement's are.
  v1::UnitBudget first_of_111 = MakeBudget("111");
  AddSpending(&first_of_111, kMax / 2 + 1);
  const absl::Status refused = Submit(consolidator_, first_of_111);
  EXPECT_EQ(refused.code(), absl::StatusCode::kOutOfRange);
  EXPECT_THAT(std::string(refused.message()),
              ::testing::StartsWith("consolidating 111 into 111: amount "
                                    "overflow"));
  // A budget whose own lines overflow.
  v1::UnitBudget own = MakeBudget("111");
  AddSpending(&own, kMax);
  AddSpending(&own, 1);
  EXPECT_EQ(Submit(consolidator_, own).code(), absl::StatusCode::kOutOfRange);

  for (const auto& [node, rollup] : before) {
    ExpectSameRollup(consolidator_.Rollup(node, 2024).get(), &rollup, node);
  }
  std::shared_ptr<const v1::UnitBudget> held =
      consolidator_.Budget("121", 2024);
  ASSERT_NE(held, nullptr);
  ASSERT_EQ(held->expenditures_size(), 1);
  EXPECT_EQ(held->expenditures(0).amount_fen(), kMax / 2);
  EXPECT_EQ(consolidator_.Budget("111", 2024), nullptr);
}

TEST_F(CityTest, RemovingTheLastBudgetRemovesTheRollups) {
  v1::UnitBudget budget = MakeBudget("1111");
  AddSpending(&budget, 4);
  ASSERT_TRUE(Submit(consolidator_, budget).ok());
  ASSERT_TRUE(consolidator_.RemoveUnitBudget("1111", 2024).ok());
  EXPECT_TRUE(consolidator_.RemoveUnitBudget("1111", 2024).ok());
  EXPECT_TRUE(consolidator_.RemoveUnitBudget("nope", 2024).ok());
  for (const char* node : {"1", "11", "111", "1111"}) {
    EXPECT_EQ(consolidator_.Rollup(node, 2024), nullptr) << node;
  }
  EXPECT_EQ(consolidator_.Budget("1111", 2024), nullptr);
}

// Replacing one unit must touch only its path: every other held rollup (a
// node with children) keeps its address and its contents. A full recompute,
// or a rebuild of the map, would not keep both.
void ExpectOnlyPathChanges(const UnitTree& tree, Consolidator& consolidator,
                           const std::string& unit) {
  std::map<std::string, std::pair<const NodeRollup*, NodeRollup>> before;
  for (const v1::Unit* root : tree.Roots()) {
    for (const UnitTree::Visit& visit : tree.Subtree(root->code())) {
      std::shared_ptr<const NodeRollup> rollup =
          consolidator.Rollup(visit.unit->code(), 2024);
      if (rollup != nullptr) {
        before[visit.unit->code()] = {rollup.get(), *rollup};
      }
    }
  }
  v1::UnitBudget replacement = MakeBudget(unit);
  AddSpending(&replacement, 1'000'000);
  ASSERT_TRUE(Submit(consolidator, replacement).ok());

  int changed = 0;
  for (const auto& [node, old] : before) {
    std::shared_ptr<const NodeRollup> now = consolidator.Rollup(node, 2024);
    if (tree.IsWithin(unit, node)) {
      ++changed;
      EXPECT_NE(now->expenditure_fen, old.second.expenditure_fen) << node;
    } else {
      if (tree.HasChildren(node)) {
        EXPECT_EQ(now.get(), old.first) << node;
      }
      ExpectSameRollup(now.get(), &old.second, node);
    }
  }
  EXPECT_EQ(changed, static_cast<int>(tree.PathToRoot(unit).size()));
}

TEST(ConsolidatorCostTest, ReplacingOneUnitOfAWideTreeTouchesOnlyItsPath) {
  std::vector<v1::Unit> units = {MakeUnit("1", "", v1::UNIT_KIND_GROUP)};
  std::vector<v1::UnitBudget> budgets;
  for (int d = 10; d < 60; ++d) {
    std::string department = absl::StrCat("1", d);
    units.push_back(MakeUnit(department, "1", v1::UNIT_KIND_GROUP));
    for (int u = 10; u < 30; ++u) {
      std::string unit = absl::StrCat(department, u);
      units.push_back(MakeUnit(unit, department));
      budgets.push_back(MakeBudget(unit));
      AddSpending(&budgets.back(), u);
    }
  }
  UnitTree tree = BuildTree(units);
  Consolidator consolidator(&tree);
  for (const v1::UnitBudget& b : budgets)
    ASSERT_TRUE(Submit(consolidator, b).ok());
  ExpectOnlyPathChanges(tree, consolidator, "13317");
}

TEST(ConsolidatorCostTest, ReplacingTheBottomOfADeepChainSparesItsSideLeaves) {
  std::vector<v1::Unit> units = {
      MakeUnit("1", "", v1::UNIT_KIND_ADMINISTRATIVE)};
  std::vector<v1::UnitBudget> budgets = {MakeBudget("1")};
  std::string parent = "1";
  for (int depth = 0; depth < 25; ++depth) {
    std::string chain = parent + "1";
    std::string leaf = parent + "2";
    units.push_back(MakeUnit(chain, parent, v1::UNIT_KIND_ADMINISTRATIVE));
    units.push_back(MakeUnit(leaf, parent));
    for (const std::string& code : {chain, leaf}) {
      budgets.push_back(MakeBudget(code));
      AddSpending(&budgets.back(), depth + 1);
    }
    parent = chain;
  }
  UnitTree tree = BuildTree(units);
  Consolidator consolidator(&tree);
  for (const v1::UnitBudget& b : budgets)
    ASSERT_TRUE(Submit(consolidator, b).ok());
  ExpectOnlyPathChanges(tree, consolidator, parent);
}

// Counts ExpenditureCells::Compacted calls while it lives.
class CompactionCounter {
 public:
  CompactionCounter() {
    count_ = 0;
    ExpenditureCells::SetCompactedHookForTesting(&Count);
  }
  ~CompactionCounter() {
    ExpenditureCells::SetCompactedHookForTesting(nullptr);
  }
  int count() const { return count_; }

 private:
  static void Count() { ++count_; }
  static int count_;
};
int CompactionCounter::count_ = 0;

// A department of 300 units whose budgets spend on 4 functions each, 600
// functions in all: enough distinct cells for the department's and the
// root's rollups to fall due a compaction many times while they grow.
struct WideDepartment {
  WideDepartment() {
    std::vector<v1::Unit> units = {MakeUnit("1", "", v1::UNIT_KIND_GROUP),
                                   MakeUnit("10", "1", v1::UNIT_KIND_GROUP)};
    for (int u = 0; u < 300; ++u) {
      const std::string code = absl::StrCat(100000 + u);
      units.push_back(MakeUnit(code, "10"));
      v1::UnitBudget budget = MakeBudget(code);
      for (int f = 0; f < 4; ++f) {
        AddSpending(&budget, 100 + u)
            ->set_function_code(absl::StrCat(2000000 + (2 * u + f) % 600));
      }
      budgets.push_back(std::move(budget));
    }
    tree = BuildTree(units);
  }

  UnitTree tree;
  std::vector<v1::UnitBudget> budgets;
};

TEST(ConsolidatorBulkLoadTest, CompactsOnceAtTheEndAndSumsAsWritesOneByOne) {
  WideDepartment wide;
  Consolidator one_by_one(&wide.tree);
  Consolidator bulk(&wide.tree);
  int compactions_one_by_one = 0;
  {
    CompactionCounter counter;
    for (const v1::UnitBudget& b : wide.budgets) {
      ASSERT_TRUE(Submit(one_by_one, b).ok());
    }
    compactions_one_by_one = counter.count();
  }
  CompactionCounter counter;
  bulk.BeginBulkLoad();
  for (const v1::UnitBudget& b : wide.budgets) {
    ASSERT_TRUE(Submit(bulk, b).ok());
  }
  EXPECT_EQ(counter.count(), 0);
  bulk.EndBulkLoad();
  // Each of the two rollups once, where writing one by one refolded them
  // as they grew.
  EXPECT_EQ(counter.count(), 2);
  EXPECT_GT(compactions_one_by_one, 4);
  for (const std::string node : {"1", "10", "100007"}) {
    ExpectSameRollup(bulk.Rollup(node, 2024).get(),
                     one_by_one.Rollup(node, 2024).get(), node);
  }
  // After the load, writes compact as before.
  v1::UnitBudget bigger = wide.budgets[0];
  for (int f = 0; f < 200; ++f) {
    AddSpending(&bigger, 1)->set_function_code(absl::StrCat(3000000 + f));
  }
  ASSERT_TRUE(Submit(bulk, bigger).ok());
  EXPECT_GT(counter.count(), 2);
}

}  // namespace
}  // namespace budget
