// What every table builder reads about one node and year: the consolidated
// rollup (internally funded spending under the payers' sources), the node's
// name, and the units below it that have a budget, in tree order. Internal to
// budget/tables. Borrows everything from the TableRequest; not thread-safe (not
// needed: one builder call uses one).
#ifndef BUDGET_TABLES_TABLE_CONTEXT_H_
#define BUDGET_TABLES_TABLE_CONTEXT_H_

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "budget/catalog/catalog.h"
#include "budget/consolidation/consolidator.h"
#include "budget/consolidation/internal_funding.h"
#include "budget/consolidation/node_rollup.h"
#include "budget/consolidation/packed_budget.h"
#include "budget/tables/disclosure_tables.h"
#include "budget/v1/tables.pb.h"

namespace budget {

struct TableContext {
  const TableRequest* request = nullptr;
  const Catalog* catalog = nullptr;
  // The node's consolidated figures, with spending paid for by transfers
  // between its units read under the payers' sources (InternalFunding).
  std::shared_ptr<const NodeRollup> rollup;
  const v1::Unit* node = nullptr;
  // Units at or below the node with a budget for the year, in tree order
  // (parents first, siblings in code order), each with its budget.
  class UnitBudgetRef {
   public:
    UnitBudgetRef(const v1::Unit* unit,
                  std::shared_ptr<const PackedBudget> budget)
        : unit(unit), budget(std::move(budget)) {}

    // The budget's projects, goals and the rest, unpacked on first use:
    // most tables never need them.
    const v1::UnitBudget& particulars() const;

    const v1::Unit* unit;
    std::shared_ptr<const PackedBudget> budget;

   private:
    mutable std::shared_ptr<const v1::UnitBudget> particulars_;
  };
  std::vector<UnitBudgetRef> units;
  // The transfers among `units`, for readers of a unit's own lines as
  // counted at the node (LinesCountedAt): relabel them as `rollup` is.
  std::shared_ptr<const NodeInternalFunding> internal_funding;

  // Validates the request and gathers the above.
  static absl::StatusOr<TableContext> Create(const TableRequest& request);

  // A table with id, title "<year> 年<name>", node and unit line filled in.
  v1::DisclosureTable NewTable(absl::string_view table_id,
                               absl::string_view name) const;
  // The rollup of another node of the same year; nullptr when none.
  std::shared_ptr<const NodeRollup> RollupOf(absl::string_view code) const;
};

}  // namespace budget

#endif  // BUDGET_TABLES_TABLE_CONTEXT_H_
