#include "budget/consolidation/consolidator.h"

#include <tuple>
#include <utility>

#include "absl/container/btree_map.h"
#include "absl/strings/str_cat.h"
#include "budget/consolidation/rollup_arithmetic.h"
#include "budget/consolidation/rollup_change.h"
#include "budget/consolidation/transfer.h"
#include "budget/money.h"

namespace budget {
namespace {

// Amounts are never negative and a budget's own totals fit in int64. Both
// keep every later sum of a subset of its lines (a rollup difference, one
// side of a transfer pair) in range.
template <typename Lines>
absl::Status CheckLineAmounts(const Lines& lines, absl::string_view field,
                              absl::string_view unit_code) {
  MoneySum sum;
  for (int i = 0; i < lines.size(); ++i) {
    if (lines[i].amount_fen() < 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("budget of ", unit_code, ": ", field, "[", i,
                       "].amount_fen is negative: ", lines[i].amount_fen()));
    }
    sum.Add(lines[i].amount_fen());
  }
  if (!sum.ok()) {
    return absl::OutOfRangeError(absl::StrCat(
        "budget of ", unit_code, ": the sum of ", field, " overflows"));
  }
  return absl::OkStatus();
}

}  // namespace

Consolidator::Consolidator(const UnitTree* tree) : tree_(tree) {}

absl::Status Consolidator::ReplaceUnitBudget(
    std::shared_ptr<const v1::UnitBudget> budget) {
  if (budget == nullptr) {
    return absl::InvalidArgumentError("no budget given");
  }
  const v1::Unit* unit = tree_->Find(budget->unit_code());
  if (unit == nullptr) {
    return absl::FailedPreconditionError(
        absl::StrCat("unit ", budget->unit_code(), " is not registered"));
  }
  if (unit->kind() == v1::UNIT_KIND_GROUP) {
    return absl::FailedPreconditionError(
        absl::StrCat("unit ", budget->unit_code(),
                     " is a consolidation group and submits no budget"));
  }
  if (absl::Status s = CheckLineAmounts(budget->expenditures(), "expenditures",
                                        budget->unit_code());
      !s.ok()) {
    return s;
  }
  if (absl::Status s =
          CheckLineAmounts(budget->income(), "income", budget->unit_code());
      !s.ok()) {
    return s;
  }
  const std::string unit_code = budget->unit_code();
  const int32_t year = budget->fiscal_year();
  return Update(unit_code, year, std::move(budget));
}

absl::Status Consolidator::RemoveUnitBudget(absl::string_view unit_code,
                                            int32_t year) {
  if (Budget(unit_code, year) == nullptr) return absl::OkStatus();
  return Update(std::string(unit_code), year, nullptr);
}

absl::Status Consolidator::Update(const std::string& unit_code, int32_t year,
                                  std::shared_ptr<const v1::UnitBudget> next) {
  const v1::UnitBudget* previous = Budget(unit_code, year);
  const std::vector<const v1::Unit*> path = tree_->PathToRoot(unit_code);
  absl::StatusOr<std::vector<NodeRollup>> changes =
      ChangeAlongPath(*tree_, path, previous, next.get());
  if (!changes.ok()) return changes.status();

  // Every node is planned before any is written, so an overflow anywhere on
  // the path leaves all of them as they were.
  static const NodeRollup* const kEmpty = new NodeRollup();
  std::vector<NodeRollup> plans;
  plans.reserve(path.size());
  for (size_t level = 0; level < path.size(); ++level) {
    const NodeRollup* rollup = Rollup(path[level]->code(), year);
    absl::StatusOr<NodeRollup> plan =
        PlanChange(rollup == nullptr ? *kEmpty : *rollup, (*changes)[level]);
    if (!plan.ok()) {
      return absl::OutOfRangeError(absl::StrCat("consolidating ", unit_code,
                                                " into ", path[level]->code(),
                                                ": ", plan.status().message()));
    }
    plans.push_back(*std::move(plan));
  }

  YearState& state = years_[year];
  for (size_t level = 0; level < path.size(); ++level) {
    const std::string& code = path[level]->code();
    if (plans[level].budget_count == 0) {
      state.rollups.erase(code);
      continue;
    }
    std::unique_ptr<NodeRollup>& rollup = state.rollups[code];
    if (rollup == nullptr) rollup = std::make_unique<NodeRollup>();
    CommitPlan(std::move(plans[level]), rollup.get());
  }
  if (next == nullptr) {
    state.budgets.erase(unit_code);
  } else {
    state.budgets[unit_code] = std::move(next);
  }
  if (state.budgets.empty()) years_.erase(year);
  return absl::OkStatus();
}

const NodeRollup* Consolidator::Rollup(absl::string_view node_code,
                                       int32_t year) const {
  auto state = years_.find(year);
  if (state == years_.end()) return nullptr;
  auto rollup = state->second.rollups.find(node_code);
  return rollup == state->second.rollups.end() ? nullptr : rollup->second.get();
}

const v1::UnitBudget* Consolidator::Budget(absl::string_view unit_code,
                                           int32_t year) const {
  auto state = years_.find(year);
  if (state == years_.end()) return nullptr;
  auto budget = state->second.budgets.find(unit_code);
  return budget == state->second.budgets.end() ? nullptr : budget->second.get();
}

std::vector<TransferMismatch> Consolidator::Reconcile(
    absl::string_view node_code, int32_t year) const {
  // Both sides of a pair lie within the node exactly when their lowest
  // common ancestor does, so visiting the subtree finds every side.
  using PairKey = std::tuple<std::string, std::string, v1::TransferKind>;
  absl::btree_map<PairKey, TransferMismatch> pairs;
  auto side = [&](const TransferPair& transfer) -> TransferMismatch& {
    TransferMismatch& pair =
        pairs[PairKey(transfer.payer_unit, transfer.payee_unit, transfer.kind)];
    pair.payer_unit = transfer.payer_unit;
    pair.payee_unit = transfer.payee_unit;
    pair.kind = transfer.kind;
    return pair;
  };
  // Plain sums cannot overflow: each side adds lines of one budget, whose
  // non-negative amounts ReplaceUnitBudget checked sum within range.
  for (const UnitTree::Visit& visit : tree_->Subtree(node_code)) {
    const v1::UnitBudget* budget = Budget(visit.unit->code(), year);
    if (budget == nullptr) continue;
    for (const v1::ExpenditureLine& line : budget->expenditures()) {
      if (auto transfer = TransferOf(line, budget->unit_code())) {
        side(*transfer).paid_fen += line.amount_fen();
      }
    }
    for (const v1::IncomeLine& line : budget->income()) {
      if (auto transfer = TransferOf(line, budget->unit_code())) {
        side(*transfer).received_fen += line.amount_fen();
      }
    }
  }
  std::vector<TransferMismatch> mismatches;
  for (auto& [key, pair] : pairs) {
    if (pair.paid_fen == pair.received_fen) continue;
    const v1::Unit* lca =
        tree_->LowestCommonAncestor(pair.payer_unit, pair.payee_unit);
    if (lca == nullptr || !tree_->IsWithin(lca->code(), node_code)) continue;
    mismatches.push_back(std::move(pair));
  }
  return mismatches;
}

}  // namespace budget
