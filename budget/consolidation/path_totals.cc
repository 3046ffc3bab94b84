#include "budget/consolidation/path_totals.h"

#include <memory>

namespace budget {

std::vector<v1::NodeTotals> TotalsAlongPath(const Consolidator& consolidator,
                                            absl::string_view unit_code,
                                            int32_t fiscal_year,
                                            int64_t revision) {
  std::vector<v1::NodeTotals> path;
  for (const v1::Unit* node : consolidator.tree().PathToRoot(unit_code)) {
    std::shared_ptr<const NodeRollup> rollup =
        consolidator.Rollup(node->code(), fiscal_year);
    v1::NodeTotals& totals = path.emplace_back();
    totals.set_node_code(node->code());
    totals.set_fiscal_year(fiscal_year);
    totals.set_revision(revision);
    if (rollup != nullptr) {
      totals.set_income_fen(rollup->income_fen);
      totals.set_expenditure_fen(rollup->expenditure_fen);
    }
  }
  return path;
}

}  // namespace budget
