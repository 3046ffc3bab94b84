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
// Memory is what the services' size is bound by, so budgets are held packed
// (PackedBudget) and rollups are held only for nodes with children: a leaf's
// rollup is its own lines, built when asked for.
//
// Owns the budgets it holds (shared, immutable). Does not own the UnitTree,
// which must outlive it. The tree may grow while budgets are held, provided
// every UnitTree::Add is followed by OnUnitAdded before the next call here:
// a new node changes no held rollup except where a held transfer names it as
// counterpart, and only those budgets are re-applied. A held rollup returned
// by Rollup is updated in place by later writes, so readers use it only
// until the next write. Not thread-safe: callers serialize writes and reads
// (the query service wraps it in a lock).
#ifndef BUDGET_CONSOLIDATION_CONSOLIDATOR_H_
#define BUDGET_CONSOLIDATION_CONSOLIDATOR_H_

#include <cstdint>
#include <memory>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/container/btree_set.h"
#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "budget/consolidation/node_rollup.h"
#include "budget/consolidation/packed_budget.h"
#include "budget/consolidation/rollup_change.h"
#include "budget/consolidation/unit_tree.h"
#include "budget/v1/budget.pb.h"

namespace budget {

// One side of an internal transfer that the other side does not match.
struct TransferMismatch {
  std::string payer_unit;  // Books the expenditure.
  std::string payee_unit;  // Books the income.
  v1::TransferKind kind = v1::TRANSFER_KIND_UNSPECIFIED;
  int64_t paid_fen = 0;      // Sum of the payer's transfer lines.
  int64_t received_fen = 0;  // Sum of the payee's matching income lines.
};

class Consolidator {
 public:
  // Who compacts a held rollup's cells when writes make it due
  // (ExpenditureCells::CompactionDue).
  enum class Compacting {
    // The write that makes it due, in place (~140 ms for 300,000 cells).
    kOnWrite,
    // The caller: writes note the rollups due and TakeDueRollups hands them
    // over, so that a caller whose readers wait on its writes builds the
    // compactions while they read (ExpenditureCells::Compacted) and only
    // swaps them in while they wait; or, through a bulk load that writes
    // each rollup many times in a row, compacts them once at its end.
    kByCaller,
  };

  explicit Consolidator(const UnitTree* tree,
                        Compacting compacting = Compacting::kOnWrite);

  Consolidator(const Consolidator&) = delete;
  Consolidator& operator=(const Consolidator&) = delete;

  // An independent copy on the same tree: the same budgets (shared, they
  // are immutable) and copies of the held rollups, so that writes to one
  // leave the other as it was. Time and memory proportional to the rollups
  // and the number of budgets, not to their lines.
  std::unique_ptr<Consolidator> Clone() const;

  // With Compacting::kByCaller, the held rollups that writes made due a
  // compaction since the last call, each once. Whoever compacts them must
  // hold off every write to them meanwhile. Always empty with kOnWrite,
  // but during a bulk load (below), whose EndBulkLoad takes them itself.
  std::vector<std::shared_ptr<NodeRollup>> TakeDueRollups();

  // A load that writes each held rollup many times in a row (a start
  // replaying the store's latest budgets) brackets its writes with these:
  // in between, with kOnWrite, a write leaves a rollup it makes due a
  // compaction as it is, and EndBulkLoad compacts each such rollup once,
  // in place. Compacting on write refolds a large rollup again and again
  // as it grows, and each write to it first searches the compacted part;
  // at 100,000 budgets that was a quarter of an ingest service's start.
  // With kByCaller, whose caller compacts, both do nothing.
  void BeginBulkLoad();
  void EndBulkLoad();

  // Makes `budget` the current budget of its unit and year, replacing any
  // earlier one. INVALID_ARGUMENT for a null budget or a negative amount;
  // FAILED_PRECONDITION when the unit is unknown or a GROUP
  // node; OUT_OF_RANGE when the budget's own totals or any node's sum would
  // overflow. Nothing is changed on error.
  absl::Status ReplaceUnitBudget(std::shared_ptr<const v1::UnitBudget> budget);
  // The same for a budget already packed (e.g. one held earlier).
  absl::Status ReplacePackedBudget(std::shared_ptr<const PackedBudget> budget);
  // What ReplacePackedBudget would answer for `budget`, changing nothing:
  // for a submission only validated (validate_only, ValidateBudget), which
  // must be refused for an overflow above the unit as a stored one is.
  absl::Status CheckReplacement(const PackedBudget& budget) const;

  // Removes a unit's budget for a year (no-op when absent). Cannot fail for
  // budgets ReplaceUnitBudget accepted; the status is for symmetry.
  absl::Status RemoveUnitBudget(absl::string_view unit_code, int32_t year);

  // Re-applies the held budgets whose transfer lines name `code`, just added
  // to the tree, as counterpart: while it was unknown their lines counted
  // everywhere on their path; now they are eliminated at the lowest common
  // ancestor. Work is proportional to those budgets, not to the tree.
  // Cannot fail for budgets ReplaceUnitBudget accepted (eliminating only
  // lowers sums); the status reports a defect.
  absl::Status OnUnitAdded(absl::string_view code);

  // The consolidated figures of a node; nullptr when nothing below it has a
  // budget for that year. Built from the budget, in time proportional to its
  // lines, for a node without children.
  std::shared_ptr<const NodeRollup> Rollup(absl::string_view node_code,
                                           int32_t year) const;

  // The current budget of a unit, as held; nullptr when none.
  std::shared_ptr<const PackedBudget> Packed(absl::string_view unit_code,
                                             int32_t year) const;
  // The current budget of a unit as submitted, unpacked (time proportional
  // to its size); nullptr when none.
  std::shared_ptr<const v1::UnitBudget> Budget(absl::string_view unit_code,
                                               int32_t year) const;

  // Transfer pairs whose lowest common ancestor lies within `node_code`'s
  // subtree and whose sides disagree, one side missing included; ordered by
  // payer, payee, kind. Work is proportional to the year's disagreeing
  // pairs (held apart as budgets come and go), not to the subtree.
  std::vector<TransferMismatch> Reconcile(absl::string_view node_code,
                                          int32_t year) const;

  // The units on either side of a transfer booked by a held budget whose
  // two sides both lie within `node_code`'s subtree, in code order: the
  // budgets InternalFunding reads for that node. Work is proportional to
  // the year's transfers, not to the subtree.
  std::vector<std::string> UnitsTransferringWithin(absl::string_view node_code,
                                                   int32_t year) const;

  const UnitTree& tree() const { return *tree_; }

 private:
  // An internal transfer: payer, payee, kind.
  using TransferKey = std::tuple<std::string, std::string, v1::TransferKind>;
  // What the held budgets book of one transfer: the payer's lines, the
  // payee's income. Each side sums lines of one budget, so neither can
  // overflow for budgets ReplaceUnitBudget accepted.
  struct TransferSides {
    int64_t paid_fen = 0;
    int64_t received_fen = 0;
  };

  struct YearState {
    absl::flat_hash_map<std::string, std::shared_ptr<const PackedBudget>>
        budgets;
    // Every transfer a held budget books, whatever the tree knows of its
    // counterpart; those whose sides disagree are also kept in order.
    absl::flat_hash_map<TransferKey, TransferSides> transfers;
    absl::btree_set<TransferKey> disagreeing;
    // Nodes with children only. Boxed so that a rollup keeps its address
    // while others come and go.
    absl::flat_hash_map<std::string, std::shared_ptr<NodeRollup>> rollups;
  };

  using BudgetKey = std::pair<std::string, int32_t>;  // Unit, year.

  // Moves a unit from its current budget, counted in the rollups as
  // `counted` (null: none), to `next` (null: none), all nodes on its path or
  // none.
  absl::Status Update(const std::string& unit_code, int32_t year,
                      const PackedBudget* counted,
                      std::shared_ptr<const PackedBudget> next);

  // ReplacePackedBudget's checks of `budget` itself and of its unit.
  absl::Status CheckReplaceable(const PackedBudget& budget) const;

  // OUT_OF_RANGE, naming the node, when a change of `changes` (one per
  // node of `path`, PathToRoot of `unit_code`) does not fit its held
  // rollup. Writes nothing.
  absl::Status CheckPath(const std::string& unit_code, int32_t year,
                         const std::vector<const v1::Unit*>& path,
                         const std::vector<NodeRollup>& changes) const;
  // Adds the changes CheckPath accepted, and `cells` (null: none) per node
  // beside them (PathAddition), to the held rollups of `path`.
  void CommitPath(int32_t year, const std::vector<const v1::Unit*>& path,
                  const std::vector<NodeRollup>& changes,
                  const std::vector<CellList>* cells);
  // Makes `next` (null: none) the unit's held budget for the year.
  void Hold(const std::string& unit_code, int32_t year,
            std::shared_ptr<const PackedBudget> next);

  // After a write to a held rollup: compacts it, or notes it due, when due.
  void Written(const std::shared_ptr<NodeRollup>& rollup);

  // Adds (sign 1) or removes (sign -1) the transfer sides `budget` books.
  static void CountTransfers(YearState& state, const PackedBudget& budget,
                             int64_t sign);

  // Adds (or removes) `budget` under every counterpart code its transfers
  // name that the tree does not know yet.
  void IndexUnresolved(const PackedBudget& budget, bool add);

  // Gives `node_code`, which just gained its first child `added`, a held
  // rollup of its own budgets.
  absl::Status HoldRollupsOf(absl::string_view node_code,
                             absl::string_view added);

  const UnitTree* tree_;
  const Compacting compacting_;
  bool bulk_loading_ = false;  // Between BeginBulkLoad and EndBulkLoad.
  absl::flat_hash_map<int32_t, YearState> years_;
  // Held rollups due a compaction (kByCaller, or during a bulk load), until
  // TakeDueRollups or EndBulkLoad; one dropped from years_ meanwhile is kept
  // alive here, harmlessly.
  absl::flat_hash_set<std::shared_ptr<NodeRollup>> due_;
  // Counterpart codes not in the tree -> the held budgets naming them.
  absl::flat_hash_map<std::string, absl::flat_hash_set<BudgetKey>> unresolved_;
};

}  // namespace budget

#endif  // BUDGET_CONSOLIDATION_CONSOLIDATOR_H_
