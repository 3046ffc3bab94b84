// The requests the benchmarks send, built the same way by the load
// generator and the visibility probe so that both measure the same work:
// table 05 of a department, and a three-level drilldown of the department
// (child unit × 部门经济分类 类 × 功能分类 类, project lines only, with
// subtotals) that bench/sql/drilldown_*.sql compute, and a two-level one
// with a cut (功能分类 款 × 资金来源 of the project lines, with subtotals:
// which fields the department's projects spend on, and whose money pays),
// bench/sql/drilldown2_*.sql.
//
// Pure functions; thread-safe.
#ifndef BENCH_BENCH_REQUESTS_H_
#define BENCH_BENCH_REQUESTS_H_

#include <string>

#include "budget/v1/query_service.pb.h"

namespace bench {

budget::v1::GetDisclosureTableRequest Table05Request(
    const std::string& department, int32_t fiscal_year);

budget::v1::AggregateRequest DrilldownRequest(const std::string& department,
                                              int32_t fiscal_year);

budget::v1::AggregateRequest Drilldown2Request(const std::string& department,
                                               int32_t fiscal_year);

}  // namespace bench

#endif  // BENCH_BENCH_REQUESTS_H_
