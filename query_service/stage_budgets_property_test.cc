// Property: for random trees and random sequences of proposals,
// submissions, approvals (in the cycle and outside it) and adjustments,
// every node's adjusted totals (StageBudgets, ADJUSTED) equal the
// brute-force sum of its units' approved lines plus their adjustments'
// deltas, and each other stage stays the sum of the lines of the revisions
// that count for it, whichever stages share a Consolidator at the time.
// Every generated adjustment passes budget::CheckAdjustment first, as the
// ingest service requires.
#include <map>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "budget/cycle/adjustment.h"
#include "gtest/gtest.h"
#include "query_service/stage_budgets.h"

namespace query {
namespace {

constexpr int32_t kYear = 2024;

budget::v1::Unit Node(const std::string& code, const std::string& parent,
                      budget::v1::UnitKind kind) {
  budget::v1::Unit unit;
  unit.set_code(code);
  unit.set_parent_code(parent);
  unit.set_name("节点" + code);
  unit.set_kind(kind);
  return unit;
}

// One of the few line classifications the generated budgets use.
budget::v1::ExpenditureDelta Classified(const std::string& unit, int kind) {
  budget::v1::ExpenditureDelta d;
  d.set_unit_code(unit);
  d.set_function_code(kind % 2 ? "2150501" : "2150517");
  d.set_dept_economic_code("30201");
  d.set_gov_economic_code("50502");
  d.set_funding_source(budget::v1::FUNDING_SOURCE_GENERAL_PUBLIC_BUDGET);
  d.set_nature(budget::v1::EXPENDITURE_NATURE_PROJECT);
  d.set_project_code(absl::StrCat("P", kind % 3));
  return d;
}

// A unit's totals at each stage (income = expenditure); nullopt: no
// budget counts for that stage.
struct Expected {
  std::optional<int64_t> proposal;
  std::optional<int64_t> submission;
  std::optional<int64_t> approved;
  std::optional<int64_t> adjusted;
};

class World {
 public:
  explicit World(std::mt19937_64& random) : random_(random) {
    Add(Node("9", "", budget::v1::UNIT_KIND_GROUP));
    const int departments = Pick(1, 3);
    for (int d = 1; d <= departments; ++d) {
      const std::string dept = absl::StrCat("9", d);
      Add(Node(dept, "9", budget::v1::UNIT_KIND_GROUP));
      departments_.push_back(dept);
      const int units = Pick(1, 4);
      for (int u = 1; u <= units; ++u) {
        std::string unit = absl::StrCat(dept, "0", u);
        Add(Node(unit, dept, budget::v1::UNIT_KIND_INSTITUTION));
        units_[dept].push_back(unit);
        // A unit below a unit, sometimes: trees deeper than two levels.
        if (Pick(0, 3) == 0) {
          Add(Node(unit + "1", unit, budget::v1::UNIT_KIND_INSTITUTION));
          units_[dept].push_back(unit + "1");
        }
      }
    }
  }

  // A budget of `unit` with random amounts, income = expenditure = `total`.
  budget::v1::UnitBudget MakeBudget(const std::string& unit, int64_t& total) {
    budget::v1::UnitBudget budget;
    budget.set_unit_code(unit);
    budget.set_fiscal_year(kYear);
    total = 0;
    for (int kind = 0; kind < 3; ++kind) {
      budget.add_projects()->set_code(absl::StrCat("P", kind));
      budget::v1::ExpenditureDelta d = Classified(unit, kind);
      budget::v1::ExpenditureLine* line = budget.add_expenditures();
      line->set_function_code(d.function_code());
      line->set_dept_economic_code(d.dept_economic_code());
      line->set_gov_economic_code(d.gov_economic_code());
      line->set_funding_source(d.funding_source());
      line->set_nature(d.nature());
      line->set_project_code(d.project_code());
      line->set_amount_fen(Pick(0, 1'000'000));
      total += line->amount_fen();
    }
    budget::v1::IncomeLine* income = budget.add_income();
    income->set_source(budget::v1::FUNDING_SOURCE_GENERAL_PUBLIC_BUDGET);
    income->set_amount_fen(total);
    return budget;
  }

  int Pick(int low, int high) {
    return std::uniform_int_distribution<int>(low, high)(random_);
  }

  // Approves `unit` once (an approved budget is frozen); later calls do
  // nothing. Half the time the revision is stored outside the cycle
  // (UNSPECIFIED), which counts as the submission too.
  void Approve(const std::string& unit) {
    if (current_.count(unit) > 0) return;
    const bool outside = Pick(0, 1) == 0;
    int64_t total = 0;
    budget::v1::UnitBudget budget = MakeBudget(unit, total);
    stages_.ApplyRevision(outside ? budget::v1::BUDGET_STAGE_UNSPECIFIED
                                  : budget::v1::BUDGET_STAGE_APPROVED,
                          std::make_shared<const budget::PackedBudget>(budget));
    current_[unit] = budget;
    expected_[unit].approved = total;
    expected_[unit].adjusted = total;
    if (outside) expected_[unit].submission = total;
  }

  // A proposal or submission of `unit`, revisable at any time: counts for
  // its stage only.
  void Propose(const std::string& unit) {
    const bool proposal = Pick(0, 1) == 0;
    int64_t total = 0;
    budget::v1::UnitBudget budget = MakeBudget(unit, total);
    stages_.ApplyRevision(proposal ? budget::v1::BUDGET_STAGE_PROPOSAL
                                   : budget::v1::BUDGET_STAGE_SUBMISSION,
                          std::make_shared<const budget::PackedBudget>(budget));
    (proposal ? expected_[unit].proposal : expected_[unit].submission) = total;
  }

  // A random adjustment within one department among its approved units;
  // false when the department has none.
  bool Adjust() {
    const std::string& dept = departments_[Pick(0, departments_.size() - 1)];
    std::vector<std::string> approved;
    for (const std::string& unit : units_[dept]) {
      if (current_.count(unit)) approved.push_back(unit);
    }
    if (approved.empty()) return false;
    budget::v1::Adjustment adjustment;
    adjustment.set_node_code(dept);
    adjustment.set_fiscal_year(kYear);
    adjustment.set_reason("随机调整");
    adjustment.set_document_number(absl::StrCat("文", applied_.size()));
    int64_t net = 0;
    std::map<std::string, int64_t> per_unit;
    const int deltas = Pick(1, 4);
    for (int i = 0; i < deltas; ++i) {
      const std::string& unit = approved[Pick(0, approved.size() - 1)];
      const int kind = Pick(0, 5);
      budget::v1::ExpenditureDelta d = Classified(unit, kind);
      // What the matching lines hold now, so no line goes negative.
      int64_t held = 0;
      for (const auto& line : current_[unit].expenditures()) {
        if (line.function_code() == d.function_code() &&
            line.project_code() == d.project_code()) {
          held += line.amount_fen();
        }
      }
      int64_t delta =
          Pick(-static_cast<int>(std::min<int64_t>(held, 500'000)), 500'000);
      if (delta == 0) delta = 1;
      d.set_delta_fen(delta);
      // Applied to a copy first: deltas of one adjustment add up per line.
      budget::v1::Adjustment with = adjustment;
      *with.add_expenditures() = d;
      budget::v1::UnitBudget trial = current_[unit];
      if (!budget::ApplyAdjustment(with, trial).ok()) continue;
      *adjustment.add_expenditures() = d;
      per_unit[unit] += delta;
      net += delta;
    }
    if (adjustment.expenditures_size() == 0) return false;
    for (const auto& [unit, delta] : per_unit) {
      if (delta == 0) continue;
      budget::v1::IncomeDelta* income = adjustment.add_income();
      income->set_unit_code(unit);
      income->set_source(budget::v1::FUNDING_SOURCE_GENERAL_PUBLIC_BUDGET);
      income->set_delta_fen(delta);
    }
    adjustment.set_kind(net > 0   ? budget::v1::ADJUSTMENT_KIND_INCREASE
                        : net < 0 ? budget::v1::ADJUSTMENT_KIND_DECREASE
                                  : budget::v1::ADJUSTMENT_KIND_TRANSFER);
    std::vector<budget::v1::Violation> found = budget::CheckAdjustment(
        adjustment, tree_,
        [this](absl::string_view unit) -> const budget::v1::UnitBudget* {
          auto it = current_.find(std::string(unit));
          return it == current_.end() ? nullptr : &it->second;
        });
    EXPECT_TRUE(found.empty()) << found[0].DebugString();
    if (!found.empty()) return false;
    budget::v1::CycleRecord record;
    *record.mutable_adjustment() = adjustment;
    stages_.ApplyRecord(record);
    for (const auto& [unit, delta] : per_unit) {
      EXPECT_TRUE(budget::ApplyAdjustment(adjustment, current_[unit]).ok());
      *expected_[unit].adjusted += delta;
    }
    applied_.push_back(adjustment);
    return true;
  }

  // Every node at every stage against the brute-force sums of the units
  // below it.
  void ExpectTotals(const std::string& where) {
    using Field = std::optional<int64_t> Expected::*;
    for (const auto& [code, unit] : nodes_) {
      for (auto [stage, field] :
           {std::pair<budget::v1::BudgetStage, Field>{
                budget::v1::BUDGET_STAGE_PROPOSAL, &Expected::proposal},
            {budget::v1::BUDGET_STAGE_SUBMISSION, &Expected::submission},
            {budget::v1::BUDGET_STAGE_APPROVED, &Expected::approved},
            {budget::v1::BUDGET_STAGE_ADJUSTED, &Expected::adjusted}}) {
        int64_t want = 0;
        bool any = false;
        for (const auto& [unit_code, expected] : expected_) {
          if (!tree_.IsWithin(unit_code, code) || !(expected.*field)) continue;
          any = true;
          want += *(expected.*field);
        }
        std::shared_ptr<const budget::NodeRollup> rollup =
            stages_.Stage(stage).Rollup(code, kYear);
        ASSERT_EQ(rollup != nullptr, any)
            << where << " node " << code << " stage " << stage;
        if (!any) continue;
        EXPECT_EQ(rollup->expenditure_fen, want)
            << where << " node " << code << " stage " << stage;
        EXPECT_EQ(rollup->income_fen, want)
            << where << " node " << code << " stage " << stage;
      }
    }
  }

  const std::vector<std::string>& AllUnits() {
    if (all_.empty()) {
      for (const auto& [dept, units] : units_) {
        all_.insert(all_.end(), units.begin(), units.end());
      }
    }
    return all_;
  }

 private:
  void Add(const budget::v1::Unit& unit) {
    ASSERT_TRUE(tree_.Add(unit).ok());
    ASSERT_TRUE(stages_.OnUnitAdded(unit.code()).ok());
    nodes_[unit.code()] = unit;
  }

  std::mt19937_64& random_;
  budget::UnitTree tree_;
  StageBudgets stages_{&tree_};
  std::map<std::string, budget::v1::Unit> nodes_;
  std::vector<std::string> departments_;
  std::map<std::string, std::vector<std::string>> units_;
  std::vector<std::string> all_;
  // The adjusted budget of each approved unit, by the domain's arithmetic
  // (for generating valid deltas only; the totals are checked by sums).
  std::map<std::string, budget::v1::UnitBudget> current_;
  std::map<std::string, Expected> expected_;
  std::vector<budget::v1::Adjustment> applied_;
};

TEST(StageBudgetsPropertyTest, AdjustedTotalsAreApprovedPlusDeltas) {
  int adjustments = 0;
  for (uint64_t seed = 1; seed <= 60; ++seed) {
    std::mt19937_64 random(seed);
    World world(random);
    const std::vector<std::string> units = world.AllUnits();
    for (int step = 0; step < 25; ++step) {
      const int step_kind = world.Pick(0, 5);
      if (step_kind == 0) {
        world.Approve(units[world.Pick(0, units.size() - 1)]);
      } else if (step_kind == 1) {
        world.Propose(units[world.Pick(0, units.size() - 1)]);
      } else if (world.Adjust()) {
        ++adjustments;
      }
      world.ExpectTotals(absl::StrCat("seed ", seed, " step ", step));
      if (::testing::Test::HasFailure()) return;
    }
  }
  // The sequences did adjust: the property was not checked on nothing.
  EXPECT_GT(adjustments, 300);
}

}  // namespace
}  // namespace query
