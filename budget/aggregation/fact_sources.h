// Splits a node's consolidated expenditure into parts booked by known
// places — each unit's own lines, or each direct child's rollup — plus the
// residual that no place can be attributed (transfers eliminated at or
// below the node), so that the parts always add up to the node's rollup.
// Spending paid for by a transfer inside the node is read under the payer's
// sources, as the tables read it (InternalFunding): a part per place moves
// it, adding up to nothing.
// Internal to budget/aggregation.
//
// Shares every part's rollup or packed budget: the ones it computes (a
// unit's own lines, the residuals) and the Consolidator's, which must not
// change while a FactSources is alive (held rollups are updated in place).
// Not thread-safe (not needed: one aggregation builds and reads one).
#ifndef BUDGET_AGGREGATION_FACT_SOURCES_H_
#define BUDGET_AGGREGATION_FACT_SOURCES_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "budget/consolidation/consolidator.h"
#include "budget/consolidation/node_rollup.h"

namespace budget {

// How finely facts must be placed.
enum class Placement {
  kNone,   // One part: the node's rollup.
  kChild,  // One part per direct child, one for the node's own budget.
  kUnit,   // One part per unit with a budget, each knowing its child.
};

struct FactSource {
  std::string unit;   // "" unless placed by unit, and for the residual.
  std::string child;  // "" unless placed, and for the residual.
  bool residual = false;
  // The facts: `rollup`, or when it is null the lines of `lines`, each as
  // it is. A budget without transfer or memo lines counts every line as it
  // is at its unit (LinesCountedAt), so its facts are read straight from
  // the packed lines instead of summed into a rollup first.
  std::shared_ptr<const NodeRollup> rollup;
  std::shared_ptr<const PackedBudget> lines;
};

// The direct child of `node` that `unit` lies in; `node` itself for the
// node's own budget.
std::string ChildOf(const UnitTree& tree, absl::string_view node,
                    absl::string_view unit);

class FactSources {
 public:
  // Empty when the node has no rollup for the year. OUT_OF_RANGE on
  // overflow.
  static absl::StatusOr<FactSources> Build(const Consolidator& consolidator,
                                           absl::string_view node_code,
                                           int32_t year, Placement placement);

  const std::vector<FactSource>& sources() const { return sources_; }

 private:
  absl::Status AddOwnLines(const Consolidator& consolidator,
                           const v1::Unit& unit, int32_t year,
                           std::string child);
  // Adds the held rollup of `child`, or its own lines when it is a leaf.
  absl::Status AddChild(const Consolidator& consolidator, const v1::Unit& child,
                        int32_t year);
  absl::Status AddResidual(const Consolidator& consolidator,
                           absl::string_view node_code, int32_t year,
                           Placement placement);
  void AddInternalFunding(const Consolidator& consolidator,
                          absl::string_view node_code, int32_t year,
                          Placement placement);

  std::vector<FactSource> sources_;
};

}  // namespace budget

#endif  // BUDGET_AGGREGATION_FACT_SOURCES_H_
