// The totals a submission reports and the query service announces: income
// and expenditure of the unit and of every ancestor, after the change.
//
// Pure function over the Consolidator (reads it); thread-compatible.
#ifndef BUDGET_CONSOLIDATION_PATH_TOTALS_H_
#define BUDGET_CONSOLIDATION_PATH_TOTALS_H_

#include <cstdint>
#include <vector>

#include "absl/strings/string_view.h"
#include "budget/consolidation/consolidator.h"
#include "budget/v1/budget.pb.h"

namespace budget {

// One entry per node of the unit's path, unit first, each stamped with
// `revision`; zero amounts for a node with no budget below it.
std::vector<v1::NodeTotals> TotalsAlongPath(const Consolidator& consolidator,
                                            absl::string_view unit_code,
                                            int32_t fiscal_year,
                                            int64_t revision);

}  // namespace budget

#endif  // BUDGET_CONSOLIDATION_PATH_TOTALS_H_
