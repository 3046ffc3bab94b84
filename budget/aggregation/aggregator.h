// Rollups of a node's consolidated expenditure: drilldown by any dimensions,
// cuts on any of them, subtotals, a grand total, a prior year beside each
// cell, and columns of other figures of the same year beside it: other
// stages of the budget cycle and the control figures (cycle.proto).
//
// Classification dimensions read the node's rollup. kUnit reads each unit's
// own lines and kChild each direct child's rollup (the node's own budget
// counts as a member of its own); what those cannot attribute — transfers
// eliminated at or below the node — is a residual row, so the rows of any
// drilldown always sum to the grand total, which is the node's consolidated
// expenditure under the cuts.
//
// Borrows the Consolidator and Catalog for the call; they must not change
// during it. Pure function; safe to call concurrently on inputs nobody
// writes.
#ifndef BUDGET_AGGREGATION_AGGREGATOR_H_
#define BUDGET_AGGREGATION_AGGREGATOR_H_

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/container/inlined_vector.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "budget/aggregation/dimension.h"
#include "budget/catalog/catalog.h"
#include "budget/consolidation/consolidator.h"
#include "budget/consolidation/node_rollup.h"
#include "budget/v1/cycle.pb.h"

namespace budget {

// Keeps the facts whose value on `dimension` is one of `values`.
struct AggregateCut {
  Dimension dimension = Dimension::kUnit;
  std::vector<std::string> values;
};

enum class RowOrder {
  kByKey,       // Members in code order; residual rows last.
  kAmountDesc,  // Largest first; ties in key order.
  kAmountAsc,   // Smallest first; ties in key order.
};

// The control figures last issued to a unit for a year, or null.
using ControlLookup = std::function<const v1::ControlFigures*(
    absl::string_view unit_code, int32_t year)>;

// Figures of fiscal_year set beside each cell (AggregateRow::columns).
struct CompareColumn {
  // Another stage's consolidated budgets; null for control figures.
  // Borrowed for the call.
  const Consolidator* stage = nullptr;
  // Where the control figures come from, when `stage` is null. Control
  // figures are per unit and bucket (a funding source, a nature or a
  // project), so they fit only a query that uses exactly one bucket
  // dimension besides kUnit and kChild (ControlBucket).
  ControlLookup control;
};

struct AggregateQuery {
  std::string node_code;
  int32_t fiscal_year = 0;
  int32_t compare_year = 0;  // 0: no prior year.
  // Where the compared figures come from when not `consolidator` itself:
  // another stage of the budget cycle (cycle.proto), of compare_year, or of
  // fiscal_year when compare_year is 0. Borrowed for the call.
  const Consolidator* compare_source = nullptr;
  std::vector<Dimension> drilldown;
  std::vector<AggregateCut> cuts;
  // A row for every proper prefix of the drilldown; rows are then ordered
  // as a tree, each subtotal before its detail.
  bool subtotals = false;
  // Masked rows (see AggregateRow::masked) have no amount to order by:
  // under kAmount* they come after their siblings, in key order.
  RowOrder order = RowOrder::kByKey;
  // A cleared reader sees classified projects in full. For any other, a cut
  // on kProject never keeps a classified project's facts, not even by the
  // masked value, so no cut isolates them.
  bool cleared = false;
  // Columns beside each cell, in this order.
  std::vector<CompareColumn> columns;
};

struct AggregateMember {
  std::string value;
  std::string name;
};

// The members one drilldown level takes in a result, each once: rows name
// them by index, so that a member's value and name are made once per
// aggregation, not once per row.
struct AggregateLevel {
  Dimension dimension = Dimension::kUnit;
  std::vector<AggregateMember> members;
};

struct AggregateRow {
  // Per drilldown level from the first, the index of the row's member in
  // AggregateResult::levels; fewer than the drilldown: subtotal.
  absl::InlinedVector<uint32_t, 4> members;
  CellAmount amount;
  CellAmount prior;  // Zero unless compare_year is set.
  // One per query column (empty when the query has none, or the row is
  // masked). In a control figures column, `lines` counts the control
  // amounts summed: 0 means no unit of the cell controls its bucket.
  std::vector<CellAmount> columns;
  bool subtotal = false;
  // Facts no unit or child can be attributed to. Their line count is
  // negative: the lines eliminated.
  bool residual = false;
  // A member is the masked project (the reader is not cleared): amount and
  // prior are withheld as zero. Enclosing subtotals and the grand total
  // still count them, as the published tables print "XXXX" yet sum it.
  bool masked = false;
};

struct AggregateResult {
  std::vector<AggregateLevel> levels;  // One per drilldown level.
  std::vector<AggregateRow> rows;
  AggregateRow grand_total;

  // The member of `row` at `level` (below row.members.size()).
  const AggregateMember& member(const AggregateRow& row, size_t level) const {
    return levels[level].members[row.members[level]];
  }
};

// What a residual member is called.
inline constexpr char kResidualName[] = "内部往来抵消";

// INVALID_ARGUMENT for a drilldown naming a dimension twice, or a control
// figures column on a query they do not fit (ControlBucket); NOT_FOUND when
// the node is unknown or has no budget for fiscal_year (a missing prior
// year is zero); OUT_OF_RANGE on overflow.
absl::StatusOr<AggregateResult> Aggregate(const Consolidator& consolidator,
                                          const Catalog& catalog,
                                          const AggregateQuery& query);

}  // namespace budget

#endif  // BUDGET_AGGREGATION_AGGREGATOR_H_
