// Consolidates unit budgets into every ancestor node: a department is the
// exact sum of its units, a city of its departments, at any depth.
//
// Transfers between two units of one tree (上级补助收入 against 对附属单位补助,
// 附属单位上缴收入 against 上缴上级支出) are eliminated at their lowest common
// ancestor and above, so they never count twice; Reconcile lists the pairs
// whose two sides disagree.
//
// ReplaceUnitBudget updates the rollups of the unit and its ancestors in time
// proportional to the lines of the old and new budget times the depth of the
// tree, never to the size of the tree.
//
// Owns the budgets it holds (shared, immutable). Does not own the UnitTree,
// which must outlive it and must not change while the Consolidator reads it.
// Not thread-safe: callers serialize writes and reads (the query service
// publishes snapshots instead).
#ifndef BUDGET_CONSOLIDATION_CONSOLIDATOR_H_
#define BUDGET_CONSOLIDATION_CONSOLIDATOR_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "budget/consolidation/node_rollup.h"
#include "budget/consolidation/unit_tree.h"
#include "budget/v1/budget.pb.h"

namespace budget {

// One side of an internal transfer that the other side does not match.
struct TransferMismatch {
  std::string payer_unit;    // Books the expenditure.
  std::string payee_unit;    // Books the income.
  v1::TransferKind kind = v1::TRANSFER_KIND_UNSPECIFIED;
  int64_t paid_fen = 0;      // Sum of the payer's transfer lines.
  int64_t received_fen = 0;  // Sum of the payee's matching income lines.
};

class Consolidator {
 public:
  explicit Consolidator(const UnitTree* tree);

  Consolidator(const Consolidator&) = delete;
  Consolidator& operator=(const Consolidator&) = delete;

  // Makes `budget` the current budget of its unit and year, replacing any
  // earlier one. FAILED_PRECONDITION when the unit is unknown or a GROUP
  // node; OUT_OF_RANGE when a sum would overflow (nothing is changed then).
  absl::Status ReplaceUnitBudget(std::shared_ptr<const v1::UnitBudget> budget);

  // Removes a unit's budget for a year (no-op when absent).
  absl::Status RemoveUnitBudget(absl::string_view unit_code, int32_t year);

  // The consolidated figures of a node; nullptr when nothing below it has a
  // budget for that year.
  const NodeRollup* Rollup(absl::string_view node_code, int32_t year) const;

  // The current budget of a unit; nullptr when none.
  const v1::UnitBudget* Budget(absl::string_view unit_code,
                               int32_t year) const;

  // Transfer pairs within `node_code`'s subtree whose sides disagree.
  std::vector<TransferMismatch> Reconcile(absl::string_view node_code,
                                          int32_t year) const;

  const UnitTree& tree() const { return *tree_; }

 private:
  const UnitTree* tree_;
  // implementation-defined
};

}  // namespace budget

#endif  // BUDGET_CONSOLIDATION_CONSOLIDATOR_H_
