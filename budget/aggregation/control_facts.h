// Control figures (一下 控制数, cycle.proto ControlFigures) as facts an
// aggregation can group beside the budgets: one per unit below a node and
// controlled bucket of the one bucket dimension the query uses. A control
// figure bounds a unit's spending in a single bucket (a funding source, a
// nature or a project), never a combination of them nor any other
// classification, so only such queries have control figures per cell.
// Internal to budget/aggregation.
//
// Pure functions; thread-safe on inputs nobody writes.
#ifndef BUDGET_AGGREGATION_CONTROL_FACTS_H_
#define BUDGET_AGGREGATION_CONTROL_FACTS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "budget/aggregation/aggregator.h"
#include "budget/aggregation/dimension.h"
#include "budget/consolidation/unit_tree.h"

namespace budget {

// One controlled amount of one unit.
struct ControlFact {
  std::string unit;
  std::string child;  // The direct child of the node the unit lies in.
  std::string value;  // The bucket as a member of the bucket dimension.
  int64_t fen = 0;
};

// The bucket dimension of `query`: the one of kFundingSource, kNature and
// kProject its drilldown and cuts use. INVALID_ARGUMENT naming the
// dimension when they use another one besides kUnit and kChild, two of
// them, or none.
absl::StatusOr<Dimension> ControlBucket(const AggregateQuery& query);

// The control figures of every unit below `node_code` (itself included) in
// `bucket`. A project reads as kMaskedProject unless `cleared` or it is in
// `unclassified` (projects of the unit's budgets not declared classified):
// a project nobody declared is masked too, so masking never leaks.
std::vector<ControlFact> ControlFacts(
    const UnitTree& tree, absl::string_view node_code, int32_t year,
    Dimension bucket, const ControlLookup& control, bool cleared,
    const absl::flat_hash_set<std::string>& unclassified);

}  // namespace budget

#endif  // BUDGET_AGGREGATION_CONTROL_FACTS_H_
