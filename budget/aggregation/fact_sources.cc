#include "budget/aggregation/fact_sources.h"

#include <map>
#include <optional>
#include <utility>
#include <vector>

#include "budget/consolidation/internal_funding.h"
#include "budget/consolidation/rollup_change.h"
#include "budget/consolidation/transfer.h"
#include "budget/money.h"

namespace budget {

std::string ChildOf(const UnitTree& tree, absl::string_view node,
                    absl::string_view unit) {
  std::string child(unit);
  for (const v1::Unit* step : tree.PathToRoot(unit)) {
    if (step->code() == node) return child;
    child = step->code();
  }
  return child;
}

absl::StatusOr<FactSources> FactSources::Build(const Consolidator& consolidator,
                                               absl::string_view node_code,
                                               int32_t year,
                                               Placement placement) {
  FactSources result;
  std::shared_ptr<const NodeRollup> whole =
      consolidator.Rollup(node_code, year);
  if (whole == nullptr) return result;
  const UnitTree& tree = consolidator.tree();
  if (placement == Placement::kNone) {
    result.sources_.push_back({"", "", false, whole});
    result.AddInternalFunding(consolidator, node_code, year, placement);
    return result;
  }
  if (placement == Placement::kUnit) {
    for (const UnitTree::Visit& visit : tree.Subtree(node_code)) {
      if (absl::Status s =
              result.AddOwnLines(consolidator, *visit.unit, year,
                                 ChildOf(tree, node_code, visit.unit->code()));
          !s.ok()) {
        return s;
      }
    }
  } else {
    if (absl::Status s = result.AddOwnLines(consolidator, *tree.Find(node_code),
                                            year, std::string(node_code));
        !s.ok()) {
      return s;
    }
    for (const v1::Unit* child : tree.Children(node_code)) {
      if (absl::Status s = result.AddChild(consolidator, *child, year);
          !s.ok()) {
        return s;
      }
    }
  }
  if (absl::Status s =
          result.AddResidual(consolidator, node_code, year, placement);
      !s.ok()) {
    return s;
  }
  result.AddInternalFunding(consolidator, node_code, year, placement);
  return result;
}

absl::Status FactSources::AddOwnLines(const Consolidator& consolidator,
                                      const v1::Unit& unit, int32_t year,
                                      std::string child) {
  std::shared_ptr<const PackedBudget> budget =
      consolidator.Packed(unit.code(), year);
  if (budget == nullptr) return absl::OkStatus();
  if (budget->full_lines().empty()) {
    sources_.push_back(
        {unit.code(), std::move(child), false, nullptr, std::move(budget)});
    return absl::OkStatus();
  }
  // Project codes kept: this is where aggregates by project read them.
  absl::StatusOr<NodeRollup> own = LinesCountedAt(
      consolidator.tree(), *budget, unit.code(), ProjectDetail::kKept);
  if (!own.ok()) return own.status();
  sources_.push_back({unit.code(), std::move(child), false,
                      std::make_shared<const NodeRollup>(*std::move(own))});
  return absl::OkStatus();
}

absl::Status FactSources::AddChild(const Consolidator& consolidator,
                                   const v1::Unit& child, int32_t year) {
  if (!consolidator.tree().HasChildren(child.code())) {
    // A leaf's rollup is its own lines (Consolidator::Rollup).
    std::shared_ptr<const PackedBudget> budget =
        consolidator.Packed(child.code(), year);
    if (budget == nullptr) return absl::OkStatus();
    if (budget->full_lines().empty()) {
      sources_.push_back({"", child.code(), false, nullptr, std::move(budget)});
      return absl::OkStatus();
    }
  }
  if (std::shared_ptr<const NodeRollup> rollup =
          consolidator.Rollup(child.code(), year)) {
    sources_.push_back({"", child.code(), false, std::move(rollup)});
  }
  return absl::OkStatus();
}

absl::Status FactSources::AddResidual(const Consolidator& consolidator,
                                      absl::string_view node_code, int32_t year,
                                      Placement placement) {
  // A transfer line counts where its unit's facts were placed unless the
  // two sides meet there or below, and counts at the node unless they meet
  // there or below: the residual is the lines that meet in between. Each is
  // placed in the child where its sides meet ("" for the node itself), so
  // that a child's facts add up to its rollup even when placed by unit.
  const UnitTree& tree = consolidator.tree();
  std::map<std::string, NodeRollup> residuals;  // By child.
  for (const UnitTree::Visit& visit : tree.Subtree(node_code)) {
    std::shared_ptr<const PackedBudget> budget =
        consolidator.Packed(visit.unit->code(), year);
    if (budget == nullptr || budget->full_lines().empty()) continue;
    const std::string place =
        placement == Placement::kUnit
            ? visit.unit->code()
            : ChildOf(tree, node_code, visit.unit->code());
    for (const PackedLine& line : budget->lines()) {
      std::optional<TransferPair> transfer = budget->TransferOf(line);
      if (!transfer.has_value()) continue;
      const v1::Unit* meet = tree.LowestCommonAncestor(
          budget->unit_code(), CounterpartOf(*transfer, budget->unit_code()));
      if (meet == nullptr || !tree.IsWithin(meet->code(), node_code) ||
          tree.IsWithin(meet->code(), place)) {
        continue;
      }
      NodeRollup& residual =
          residuals[meet->code() == node_code
                        ? ""
                        : ChildOf(tree, node_code, meet->code())];
      CellAmount& cell = residual.expenditure[line.key];
      absl::StatusOr<int64_t> fen = CheckedSub(cell.fen, line.amount_fen());
      absl::StatusOr<int64_t> total =
          CheckedSub(residual.expenditure_fen, line.amount_fen());
      if (!fen.ok()) return fen.status();
      if (!total.ok()) return total.status();
      cell.fen = *fen;
      cell.lines -= 1;
      residual.expenditure_fen = *total;
    }
  }
  for (auto& [child, residual] : residuals) {
    sources_.push_back(
        {"", child, true,
         std::make_shared<const NodeRollup>(std::move(residual))});
  }
  return absl::OkStatus();
}

void FactSources::AddInternalFunding(const Consolidator& consolidator,
                                     absl::string_view node_code, int32_t year,
                                     Placement placement) {
  const NodeInternalFunding internal =
      NodeInternalFunding::Read(consolidator, node_code, year);
  if (internal.funding.empty()) return;
  // Placed as the receiver's own lines are; each adds up to nothing.
  std::map<std::pair<std::string, std::string>, NodeRollup> moves;
  for (const std::shared_ptr<const PackedBudget>& budget : internal.budgets) {
    const std::string& unit = budget->unit_code();
    NodeRollup& move = moves[std::make_pair(
        placement == Placement::kUnit ? unit : "",
        placement == Placement::kNone
            ? ""
            : ChildOf(consolidator.tree(), node_code, unit))];
    internal.funding.Relabel(
        *budget, /*keep_project=*/true,
        [&](const ExpenditureKey& key, const CellAmount& delta) {
          CellAmount& cell = move.expenditure[key];
          cell.fen += delta.fen;
          cell.lines += delta.lines;
        });
  }
  for (auto& [place, move] : moves) {
    if (move.expenditure.empty()) continue;
    sources_.push_back({place.first, place.second, false,
                        std::make_shared<const NodeRollup>(std::move(move))});
  }
}

}  // namespace budget
