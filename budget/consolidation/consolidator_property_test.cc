// Random trees and budgets, seeded and deterministic, checked against the
// brute-force definition of a rollup and against a fresh rebuild.
#include <cstdint>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "budget/consolidation/consolidation_test_util.h"
#include "budget/consolidation/consolidator.h"
#include "gtest/gtest.h"

namespace budget {
namespace {

// A random forest of one to three roots and its random budgets.
class RandomWorld {
 public:
  explicit RandomWorld(uint32_t seed) : rng_(seed) {
    int roots = Uniform(1, 3);
    for (int r = 0; r < roots; ++r) {
      Grow(absl::StrCat(r + 1), "", Uniform(1, 5));
    }
    absl::StatusOr<UnitTree> tree = UnitTree::Build(units_);
    EXPECT_TRUE(tree.ok()) << tree.status();
    tree_ = *std::move(tree);
    for (const v1::Unit& unit : units_) {
      if (unit.kind() != v1::UNIT_KIND_GROUP)
        submitters_.push_back(unit.code());
    }
  }

  const UnitTree& tree() const { return tree_; }
  // Every node, parents before children.
  const std::vector<v1::Unit>& units() const { return units_; }
  // Units that may hold a budget.
  const std::vector<std::string>& submitters() const { return submitters_; }

  int Uniform(int lo, int hi) {
    return std::uniform_int_distribution<int>(lo, hi)(rng_);
  }

  v1::UnitBudget RandomBudget(const std::string& unit) {
    v1::UnitBudget budget = MakeBudget(unit);
    for (int p = 0; p < 2; ++p) {
      v1::Project* project = budget.add_projects();
      project->set_code(absl::StrCat("P", p));
      project->set_category(Pick({v1::PROJECT_CATEGORY_OTHER_OPERATING,
                                  v1::PROJECT_CATEGORY_SPECIFIC_TARGET}));
      project->set_classified(Uniform(0, 1) == 1);
    }
    for (int i = Uniform(0, 8); i > 0; --i) {
      v1::ExpenditureLine* line = AddSpending(&budget, Amount());
      line->set_function_code(Pick<std::string>({"2010101", "2150501"}));
      line->set_dept_economic_code(Pick<std::string>({"30101", "30201"}));
      line->set_gov_economic_code(Pick<std::string>({"50101", "50201"}));
      line->set_funding_source(Pick({v1::FUNDING_SOURCE_GENERAL_PUBLIC_BUDGET,
                                     v1::FUNDING_SOURCE_BUSINESS_INCOME}));
      line->set_nature(Pick({v1::EXPENDITURE_NATURE_BASIC_PERSONNEL,
                             v1::EXPENDITURE_NATURE_PROJECT}));
      if (line->nature() == v1::EXPENDITURE_NATURE_PROJECT) {
        line->set_project_code(Pick<std::string>({"P0", "P1", "P9"}));
      }
      if (Uniform(0, 2) == 0) {
        line->set_transfer_kind(
            Pick({v1::TRANSFER_KIND_SUBSIDY_TO_SUBORDINATE,
                  v1::TRANSFER_KIND_REMITTANCE_TO_SUPERIOR}));
        line->set_counterpart_unit(Counterpart());
      }
    }
    for (int i = Uniform(0, 5); i > 0; --i) {
      v1::FundingSource source =
          Pick({v1::FUNDING_SOURCE_GENERAL_PUBLIC_BUDGET,
                v1::FUNDING_SOURCE_OTHER_INCOME,
                v1::FUNDING_SOURCE_SUBSIDY_FROM_SUPERIOR,
                v1::FUNDING_SOURCE_REMITTANCE_FROM_SUBORDINATE});
      bool transfer = source == v1::FUNDING_SOURCE_SUBSIDY_FROM_SUPERIOR ||
                      source == v1::FUNDING_SOURCE_REMITTANCE_FROM_SUBORDINATE;
      AddIncome(&budget, source, Amount(), transfer ? Counterpart() : "");
    }
    v1::OtherDisclosures* other = budget.mutable_other();
    other->set_institution_operating_fen(Amount());
    other->set_procurement_goods_fen(Amount());
    other->set_procurement_works_fen(Amount());
    other->set_procurement_services_fen(Amount());
    other->set_general_vehicles(Uniform(0, 9));
    other->set_other_vehicles(Uniform(0, 9));
    other->set_general_devices_over_500k(Uniform(0, 9));
    other->set_special_devices_over_1m(Uniform(0, 9));
    return budget;
  }

 private:
  template <typename T>
  T Pick(std::initializer_list<T> choices) {
    return *(choices.begin() + Uniform(0, choices.size() - 1));
  }

  int64_t Amount() {
    // Zero amounts too: a cell with lines but no money must survive.
    return Uniform(0, 4) == 0 ? 0 : Uniform(1, 1'000'000'000);
  }

  // Mostly a unit of the forest (maybe in another tree), sometimes unknown.
  std::string Counterpart() {
    if (Uniform(0, 5) == 0) return Pick<std::string>({"", "999999"});
    return units_[Uniform(0, units_.size() - 1)].code();
  }

  void Grow(const std::string& code, const std::string& parent, int depth) {
    units_.push_back(
        MakeUnit(code, parent,
                 Pick({v1::UNIT_KIND_GROUP, v1::UNIT_KIND_ADMINISTRATIVE,
                       v1::UNIT_KIND_INSTITUTION})));
    if (depth <= 1) return;
    for (int c = Uniform(0, 3); c > 0; --c) {
      Grow(absl::StrCat(code, c), code, depth - 1);
    }
  }

  std::mt19937 rng_;
  std::vector<v1::Unit> units_;
  UnitTree tree_;
  std::vector<std::string> submitters_;
};

std::vector<v1::UnitBudget> Values(
    const std::map<std::string, v1::UnitBudget>& budgets) {
  std::vector<v1::UnitBudget> out;
  for (const auto& [unit, budget] : budgets) out.push_back(budget);
  return out;
}

void ExpectMatchesBruteForce(const RandomWorld& world,
                             const Consolidator& consolidator,
                             const std::vector<v1::UnitBudget>& budgets) {
  std::map<std::string, NodeRollup> expected =
      BruteForceRollups(world.tree(), budgets);
  for (const v1::Unit* root : world.tree().Roots()) {
    for (const UnitTree::Visit& visit : world.tree().Subtree(root->code())) {
      const std::string& node = visit.unit->code();
      auto it = expected.find(node);
      ExpectSameRollup(consolidator.Rollup(node, 2024).get(),
                       it == expected.end() ? nullptr : &it->second, node);
    }
  }
}

TEST(ConsolidatorPropertyTest, EveryNodeEqualsTheBruteForceSum) {
  for (uint32_t seed = 1; seed <= 200; ++seed) {
    SCOPED_TRACE(absl::StrCat("seed ", seed));
    RandomWorld world(seed);
    Consolidator consolidator(&world.tree());
    std::map<std::string, v1::UnitBudget> budgets;
    for (const std::string& unit : world.submitters()) {
      if (world.Uniform(0, 3) == 0) continue;
      budgets[unit] = world.RandomBudget(unit);
      ASSERT_TRUE(consolidator
                      .ReplaceUnitBudget(
                          std::make_shared<v1::UnitBudget>(budgets[unit]))
                      .ok());
    }
    ExpectMatchesBruteForce(world, consolidator, Values(budgets));
    if (HasFailure()) return;
  }
}

TEST(ConsolidatorPropertyTest, IncrementalUpdatesEqualAFreshRebuild) {
  for (uint32_t seed = 1; seed <= 200; ++seed) {
    SCOPED_TRACE(absl::StrCat("seed ", seed));
    RandomWorld world(seed);
    if (world.submitters().empty()) continue;
    Consolidator incremental(&world.tree());
    std::map<std::string, v1::UnitBudget> budgets;
    for (int step = 0; step < 30; ++step) {
      const std::string& unit =
          world.submitters()[world.Uniform(0, world.submitters().size() - 1)];
      if (world.Uniform(0, 3) == 0) {
        budgets.erase(unit);
        ASSERT_TRUE(incremental.RemoveUnitBudget(unit, 2024).ok());
      } else if (budgets.count(unit) != 0 &&
                 budgets[unit].expenditures_size() > 0 &&
                 world.Uniform(0, 2) == 0) {
        // A resubmission changing one line: the lines around it cancel.
        v1::ExpenditureLine* line = budgets[unit].mutable_expenditures(
            world.Uniform(0, budgets[unit].expenditures_size() - 1));
        line->set_amount_fen(line->amount_fen() + world.Uniform(0, 1000));
        ASSERT_TRUE(incremental
                        .ReplaceUnitBudget(
                            std::make_shared<v1::UnitBudget>(budgets[unit]))
                        .ok());
      } else {
        budgets[unit] = world.RandomBudget(unit);
        ASSERT_TRUE(incremental
                        .ReplaceUnitBudget(
                            std::make_shared<v1::UnitBudget>(budgets[unit]))
                        .ok());
      }
    }
    Consolidator fresh(&world.tree());
    for (const auto& [unit, budget] : budgets) {
      ASSERT_TRUE(
          fresh.ReplaceUnitBudget(std::make_shared<v1::UnitBudget>(budget))
              .ok());
    }
    for (const v1::Unit* root : world.tree().Roots()) {
      for (const UnitTree::Visit& visit : world.tree().Subtree(root->code())) {
        const std::string& node = visit.unit->code();
        ExpectSameRollup(incremental.Rollup(node, 2024).get(),
                         fresh.Rollup(node, 2024).get(), node);
      }
    }
    ExpectMatchesBruteForce(world, incremental, Values(budgets));
    if (HasFailure()) return;
  }
}

TEST(ConsolidatorPropertyTest, GrowingTheTreeWhileHoldingEqualsARebuild) {
  for (uint32_t seed = 1; seed <= 200; ++seed) {
    SCOPED_TRACE(absl::StrCat("seed ", seed));
    RandomWorld world(seed);
    // Starts with a prefix of the registry; budgets name counterparts that
    // are registered only later, which must then be eliminated.
    UnitTree grown;
    Consolidator incremental(&grown);
    std::map<std::string, v1::UnitBudget> budgets;
    size_t registered = world.Uniform(1, world.units().size());
    for (size_t i = 0; i < world.units().size(); ++i) {
      const v1::Unit& unit = world.units()[i];
      ASSERT_TRUE(grown.Add(unit).ok());
      ASSERT_TRUE(incremental.OnUnitAdded(unit.code()).ok());
      if (i + 1 < registered) continue;
      // Budgets (new or replacing) of units registered so far.
      for (int step = 0; step < 3; ++step) {
        const v1::Unit& submitter = world.units()[world.Uniform(0, i)];
        if (submitter.kind() == v1::UNIT_KIND_GROUP) continue;
        v1::UnitBudget& budget = budgets[submitter.code()];
        budget = world.RandomBudget(submitter.code());
        ASSERT_TRUE(
            incremental
                .ReplaceUnitBudget(std::make_shared<v1::UnitBudget>(budget))
                .ok());
      }
    }
    Consolidator rebuilt(&world.tree());
    for (const auto& [unit, budget] : budgets) {
      ASSERT_TRUE(
          rebuilt.ReplaceUnitBudget(std::make_shared<v1::UnitBudget>(budget))
              .ok());
    }
    for (const v1::Unit& unit : world.units()) {
      ExpectSameRollup(incremental.Rollup(unit.code(), 2024).get(),
                       rebuilt.Rollup(unit.code(), 2024).get(), unit.code());
    }
    ExpectMatchesBruteForce(world, incremental, Values(budgets));
    if (HasFailure()) return;
  }
}

// Every transfer pair of the forest, from both sides of every budget.
std::map<std::tuple<std::string, std::string, int>, std::pair<int64_t, int64_t>>
AllTransferPairs(const std::vector<v1::UnitBudget>& budgets) {
  std::map<std::tuple<std::string, std::string, int>,
           std::pair<int64_t, int64_t>>
      pairs;
  for (const v1::UnitBudget& budget : budgets) {
    for (const v1::ExpenditureLine& line : budget.expenditures()) {
      if (line.transfer_kind() == v1::TRANSFER_KIND_UNSPECIFIED) continue;
      pairs[{budget.unit_code(), line.counterpart_unit(), line.transfer_kind()}]
          .first += line.amount_fen();
    }
    for (const v1::IncomeLine& line : budget.income()) {
      int kind =
          line.source() == v1::FUNDING_SOURCE_SUBSIDY_FROM_SUPERIOR
              ? v1::TRANSFER_KIND_SUBSIDY_TO_SUBORDINATE
          : line.source() == v1::FUNDING_SOURCE_REMITTANCE_FROM_SUBORDINATE
              ? v1::TRANSFER_KIND_REMITTANCE_TO_SUPERIOR
              : v1::TRANSFER_KIND_UNSPECIFIED;
      if (kind == v1::TRANSFER_KIND_UNSPECIFIED) continue;
      pairs[{line.counterpart_unit(), budget.unit_code(), kind}].second +=
          line.amount_fen();
    }
  }
  return pairs;
}

TEST(ConsolidatorPropertyTest, ReconcileListsEveryDisagreeingPairInScope) {
  size_t listed = 0;  // Guards against worlds that never disagree.
  for (uint32_t seed = 1; seed <= 200; ++seed) {
    SCOPED_TRACE(absl::StrCat("seed ", seed));
    RandomWorld world(seed);
    Consolidator consolidator(&world.tree());
    std::vector<v1::UnitBudget> budgets;
    for (const std::string& unit : world.submitters()) {
      budgets.push_back(world.RandomBudget(unit));
      ASSERT_TRUE(consolidator
                      .ReplaceUnitBudget(
                          std::make_shared<v1::UnitBudget>(budgets.back()))
                      .ok());
    }
    // Every other unit resubmits: the pairs follow the budgets now held.
    for (size_t i = 0; i < budgets.size(); i += 2) {
      budgets[i] = world.RandomBudget(budgets[i].unit_code());
      ASSERT_TRUE(
          consolidator
              .ReplaceUnitBudget(std::make_shared<v1::UnitBudget>(budgets[i]))
              .ok());
    }
    auto pairs = AllTransferPairs(budgets);
    for (const v1::Unit* root : world.tree().Roots()) {
      for (const UnitTree::Visit& visit : world.tree().Subtree(root->code())) {
        const std::string& node = visit.unit->code();
        std::vector<std::string> expected;
        for (const auto& [key, sides] : pairs) {
          const auto& [payer, payee, kind] = key;
          const v1::Unit* lca = world.tree().LowestCommonAncestor(payer, payee);
          if (sides.first != sides.second && lca != nullptr &&
              world.tree().IsWithin(lca->code(), node)) {
            expected.push_back(absl::StrCat(payer, ">", payee, "#", kind, " ",
                                            sides.first, "/", sides.second));
          }
        }
        std::vector<std::string> actual;
        for (const TransferMismatch& m : consolidator.Reconcile(node, 2024)) {
          actual.push_back(absl::StrCat(m.payer_unit, ">", m.payee_unit, "#",
                                        m.kind, " ", m.paid_fen, "/",
                                        m.received_fen));
        }
        EXPECT_EQ(actual, expected) << node;
        listed += actual.size();
      }
    }
    if (HasFailure()) return;
  }
  EXPECT_GT(listed, 200u);
}

}  // namespace
}  // namespace budget
