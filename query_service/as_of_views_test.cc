// Property: for random trees of units and random sequences of revisions of
// every stage in two years, the state AsOfViews builds as of any past
// consolidated revision holds, for every node, year and stage, the
// brute-force sum of its units' latest revision at or before it that
// counts for the stage. And the limits: build slots, lines, the cache.
#include "query_service/as_of_views.h"

#include <map>
#include <random>
#include <string>
#include <tuple>
#include <vector>

#include "absl/strings/str_cat.h"
#include "budget/cycle/stage.h"
#include "gtest/gtest.h"
#include "storage/open_store.h"
#include "tests/testing/test_store.h"

namespace query {
namespace {

using budget::v1::BudgetStage;

constexpr BudgetStage kStages[] = {
    budget::v1::BUDGET_STAGE_UNSPECIFIED, budget::v1::BUDGET_STAGE_PROPOSAL,
    budget::v1::BUDGET_STAGE_SUBMISSION, budget::v1::BUDGET_STAGE_APPROVED};
constexpr BudgetStage kReadStages[] = {
    budget::v1::BUDGET_STAGE_PROPOSAL, budget::v1::BUDGET_STAGE_SUBMISSION,
    budget::v1::BUDGET_STAGE_APPROVED, budget::v1::BUDGET_STAGE_ADJUSTED};

struct Revision {
  std::string unit;
  int32_t year = 0;
  BudgetStage stage;
  int64_t amount = 0;
};

class AsOfViewsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    spec_ = e2e_testing::FreshStoreSpec("sqlite");
    absl::StatusOr<std::unique_ptr<storage::BudgetStore>> store =
        storage::OpenStore(spec_);
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = *std::move(store);
  }

  void AddUnit(const std::string& code, const std::string& parent) {
    budget::v1::Unit unit;
    unit.set_code(code);
    unit.set_parent_code(parent);
    unit.set_name("单位" + code);
    unit.set_kind(parent.empty() ? budget::v1::UNIT_KIND_GROUP
                                 : budget::v1::UNIT_KIND_INSTITUTION);
    ASSERT_TRUE(store_->AddUnit(unit).ok());
    parents_[code] = parent;
  }

  // Commits `revision` as the next consolidated revision, with `lines`
  // expenditure lines summing to its amount.
  void Commit(const Revision& revision, int lines = 1) {
    budget::v1::UnitBudget budget;
    budget.set_unit_code(revision.unit);
    budget.set_fiscal_year(revision.year);
    for (int i = 0; i < lines; ++i) {
      budget::v1::ExpenditureLine* line = budget.add_expenditures();
      line->set_function_code("2150501");
      line->set_dept_economic_code("30201");
      line->set_gov_economic_code("50502");
      line->set_funding_source(
          budget::v1::FUNDING_SOURCE_GENERAL_PUBLIC_BUDGET);
      line->set_nature(budget::v1::EXPENDITURE_NATURE_BASIC_PUBLIC);
      line->set_amount_fen(i == 0 ? revision.amount : 0);
    }
    budget::v1::IncomeLine* income = budget.add_income();
    income->set_source(budget::v1::FUNDING_SOURCE_GENERAL_PUBLIC_BUDGET);
    income->set_amount_fen(revision.amount);
    storage::NewSubmission s;
    s.metadata.set_unit_code(revision.unit);
    s.metadata.set_fiscal_year(revision.year);
    s.metadata.set_revision(++unit_revisions_[{revision.unit, revision.year}]);
    s.metadata.set_consolidated_revision(history_.size() + 1);
    s.metadata.set_request_id(absl::StrCat("r", history_.size() + 1));
    s.metadata.set_stage(revision.stage);
    s.payload = budget.SerializeAsString();
    ASSERT_TRUE(store_->CommitSubmission(s).ok());
    history_.push_back(revision);
  }

  // The brute force: `node`'s expenditure in `year` at `read` as of
  // consolidated revision `as_of`.
  int64_t Expected(const std::string& node, int32_t year, BudgetStage read,
                   int64_t as_of) const {
    std::map<std::string, int64_t> latest;  // By unit.
    for (int64_t r = 1; r <= as_of; ++r) {
      const Revision& revision = history_[r - 1];
      if (revision.year == year && budget::CountsFor(revision.stage, read)) {
        latest[revision.unit] = revision.amount;
      }
    }
    int64_t sum = 0;
    for (const auto& [unit, amount] : latest) {
      for (std::string at = unit; !at.empty(); at = parents_.at(at)) {
        if (at == node) sum += amount;
      }
    }
    return sum;
  }

  std::string spec_;
  std::unique_ptr<storage::BudgetStore> store_;
  std::map<std::string, std::string> parents_;
  std::map<std::pair<std::string, int32_t>, int64_t> unit_revisions_;
  std::vector<Revision> history_;
};

TEST_F(AsOfViewsTest, PastStatesEqualTheBruteForceSums) {
  for (uint64_t seed = 1; seed <= 5; ++seed) {
    SCOPED_TRACE(absl::StrCat("seed ", seed));
    SetUp();
    parents_.clear();
    unit_revisions_.clear();
    history_.clear();
    std::mt19937_64 random(seed);
    auto pick = [&](int low, int high) {
      return std::uniform_int_distribution<int>(low, high)(random);
    };
    AddUnit("9", "");
    std::vector<std::string> units;
    const int departments = pick(1, 3);
    for (int d = 1; d <= departments; ++d) {
      const std::string dept = absl::StrCat("9", d);
      AddUnit(dept, "9");
      const int count = pick(1, 3);
      for (int u = 1; u <= count; ++u) {
        units.push_back(absl::StrCat(dept, "0", u));
        AddUnit(units.back(), dept);
      }
    }
    const int revisions = pick(5, 40);
    for (int i = 0; i < revisions; ++i) {
      Commit({units[pick(0, units.size() - 1)], 2023 + pick(0, 1),
              kStages[pick(0, 3)], pick(0, 1'000'000)});
    }
    AsOfViews views(spec_, {1, size_t{1} << 20, 1'000'000});
    std::vector<std::string> nodes = units;
    for (const auto& [node, parent] : parents_) nodes.push_back(node);
    for (int64_t as_of = 1; as_of <= revisions; ++as_of) {
      budget::v1::ReadOptions read;
      read.set_as_of_revision(as_of);
      absl::StatusOr<std::shared_ptr<const ConsolidatedView>> view =
          views.At(read, {2023, 2024}, revisions);
      ASSERT_TRUE(view.ok()) << view.status();
      for (int32_t year : {2023, 2024}) {
        for (BudgetStage stage : kReadStages) {
          for (const std::string& node : nodes) {
            const int64_t got = (*view)->WithStage(
                stage, [&](const budget::Consolidator& c, int64_t revision) {
                  EXPECT_EQ(revision, as_of);
                  auto rollup = c.Rollup(node, year);
                  return rollup == nullptr ? 0 : rollup->expenditure_fen;
                });
            // No adjustments here: ADJUSTED reads the approved budgets.
            const BudgetStage expected_stage =
                stage == budget::v1::BUDGET_STAGE_ADJUSTED
                    ? budget::v1::BUDGET_STAGE_APPROVED
                    : stage;
            EXPECT_EQ(got, Expected(node, year, expected_stage, as_of))
                << node << " " << year << " "
                << budget::v1::BudgetStage_Name(stage) << " as of " << as_of;
          }
        }
      }
    }
  }
}

TEST_F(AsOfViewsTest, LimitsAreKept) {
  AddUnit("9", "");
  AddUnit("901", "9");
  for (int i = 0; i < 3; ++i) {
    Commit({"901", 2024, budget::v1::BUDGET_STAGE_UNSPECIFIED, 100 + i}, 10);
  }
  auto at = [](int64_t revision) {
    budget::v1::ReadOptions read;
    read.set_as_of_revision(revision);
    return read;
  };
  // No slot: refused at once.
  {
    AsOfViews views(spec_, {0, size_t{1} << 20, 1000});
    EXPECT_TRUE(absl::IsResourceExhausted(views.At(at(1), {2024}, 3).status()));
  }
  // 10 lines per revision; only the latest counts.
  {
    AsOfViews views(spec_, {1, size_t{1} << 20, 9});
    EXPECT_TRUE(absl::IsResourceExhausted(views.At(at(1), {2024}, 3).status()));
    EXPECT_TRUE(views.At(at(1), {2023}, 3).ok());  // Nothing of 2023.
  }
  // The cache holds what fits, least recently used out first.
  {
    AsOfViews probe(spec_, {1, size_t{1} << 20, 1000});
    ASSERT_TRUE(probe.At(at(1), {2024}, 3).ok());
    const size_t one = probe.cached_bytes();
    ASSERT_GT(one, 0u);
    AsOfViews views(spec_, {1, one * 2, 1000});
    std::shared_ptr<const ConsolidatedView> first = *views.At(at(1), {2024}, 3);
    EXPECT_EQ(*views.At(at(1), {2024}, 3), first);  // Cached.
    ASSERT_TRUE(views.At(at(2), {2024}, 3).ok());
    ASSERT_TRUE(views.At(at(3), {2024}, 3).ok());
    EXPECT_EQ(views.cached(), 2u);
    EXPECT_LE(views.cached_bytes(), one * 2);
    EXPECT_NE(*views.At(at(1), {2024}, 3), first);  // Dropped, rebuilt.
  }
  // Bad points.
  AsOfViews views(spec_, {1, size_t{1} << 20, 1000});
  EXPECT_TRUE(absl::IsOutOfRange(views.At(at(4), {2024}, 3).status()));
  EXPECT_TRUE(absl::IsInvalidArgument(views.At(at(-1), {2024}, 3).status()));
  budget::v1::ReadOptions none;
  EXPECT_EQ(*views.At(none, {2024}, 3), nullptr);
}

}  // namespace
}  // namespace query
