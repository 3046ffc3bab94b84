#include "budget/consolidation/consolidator.h"

#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/container/btree_set.h"
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
template <typename Lines, typename AmountOf>
absl::Status CheckLineAmounts(const Lines& lines, AmountOf amount_of,
                              absl::string_view field,
                              absl::string_view unit_code) {
  MoneySum sum;
  for (size_t i = 0; i < lines.size(); ++i) {
    const int64_t fen = amount_of(lines[i]);
    if (fen < 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("budget of ", unit_code, ": ", field, "[", i,
                       "].amount_fen is negative: ", fen));
    }
    sum.Add(fen);
  }
  if (!sum.ok()) {
    return absl::OutOfRangeError(absl::StrCat(
        "budget of ", unit_code, ": the sum of ", field, " overflows"));
  }
  return absl::OkStatus();
}

}  // namespace

Consolidator::Consolidator(const UnitTree* tree, Compacting compacting)
    : tree_(tree), compacting_(compacting) {}

std::unique_ptr<Consolidator> Consolidator::Clone() const {
  auto copy = std::make_unique<Consolidator>(tree_, compacting_);
  copy->years_ = years_;
  copy->unresolved_ = unresolved_;
  // The copied maps point at this one's rollups, which are written in place.
  for (auto& [year, state] : copy->years_) {
    for (auto& [code, rollup] : state.rollups) {
      rollup = std::make_shared<NodeRollup>(*rollup);
      copy->Written(rollup);
    }
  }
  return copy;
}

std::vector<std::shared_ptr<NodeRollup>> Consolidator::TakeDueRollups() {
  std::vector<std::shared_ptr<NodeRollup>> due(due_.begin(), due_.end());
  due_.clear();
  return due;
}

void Consolidator::BeginBulkLoad() {
  if (compacting_ == Compacting::kOnWrite) bulk_loading_ = true;
}

void Consolidator::EndBulkLoad() {
  if (!bulk_loading_) return;
  bulk_loading_ = false;
  for (const std::shared_ptr<NodeRollup>& rollup : TakeDueRollups()) {
    rollup->expenditure.CompactIfDue();
  }
}

void Consolidator::Written(const std::shared_ptr<NodeRollup>& rollup) {
  if (!rollup->expenditure.CompactionDue()) return;
  if (compacting_ == Compacting::kOnWrite && !bulk_loading_) {
    rollup->expenditure.CompactIfDue();
  } else {
    due_.insert(rollup);
  }
}

absl::Status Consolidator::ReplaceUnitBudget(
    std::shared_ptr<const v1::UnitBudget> budget) {
  if (budget == nullptr) {
    return absl::InvalidArgumentError("no budget given");
  }
  return ReplacePackedBudget(std::make_shared<const PackedBudget>(*budget));
}

absl::Status Consolidator::CheckReplaceable(const PackedBudget& budget) const {
  const v1::Unit* unit = tree_->Find(budget.unit_code());
  if (unit == nullptr) {
    return absl::FailedPreconditionError(
        absl::StrCat("unit ", budget.unit_code(), " is not registered"));
  }
  if (unit->kind() == v1::UNIT_KIND_GROUP) {
    return absl::FailedPreconditionError(
        absl::StrCat("unit ", budget.unit_code(),
                     " is a consolidation group and submits no budget"));
  }
  if (absl::Status s = CheckLineAmounts(
          budget.lines(), [](const PackedLine& l) { return l.amount_fen(); },
          "expenditures", budget.unit_code());
      !s.ok()) {
    return s;
  }
  return CheckLineAmounts(
      budget.income(), [](const v1::IncomeLine& l) { return l.amount_fen(); },
      "income", budget.unit_code());
}

absl::Status Consolidator::CheckReplacement(const PackedBudget& budget) const {
  if (absl::Status s = CheckReplaceable(budget); !s.ok()) return s;
  const std::string& unit_code = budget.unit_code();
  const int32_t year = budget.fiscal_year();
  const std::vector<const v1::Unit*> path = tree_->PathToRoot(unit_code);
  absl::StatusOr<std::vector<NodeRollup>> changes =
      ChangeAlongPath(*tree_, path, Packed(unit_code, year).get(), &budget,
                      ProjectDetail::kAsHeld);
  if (!changes.ok()) return changes.status();
  return CheckPath(unit_code, year, path, *changes);
}

absl::Status Consolidator::ReplacePackedBudget(
    std::shared_ptr<const PackedBudget> budget) {
  if (budget == nullptr) {
    return absl::InvalidArgumentError("no budget given");
  }
  if (absl::Status s = CheckReplaceable(*budget); !s.ok()) return s;
  const std::string unit_code = budget->unit_code();
  const int32_t year = budget->fiscal_year();
  return Update(unit_code, year, Packed(unit_code, year).get(),
                std::move(budget));
}

absl::Status Consolidator::RemoveUnitBudget(absl::string_view unit_code,
                                            int32_t year) {
  std::shared_ptr<const PackedBudget> held = Packed(unit_code, year);
  if (held == nullptr) return absl::OkStatus();
  return Update(std::string(unit_code), year, held.get(), nullptr);
}

absl::Status Consolidator::OnUnitAdded(absl::string_view code) {
  const v1::Unit* added = tree_->Find(code);
  if (added != nullptr && !added->parent_code().empty() &&
      tree_->Children(added->parent_code()).size() == 1) {
    if (absl::Status s = HoldRollupsOf(added->parent_code(), code); !s.ok()) {
      return s;
    }
  }
  auto named = unresolved_.find(code);
  if (named == unresolved_.end()) return absl::OkStatus();
  const absl::flat_hash_set<BudgetKey> budgets = std::move(named->second);
  unresolved_.erase(named);
  for (const auto& [unit_code, year] : budgets) {
    std::shared_ptr<const PackedBudget> held = Packed(unit_code, year);
    // Under the grown tree, the budget as it was counted is the budget
    // with `code` unnamed: an empty counterpart resolves to no node, which
    // is how the unknown code counted.
    const PackedBudget counted = held->WithoutCounterpart(code);
    if (absl::Status s = Update(unit_code, year, &counted, std::move(held));
        !s.ok()) {
      return s;
    }
  }
  return absl::OkStatus();
}

absl::Status Consolidator::HoldRollupsOf(absl::string_view node_code,
                                         absl::string_view added) {
  for (auto& [year, state] : years_) {
    auto budget = state.budgets.find(node_code);
    if (budget == state.budgets.end()) continue;
    // As the budget counted before `added` existed; re-applying budgets
    // that name it (below) moves that to how it counts now.
    absl::StatusOr<NodeRollup> own =
        LinesCountedAt(*tree_, budget->second->WithoutCounterpart(added),
                       node_code, ProjectDetail::kAsHeld);
    if (!own.ok()) return own.status();
    std::shared_ptr<NodeRollup>& rollup = state.rollups[node_code];
    rollup = std::make_shared<NodeRollup>(*std::move(own));
    Written(rollup);
  }
  return absl::OkStatus();
}

void Consolidator::IndexUnresolved(const PackedBudget& budget, bool add) {
  auto index = [&](const std::optional<TransferPair>& transfer) {
    if (!transfer.has_value()) return;
    const std::string& counterpart =
        CounterpartOf(*transfer, budget.unit_code());
    if (counterpart.empty() || tree_->Find(counterpart) != nullptr) return;
    BudgetKey key(budget.unit_code(), budget.fiscal_year());
    if (add) {
      unresolved_[counterpart].insert(std::move(key));
      return;
    }
    auto named = unresolved_.find(counterpart);
    if (named == unresolved_.end()) return;
    named->second.erase(key);
    if (named->second.empty()) unresolved_.erase(named);
  };
  for (const v1::ExpenditureLine& line : budget.full_lines()) {
    index(TransferOf(line, budget.unit_code()));
  }
  for (const v1::IncomeLine& line : budget.income()) {
    index(TransferOf(line, budget.unit_code()));
  }
}

absl::Status Consolidator::Update(const std::string& unit_code, int32_t year,
                                  const PackedBudget* counted,
                                  std::shared_ptr<const PackedBudget> next) {
  const std::vector<const v1::Unit*> path = tree_->PathToRoot(unit_code);
  if (counted == nullptr && next != nullptr) {
    // A unit's first budget (every one of a cold start's first
    // submissions): its lines go straight into the held cells. Should a
    // total not fit, the general path below says which figure overflows.
    absl::StatusOr<PathAddition> addition =
        AdditionAlongPath(*tree_, path, *next);
    if (addition.ok() &&
        CheckPath(unit_code, year, path, addition->totals).ok()) {
      CommitPath(year, path, addition->totals, &addition->cells);
      Hold(unit_code, year, std::move(next));
      return absl::OkStatus();
    }
  }
  absl::StatusOr<std::vector<NodeRollup>> changes = ChangeAlongPath(
      *tree_, path, counted, next.get(), ProjectDetail::kAsHeld);
  if (!changes.ok()) return changes.status();
  if (absl::Status s = CheckPath(unit_code, year, path, *changes); !s.ok()) {
    return s;
  }
  CommitPath(year, path, *changes, nullptr);
  Hold(unit_code, year, std::move(next));
  return absl::OkStatus();
}

absl::Status Consolidator::CheckPath(
    const std::string& unit_code, int32_t year,
    const std::vector<const v1::Unit*>& path,
    const std::vector<NodeRollup>& changes) const {
  // Every held node is checked before any is written, so an overflow
  // anywhere on the path leaves all of them as they were. A leaf holds no
  // rollup: its sums are its budget's, checked on the way in.
  static const NodeRollup* const kEmpty = new NodeRollup();
  auto state = years_.find(year);
  for (size_t level = 0; level < path.size(); ++level) {
    const std::string& code = path[level]->code();
    if (!tree_->HasChildren(code)) continue;
    const NodeRollup* held = kEmpty;
    if (state != years_.end()) {
      if (auto found = state->second.rollups.find(code);
          found != state->second.rollups.end()) {
        held = found->second.get();
      }
    }
    if (absl::Status s = CheckChange(*held, changes[level]); !s.ok()) {
      return absl::OutOfRangeError(absl::StrCat(
          "consolidating ", unit_code, " into ", code, ": ", s.message()));
    }
  }
  return absl::OkStatus();
}

void Consolidator::CommitPath(int32_t year,
                              const std::vector<const v1::Unit*>& path,
                              const std::vector<NodeRollup>& changes,
                              const std::vector<CellList>* cells) {
  YearState& state = years_[year];
  for (size_t level = 0; level < path.size(); ++level) {
    const std::string& code = path[level]->code();
    if (!tree_->HasChildren(code)) continue;
    std::shared_ptr<NodeRollup>& rollup = state.rollups[code];
    if (rollup == nullptr) rollup = std::make_shared<NodeRollup>();
    CommitChange(changes[level], rollup.get());
    if (cells != nullptr) CommitCells((*cells)[level], rollup.get());
    if (rollup->budget_count == 0) {
      state.rollups.erase(code);
    } else {
      Written(rollup);
    }
  }
}

void Consolidator::CountTransfers(YearState& state, const PackedBudget& budget,
                                  int64_t sign) {
  auto count = [&](const std::optional<TransferPair>& transfer, int64_t fen,
                   bool paid) {
    if (!transfer.has_value()) return;
    TransferKey key(transfer->payer_unit, transfer->payee_unit, transfer->kind);
    TransferSides& sides = state.transfers[key];
    (paid ? sides.paid_fen : sides.received_fen) += sign * fen;
    if (sides.paid_fen != sides.received_fen) {
      state.disagreeing.insert(std::move(key));
      return;
    }
    state.disagreeing.erase(key);
    if (sides.paid_fen == 0) state.transfers.erase(key);
  };
  for (const v1::ExpenditureLine& line : budget.full_lines()) {
    count(TransferOf(line, budget.unit_code()), line.amount_fen(),
          /*paid=*/true);
  }
  for (const v1::IncomeLine& line : budget.income()) {
    count(TransferOf(line, budget.unit_code()), line.amount_fen(),
          /*paid=*/false);
  }
}

void Consolidator::Hold(const std::string& unit_code, int32_t year,
                        std::shared_ptr<const PackedBudget> next) {
  YearState& state = years_[year];
  if (auto held = state.budgets.find(unit_code); held != state.budgets.end()) {
    IndexUnresolved(*held->second, /*add=*/false);
    CountTransfers(state, *held->second, -1);
  }
  if (next == nullptr) {
    state.budgets.erase(unit_code);
  } else {
    IndexUnresolved(*next, /*add=*/true);
    CountTransfers(state, *next, 1);
    state.budgets[unit_code] = std::move(next);
  }
  if (state.budgets.empty()) years_.erase(year);
}

std::shared_ptr<const NodeRollup> Consolidator::Rollup(
    absl::string_view node_code, int32_t year) const {
  auto state = years_.find(year);
  if (state == years_.end()) return nullptr;
  if (auto held = state->second.rollups.find(node_code);
      held != state->second.rollups.end()) {
    return held->second;
  }
  const v1::Unit* node = tree_->Find(node_code);
  std::shared_ptr<const PackedBudget> budget = Packed(node_code, year);
  if (node == nullptr || budget == nullptr || tree_->HasChildren(node_code)) {
    return nullptr;
  }
  // Cannot fail: the budget's own sums were checked when it was accepted.
  absl::StatusOr<NodeRollup> own =
      LinesCountedAt(*tree_, *budget, node_code, ProjectDetail::kKept);
  if (!own.ok()) return nullptr;
  return std::make_shared<const NodeRollup>(*std::move(own));
}

std::shared_ptr<const PackedBudget> Consolidator::Packed(
    absl::string_view unit_code, int32_t year) const {
  auto state = years_.find(year);
  if (state == years_.end()) return nullptr;
  auto budget = state->second.budgets.find(unit_code);
  return budget == state->second.budgets.end() ? nullptr : budget->second;
}

std::shared_ptr<const v1::UnitBudget> Consolidator::Budget(
    absl::string_view unit_code, int32_t year) const {
  std::shared_ptr<const PackedBudget> packed = Packed(unit_code, year);
  if (packed == nullptr) return nullptr;
  return std::make_shared<const v1::UnitBudget>(packed->Unpack());
}

std::vector<TransferMismatch> Consolidator::Reconcile(
    absl::string_view node_code, int32_t year) const {
  std::vector<TransferMismatch> mismatches;
  auto state = years_.find(year);
  if (state == years_.end()) return mismatches;
  for (const TransferKey& key : state->second.disagreeing) {
    const auto& [payer, payee, kind] = key;
    // Both sides lie within the node exactly when their lowest common
    // ancestor does; a counterpart the tree does not know has none.
    const v1::Unit* lca = tree_->LowestCommonAncestor(payer, payee);
    if (lca == nullptr || !tree_->IsWithin(lca->code(), node_code)) continue;
    const TransferSides& sides = state->second.transfers.at(key);
    mismatches.push_back(
        {payer, payee, kind, sides.paid_fen, sides.received_fen});
  }
  return mismatches;
}

std::vector<std::string> Consolidator::UnitsTransferringWithin(
    absl::string_view node_code, int32_t year) const {
  absl::btree_set<std::string> units;
  auto state = years_.find(year);
  if (state == years_.end()) return {};
  for (const auto& [key, sides] : state->second.transfers) {
    const auto& [payer, payee, kind] = key;
    if (tree_->IsWithin(payer, node_code) &&
        tree_->IsWithin(payee, node_code)) {
      units.insert(payer);
      units.insert(payee);
    }
  }
  return std::vector<std::string>(units.begin(), units.end());
}

}  // namespace budget
