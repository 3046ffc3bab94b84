// The consolidated budgets of every stage of the cycle (cycle.proto
// BudgetStage): one Consolidator per read stage (proposal, submission,
// approved, adjusted), each holding, per unit and year, the latest revision
// that counts for it (budget/cycle/stage.h); the adjusted one holds each
// approved budget with its adjustments applied. Also the latest control
// figures of each unit and year.
//
// Stages whose budgets have been the same so far share one Consolidator:
// revisions stored outside the cycle count as the submission and as the
// approved budget, and an approved budget nobody adjusted is its adjusted
// one, so a store without cycle revisions is consolidated once, not three
// times, and held once. The first write that counts for only some of the
// stages sharing a Consolidator gives the others a copy of it
// (Consolidator::Clone: budgets stay shared, rollups are copied), from then
// on written separately. Budgets are shared between separate stages too
// (the same PackedBudget when a revision counts for several).
//
// Borrows the tree, which must outlive it. Thread-compatible: the
// ConsolidatedView guards it with its lock.
#ifndef QUERY_SERVICE_STAGE_BUDGETS_H_
#define QUERY_SERVICE_STAGE_BUDGETS_H_

#include <array>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "budget/consolidation/consolidator.h"
#include "budget/consolidation/node_rollup.h"
#include "budget/consolidation/packed_budget.h"
#include "budget/consolidation/unit_tree.h"
#include "budget/v1/cycle.pb.h"

namespace query {

class StageBudgets {
 public:
  explicit StageBudgets(const budget::UnitTree* tree);

  // The consolidator of a read stage (UNSPECIFIED reads APPROVED).
  const budget::Consolidator& Stage(budget::v1::BudgetStage stage) const;

  // After `code` was added to the tree.
  absl::Status OnUnitAdded(absl::string_view code);

  // Every stage's held rollups that writes made due a compaction since the
  // last call, each once (the Consolidators are Compacting::kByCaller: the
  // ConsolidatedView builds their compactions outside its exclusive lock).
  std::vector<std::shared_ptr<budget::NodeRollup>> TakeDueRollups();

  // Applies a revision of `stage` to every stage it counts for. Returns the
  // read stage whose totals announce it (UNSPECIFIED and APPROVED revisions:
  // APPROVED).
  budget::v1::BudgetStage ApplyRevision(
      budget::v1::BudgetStage stage,
      std::shared_ptr<const budget::PackedBudget> packed);

  // Applies a cycle record: control figures replace the unit's earlier
  // ones; an adjustment re-derives the adjusted budget of each unit it
  // names. Returns the units whose adjusted budget changed.
  std::vector<std::string> ApplyRecord(const budget::v1::CycleRecord& record);

  // The control figures last issued to a unit for a year, or null.
  const budget::v1::ControlFigures* Control(absl::string_view unit_code,
                                            int32_t year) const;

 private:
  // Re-derives the adjusted budget of a unit and year from its approved
  // budget and adjustments (logged and left as it was on failure, which
  // only a defect causes: the ingest side checked each adjustment).
  void Readjust(const std::string& unit_code, int32_t year);

  // Read stages, by index into stages_.
  using StageSet = std::array<bool, 4>;
  // Gives every stage not in `written` that shares its Consolidator with
  // one in `written` a copy of it, so that writing the stages of `written`
  // changes no other.
  void Separate(const StageSet& written);
  // Calls `write` once per distinct Consolidator of the stages in `set`.
  template <typename Write>
  void ForEachConsolidator(const StageSet& set, Write write);

  // Indexed by read stage: PROPOSAL, SUBMISSION, APPROVED, ADJUSTED. Equal
  // pointers: stages that share one (see above).
  std::array<std::shared_ptr<budget::Consolidator>, 4> stages_;
  std::map<std::pair<std::string, int32_t>, std::vector<budget::v1::Adjustment>>
      adjustments_;
  std::map<std::pair<std::string, int32_t>, budget::v1::ControlFigures>
      control_;
};

}  // namespace query

#endif  // QUERY_SERVICE_STAGE_BUDGETS_H_
