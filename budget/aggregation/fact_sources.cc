#include "budget/aggregation/fact_sources.h"

#include <optional>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "budget/consolidation/rollup_change.h"
#include "budget/money.h"

namespace budget {
namespace {

// The direct child of `node` that `unit` lies in; `node` itself for the
// node's own budget.
std::string ChildOf(const UnitTree& tree, absl::string_view node,
                    absl::string_view unit) {
  std::string child(unit);
  for (const v1::Unit* step : tree.PathToRoot(unit)) {
    if (step->code() == node) return child;
    child = step->code();
  }
  return child;
}

int64_t LineCount(const NodeRollup& rollup) {
  int64_t lines = 0;
  for (const auto& [key, cell] : rollup.expenditure) lines += cell.lines;
  return lines;
}

// The sum of `of` over the parts; nullopt on overflow.
template <typename Of>
std::optional<int64_t> SumOver(const std::vector<FactSource>& sources, Of of) {
  MoneySum sum;
  for (const FactSource& source : sources) sum.Add(of(*source.rollup));
  if (!sum.ok()) return std::nullopt;
  return sum.value();
}

}  // namespace

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
      if (std::shared_ptr<const NodeRollup> rollup =
              consolidator.Rollup(child->code(), year)) {
        result.sources_.push_back({"", child->code(), false, rollup});
      }
    }
  }
  if (absl::Status s = result.AddResidual(*whole); !s.ok()) return s;
  return result;
}

absl::Status FactSources::AddOwnLines(const Consolidator& consolidator,
                                      const v1::Unit& unit, int32_t year,
                                      std::string child) {
  std::shared_ptr<const PackedBudget> budget =
      consolidator.Packed(unit.code(), year);
  if (budget == nullptr) return absl::OkStatus();
  // A path of the unit alone counts every line the unit's own rollup
  // counts: transfers to units below it are eliminated there already.
  absl::StatusOr<NodeRollup> own =
      RollupOfOwnLines(consolidator.tree(), unit, *budget);
  if (!own.ok()) return own.status();
  sources_.push_back({unit.code(), std::move(child), false,
                      std::make_shared<const NodeRollup>(*std::move(own))});
  return absl::OkStatus();
}

absl::Status FactSources::AddResidual(const NodeRollup& whole) {
  // Every cell of the residual is an elimination, never positive in amount
  // or lines; so when the parts' totals equal the whole's, every cell is
  // zero and the cell-by-cell difference below need not be taken. That is
  // the common case: no internal transfer meets at the node.
  if (SumOver(sources_, LineCount) == LineCount(whole) &&
      SumOver(sources_, [](const NodeRollup& part) {
        return part.expenditure_fen;
      }) == whole.expenditure_fen) {
    return absl::OkStatus();
  }
  absl::flat_hash_map<ExpenditureKey, CellAmount> rest = whole.expenditure;
  for (const FactSource& source : sources_) {
    for (const auto& [key, cell] : source.rollup->expenditure) {
      CellAmount& left = rest[key];
      absl::StatusOr<int64_t> fen = CheckedSub(left.fen, cell.fen);
      if (!fen.ok()) return fen.status();
      left.fen = *fen;
      left.lines -= cell.lines;
    }
  }
  NodeRollup residual;
  for (auto& [key, cell] : rest) {
    if (cell.fen == 0 && cell.lines == 0) continue;
    absl::StatusOr<int64_t> total =
        CheckedAdd(residual.expenditure_fen, cell.fen);
    if (!total.ok()) return total.status();
    residual.expenditure_fen = *total;
    residual.expenditure.emplace(key, cell);
  }
  if (residual.expenditure.empty()) return absl::OkStatus();
  sources_.push_back(
      {"", "", true, std::make_shared<const NodeRollup>(std::move(residual))});
  return absl::OkStatus();
}

}  // namespace budget
