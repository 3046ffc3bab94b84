// The consolidated figures of one node and year: every line of every unit
// below the node, summed per combination of classifications, with transfers
// between two units below the node eliminated. Plain data, built by the
// Consolidator and read by the disclosure tables, summaries and queries.
#ifndef BUDGET_CONSOLIDATION_NODE_ROLLUP_H_
#define BUDGET_CONSOLIDATION_NODE_ROLLUP_H_

#include <cstdint>

#include "absl/container/btree_map.h"
#include "budget/consolidation/expenditure_cells.h"
#include "budget/consolidation/expenditure_key.h"
#include "budget/v1/budget.pb.h"

namespace budget {

struct NodeRollup {
  // Expenditure cells, in no particular order; a cell whose lines all went
  // away is erased.
  ExpenditureCells expenditure;
  // Income per funding source; zero entries are erased.
  absl::btree_map<v1::FundingSource, int64_t> income;
  // Stated figures, summed over units.
  v1::OtherDisclosures other;
  // Totals of the maps above, kept in step with them.
  int64_t expenditure_fen = 0;
  int64_t income_fen = 0;
  // Number of units below the node (itself included) with a budget.
  int64_t budget_count = 0;

  // Income from `source`; 0 when there is none.
  int64_t IncomeFrom(v1::FundingSource source) const {
    auto found = income.find(source);
    return found == income.end() ? 0 : found->second;
  }
};

}  // namespace budget

#endif  // BUDGET_CONSOLIDATION_NODE_ROLLUP_H_
