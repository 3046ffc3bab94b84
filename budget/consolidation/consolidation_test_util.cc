#include "budget/consolidation/consolidation_test_util.h"

#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"

namespace budget {
namespace {

// True when a transfer between `unit` and `counterpart` is dropped from
// `node`'s figures: the two meet at `node` or below it.
bool EliminatedAt(const UnitTree& tree, const std::string& node,
                  const std::string& unit, const std::string& counterpart) {
  const v1::Unit* lca = tree.LowestCommonAncestor(unit, counterpart);
  return lca != nullptr && tree.IsWithin(lca->code(), node);
}

ExpenditureKey KeyFor(const v1::ExpenditureLine& line,
                      const v1::UnitBudget& budget) {
  v1::ProjectCategory category = v1::PROJECT_CATEGORY_UNSPECIFIED;
  bool classified = false;
  for (const v1::Project& project : budget.projects()) {
    if (project.code() == line.project_code()) {
      category = project.category();
      classified = project.classified();
      break;
    }
  }
  return ExpenditureKey(
      Code::Of(line.function_code()), Code::Of(line.dept_economic_code()),
      Code::Of(line.gov_economic_code()), line.funding_source(), line.nature(),
      Code::Of(line.project_code()), category, classified);
}

void AddBudgetTo(const UnitTree& tree, const std::string& node,
                 const v1::UnitBudget& budget, NodeRollup* rollup) {
  const std::string& unit = budget.unit_code();
  for (const v1::ExpenditureLine& line : budget.expenditures()) {
    if (line.transfer_kind() != v1::TRANSFER_KIND_UNSPECIFIED &&
        EliminatedAt(tree, node, unit, line.counterpart_unit())) {
      continue;
    }
    // A node with children holds its cells without project codes.
    const ExpenditureKey key = KeyFor(line, budget);
    CellAmount& cell =
        rollup
            ->expenditure[tree.HasChildren(node) ? key.WithoutProject() : key];
    cell.fen += line.amount_fen();
    cell.lines += 1;
    rollup->expenditure_fen += line.amount_fen();
  }
  for (const v1::IncomeLine& line : budget.income()) {
    bool transfer =
        line.source() == v1::FUNDING_SOURCE_SUBSIDY_FROM_SUPERIOR ||
        line.source() == v1::FUNDING_SOURCE_REMITTANCE_FROM_SUBORDINATE;
    if (transfer && EliminatedAt(tree, node, unit, line.counterpart_unit())) {
      continue;
    }
    rollup->income[line.source()] += line.amount_fen();
    rollup->income_fen += line.amount_fen();
  }
  v1::OtherDisclosures& sum = rollup->other;
  const v1::OtherDisclosures& add = budget.other();
  sum.set_institution_operating_fen(sum.institution_operating_fen() +
                                    add.institution_operating_fen());
  sum.set_procurement_goods_fen(sum.procurement_goods_fen() +
                                add.procurement_goods_fen());
  sum.set_procurement_works_fen(sum.procurement_works_fen() +
                                add.procurement_works_fen());
  sum.set_procurement_services_fen(sum.procurement_services_fen() +
                                   add.procurement_services_fen());
  sum.set_general_vehicles(sum.general_vehicles() + add.general_vehicles());
  sum.set_other_vehicles(sum.other_vehicles() + add.other_vehicles());
  sum.set_general_devices_over_500k(sum.general_devices_over_500k() +
                                    add.general_devices_over_500k());
  sum.set_special_devices_over_1m(sum.special_devices_over_1m() +
                                  add.special_devices_over_1m());
  rollup->budget_count += 1;
}

}  // namespace

v1::Unit MakeUnit(const std::string& code, const std::string& parent,
                  v1::UnitKind kind) {
  v1::Unit unit;
  unit.set_code(code);
  unit.set_name("unit " + code);
  unit.set_parent_code(parent);
  unit.set_kind(kind);
  return unit;
}

v1::UnitBudget MakeBudget(const std::string& unit_code, int32_t year) {
  v1::UnitBudget budget;
  budget.set_unit_code(unit_code);
  budget.set_fiscal_year(year);
  return budget;
}

v1::ExpenditureLine* AddSpending(v1::UnitBudget* budget, int64_t fen,
                                 v1::TransferKind kind,
                                 const std::string& counterpart) {
  v1::ExpenditureLine* line = budget->add_expenditures();
  line->set_function_code("2150501");
  line->set_dept_economic_code("30101");
  line->set_gov_economic_code("50101");
  line->set_funding_source(v1::FUNDING_SOURCE_GENERAL_PUBLIC_BUDGET);
  line->set_nature(v1::EXPENDITURE_NATURE_BASIC_PERSONNEL);
  line->set_amount_fen(fen);
  line->set_transfer_kind(kind);
  line->set_counterpart_unit(counterpart);
  return line;
}

v1::IncomeLine* AddIncome(v1::UnitBudget* budget, v1::FundingSource source,
                          int64_t fen, const std::string& counterpart) {
  v1::IncomeLine* line = budget->add_income();
  line->set_source(source);
  line->set_amount_fen(fen);
  line->set_counterpart_unit(counterpart);
  return line;
}

std::map<std::string, NodeRollup> BruteForceRollups(
    const UnitTree& tree, const std::vector<v1::UnitBudget>& budgets) {
  std::map<std::string, NodeRollup> rollups;
  for (const v1::Unit* root : tree.Roots()) {
    for (const UnitTree::Visit& visit : tree.Subtree(root->code())) {
      const std::string& node = visit.unit->code();
      for (const v1::UnitBudget& budget : budgets) {
        if (tree.IsWithin(budget.unit_code(), node)) {
          AddBudgetTo(tree, node, budget, &rollups[node]);
        }
      }
    }
  }
  for (auto& [node, rollup] : rollups) {
    absl::erase_if(rollup.income,
                   [](const auto& entry) { return entry.second == 0; });
  }
  return rollups;
}

void ExpectSameRollup(const NodeRollup* actual, const NodeRollup* expected,
                      const std::string& where) {
  SCOPED_TRACE(where);
  ASSERT_EQ(actual == nullptr, expected == nullptr);
  if (actual == nullptr) return;
  ASSERT_EQ(actual->expenditure.size(), expected->expenditure.size());
  for (const auto& [key, cell] : actual->expenditure) {
    const CellAmount* e = expected->expenditure.Find(key);
    if (e == nullptr) {
      ADD_FAILURE() << "unexpected cell " << key.function_code() << " "
                    << key.project_code();
      continue;
    }
    EXPECT_EQ(cell.fen, e->fen) << key.function_code();
    EXPECT_EQ(cell.lines, e->lines) << key.function_code();
  }
  EXPECT_EQ(actual->income, expected->income);
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(
      actual->other, expected->other))
      << actual->other.ShortDebugString() << " vs "
      << expected->other.ShortDebugString();
  EXPECT_EQ(actual->expenditure_fen, expected->expenditure_fen);
  EXPECT_EQ(actual->income_fen, expected->income_fen);
  EXPECT_EQ(actual->budget_count, expected->budget_count);
}

}  // namespace budget
