// budget.v1 Aggregate and ListMembers messages to and from the aggregation
// engine's types (budget/aggregation), and paging of the rows. Pure
// functions; thread-safe.
#ifndef QUERY_SERVICE_AGGREGATE_TRANSLATION_H_
#define QUERY_SERVICE_AGGREGATE_TRANSLATION_H_

#include <string>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "budget/aggregation/aggregator.h"
#include "budget/v1/query_service.pb.h"

namespace query {

// INVALID_ARGUMENT for an unspecified dimension (naming its field).
absl::StatusOr<budget::Dimension> ToDimension(budget::v1::Dimension dimension,
                                              const char* field);
budget::v1::Dimension ToProto(budget::Dimension dimension);

// INVALID_ARGUMENT naming the field for unspecified dimensions, an order
// out of range, or compare_columns not each a stage or the control figures
// at most once. The query's columns are left to ToColumns.
absl::StatusOr<budget::AggregateQuery> ToQuery(
    const budget::v1::AggregateRequest& request);

// The query columns of request.compare_columns: a stage's consolidated
// budgets from `stage`, the control figures from `control`.
std::vector<budget::CompareColumn> ToColumns(
    const budget::v1::AggregateRequest& request,
    absl::FunctionRef<const budget::Consolidator&(budget::v1::BudgetStage)>
        stage,
    const budget::ControlLookup& control);

// The serialized AggregateResponse of the page the request asks for: its
// rows, the grand total, the next page token and total_rows (no
// revision). INVALID_ARGUMENT for a page size outside 0..10,000 or a
// malformed token.
absl::StatusOr<std::string> SerializePage(
    const budget::v1::AggregateRequest& request,
    const budget::AggregateResult& result);

}  // namespace query

#endif  // QUERY_SERVICE_AGGREGATE_TRANSLATION_H_
