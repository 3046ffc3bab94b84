// Random unit trees and budgets, seeded and deterministic: every drilldown
// must sum to the grand total and equal a brute-force grouping of the raw
// lines, before and after random resubmissions. For an uncleared reader the
// masked project's rows are withheld, and the visible cells plus what the
// raw lines say was withheld still sum to the grand total.
#include <cstdint>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "budget/aggregation/aggregator.h"
#include "budget/consolidation/consolidation_test_util.h"
#include "gtest/gtest.h"

namespace budget {
namespace {

constexpr int32_t kYear = 2024;

class RandomTree {
 public:
  explicit RandomTree(uint32_t seed) : rng_(seed) {
    units_.push_back(MakeUnit("1", "", v1::UNIT_KIND_ADMINISTRATIVE));
    Grow("1", 3);
    absl::StatusOr<UnitTree> tree = UnitTree::Build(units_);
    EXPECT_TRUE(tree.ok()) << tree.status();
    tree_ = *std::move(tree);
  }

  const UnitTree& tree() const { return tree_; }
  const std::vector<v1::Unit>& units() const { return units_; }

  int Uniform(int lo, int hi) {
    return std::uniform_int_distribution<int>(lo, hi)(rng_);
  }

  v1::UnitBudget RandomBudget(const std::string& unit) {
    v1::UnitBudget budget = MakeBudget(unit, kYear);
    for (int p = 0; p < 2; ++p) {
      v1::Project* project = budget.add_projects();
      project->set_code(absl::StrCat("P", p));
      project->set_name(absl::StrCat("project ", p));
      project->set_category(Uniform(0, 1) == 0
                                ? v1::PROJECT_CATEGORY_OTHER_OPERATING
                                : v1::PROJECT_CATEGORY_SPECIFIC_TARGET);
      project->set_classified(p == 1);
    }
    for (int i = Uniform(0, 6); i > 0; --i) {
      v1::ExpenditureLine* line =
          AddSpending(&budget, Uniform(0, 3) == 0 ? 0 : Uniform(1, 1'000'000));
      line->set_function_code(Uniform(0, 1) ? "2010101" : "2150501");
      line->set_dept_economic_code(Uniform(0, 1) ? "30101" : "30201");
      line->set_funding_source(Uniform(0, 1)
                                   ? v1::FUNDING_SOURCE_GENERAL_PUBLIC_BUDGET
                                   : v1::FUNDING_SOURCE_BUSINESS_INCOME);
      // Spending of a subsidy, which aggregates read under the payer's
      // sources when the payer is inside the node (InternalFunding): the
      // moves must leave every other grouping as the raw lines give it.
      if (Uniform(0, 3) == 0) {
        line->set_funding_source(v1::FUNDING_SOURCE_SUBSIDY_FROM_SUPERIOR);
      }
      if (Uniform(0, 1) == 0) {
        line->set_nature(v1::EXPENDITURE_NATURE_PROJECT);
        line->set_project_code(absl::StrCat("P", Uniform(0, 1)));
      }
      if (Uniform(0, 2) == 0) {
        line->set_transfer_kind(v1::TRANSFER_KIND_SUBSIDY_TO_SUBORDINATE);
        line->set_counterpart_unit(
            units_[Uniform(0, units_.size() - 1)].code());
      }
    }
    if (Uniform(0, 1) == 0) {
      AddIncome(&budget, v1::FUNDING_SOURCE_SUBSIDY_FROM_SUPERIOR,
                Uniform(1, 2'000'000),
                units_[Uniform(0, units_.size() - 1)].code());
    }
    return budget;
  }

 private:
  void Grow(const std::string& code, int depth) {
    if (depth == 0) return;
    for (int c = Uniform(1, 3); c > 0; --c) {
      std::string child = absl::StrCat(code, c);
      units_.push_back(MakeUnit(child, code));
      Grow(child, depth - 1);
    }
  }

  std::mt19937 rng_;
  std::vector<v1::Unit> units_;
  UnitTree tree_;
};

using Cells = std::map<std::vector<std::string>, CellAmount>;

// True when `line` of `unit` is a transfer eliminated within `place`.
bool EliminatedWithin(const UnitTree& tree, const std::string& unit,
                      const v1::ExpenditureLine& line,
                      const std::string& place) {
  if (line.transfer_kind() == v1::TRANSFER_KIND_UNSPECIFIED) return false;
  const v1::Unit* lca =
      tree.LowestCommonAncestor(unit, line.counterpart_unit());
  return lca != nullptr && tree.IsWithin(lca->code(), place);
}

// The node's direct child `unit` lies in, or the node itself.
std::string ChildOf(const UnitTree& tree, const std::string& node,
                    const std::string& unit) {
  std::string child = unit;
  for (const v1::Unit* step : tree.PathToRoot(unit)) {
    if (step->code() == node) return child;
    child = step->code();
  }
  return child;
}

// The line's project as a reader who is `cleared` or not sees it.
std::string ProjectOf(const v1::UnitBudget& budget,
                      const v1::ExpenditureLine& line, bool cleared) {
  for (const v1::Project& project : budget.projects()) {
    if (project.code() == line.project_code() && project.classified() &&
        !cleared) {
      return kMaskedProject;
    }
  }
  return line.project_code();
}

std::string ValueOfLine(const v1::UnitBudget& budget,
                        const v1::ExpenditureLine& line, Dimension other,
                        bool cleared) {
  switch (other) {
    case Dimension::kFunctionClass:
      return line.function_code().substr(0, 3);
    case Dimension::kProject:
      return ProjectOf(budget, line, cleared);
    default:
      return line.dept_economic_code();
  }
}

// Groups the raw lines by definition: a line counts in its place's cell
// unless eliminated within the place; what the total counts and the places
// do not is the residual (""). Masked cells keep their amounts here.
Cells BruteForce(const UnitTree& tree,
                 const std::map<std::string, v1::UnitBudget>& budgets,
                 const std::string& node, Dimension placement, Dimension other,
                 bool cleared) {
  Cells cells;
  for (const auto& [unit, budget] : budgets) {
    if (!tree.IsWithin(unit, node)) continue;
    std::string place =
        placement == Dimension::kUnit ? unit : ChildOf(tree, node, unit);
    for (const v1::ExpenditureLine& line : budget.expenditures()) {
      bool in_total = !EliminatedWithin(tree, unit, line, node);
      bool in_place = !EliminatedWithin(tree, unit, line, place);
      std::string value = ValueOfLine(budget, line, other, cleared);
      if (in_place) {
        CellAmount& cell = cells[{place, value}];
        cell.fen += line.amount_fen();
        cell.lines += 1;
      }
      if (in_place && !in_total) {
        CellAmount& cell = cells[{"", value}];
        cell.fen -= line.amount_fen();
        cell.lines -= 1;
      }
    }
  }
  for (auto it = cells.begin(); it != cells.end();) {
    it = it->second.fen == 0 && it->second.lines == 0 ? cells.erase(it)
                                                      : std::next(it);
  }
  return cells;
}

void ExpectDrilldownsMatch(
    const RandomTree& world, const Consolidator& consolidator,
    const std::map<std::string, v1::UnitBudget>& budgets) {
  for (const v1::Unit& node : world.units()) {
    std::shared_ptr<const NodeRollup> rollup =
        consolidator.Rollup(node.code(), kYear);
    if (rollup == nullptr) continue;
    for (Dimension placement : {Dimension::kUnit, Dimension::kChild}) {
      for (Dimension other :
           {Dimension::kFunctionClass, Dimension::kDeptEconomicSection,
            Dimension::kProject}) {
        for (bool cleared : {false, true}) {
          SCOPED_TRACE(absl::StrCat(
              "node ", node.code(), " placement ", static_cast<int>(placement),
              " other ", static_cast<int>(other), " cleared ", cleared));
          AggregateQuery query;
          query.node_code = node.code();
          query.fiscal_year = kYear;
          query.drilldown = {placement, other};
          query.subtotals = true;
          query.cleared = cleared;
          absl::StatusOr<AggregateResult> result =
              Aggregate(consolidator, Catalog::Default(), query);
          ASSERT_TRUE(result.ok()) << result.status();
          EXPECT_EQ(result->grand_total.amount.fen, rollup->expenditure_fen);
          Cells actual;
          int64_t detail_sum = 0;
          int64_t subtotal_sum = 0;
          for (const AggregateRow& row : result->rows) {
            if (row.subtotal) {
              subtotal_sum += row.amount.fen;
              continue;
            }
            detail_sum += row.amount.fen;
            const std::string& place = result->member(row, 0).value;
            const std::string& value = result->member(row, 1).value;
            EXPECT_EQ(row.residual, place.empty());
            EXPECT_EQ(row.masked, value == kMaskedProject);
            actual[{place, value}] = row.amount;
          }
          EXPECT_EQ(subtotal_sum, rollup->expenditure_fen);
          Cells expected = BruteForce(world.tree(), budgets, node.code(),
                                      placement, other, cleared);
          ASSERT_EQ(actual.size(), expected.size());
          int64_t withheld_sum = 0;
          for (const auto& [values, cell] : expected) {
            auto it = actual.find(values);
            ASSERT_NE(it, actual.end()) << values[0] << "/" << values[1];
            bool masked = values[1] == kMaskedProject;
            if (masked) withheld_sum += cell.fen;
            EXPECT_EQ(it->second.fen, masked ? 0 : cell.fen)
                << values[0] << "/" << values[1];
            EXPECT_EQ(it->second.lines, masked ? 0 : cell.lines)
                << values[0] << "/" << values[1];
          }
          EXPECT_EQ(detail_sum + withheld_sum, rollup->expenditure_fen);
        }
      }
    }
  }
}

TEST(AggregatorPropertyTest, DrilldownsSumToTotalAndMatchRawLines) {
  for (uint32_t seed = 1; seed <= 60; ++seed) {
    SCOPED_TRACE(absl::StrCat("seed ", seed));
    RandomTree world(seed);
    Consolidator consolidator(&world.tree());
    std::map<std::string, v1::UnitBudget> budgets;
    for (int step = 0; step < 12; ++step) {
      const std::string& unit =
          world.units()[world.Uniform(0, world.units().size() - 1)].code();
      budgets[unit] = world.RandomBudget(unit);
      ASSERT_TRUE(consolidator
                      .ReplaceUnitBudget(
                          std::make_shared<v1::UnitBudget>(budgets[unit]))
                      .ok());
      if (step % 4 == 3) {
        ExpectDrilldownsMatch(world, consolidator, budgets);
        if (HasFailure()) return;
      }
    }
  }
}

}  // namespace
}  // namespace budget
