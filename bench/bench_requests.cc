#include "bench/bench_requests.h"

namespace bench {

budget::v1::GetDisclosureTableRequest Table05Request(
    const std::string& department, int32_t fiscal_year) {
  budget::v1::GetDisclosureTableRequest request;
  request.set_node_code(department);
  request.set_fiscal_year(fiscal_year);
  request.set_table_id("05");
  return request;
}

budget::v1::AggregateRequest DrilldownRequest(const std::string& department,
                                              int32_t fiscal_year) {
  budget::v1::AggregateRequest request;
  request.set_node_code(department);
  request.set_fiscal_year(fiscal_year);
  request.add_drilldown(budget::v1::DIMENSION_CHILD);
  request.add_drilldown(budget::v1::DIMENSION_DEPT_ECONOMIC_CLASS);
  request.add_drilldown(budget::v1::DIMENSION_FUNCTION_CLASS);
  budget::v1::Cut* cut = request.add_cuts();
  cut->set_dimension(budget::v1::DIMENSION_NATURE);
  cut->add_values("PROJECT");
  request.set_subtotals(true);
  request.set_page_size(10000);
  return request;
}

}  // namespace bench
