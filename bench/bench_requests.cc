#include "bench/bench_requests.h"

#include <initializer_list>

namespace bench {

budget::v1::GetDisclosureTableRequest Table05Request(
    const std::string& department, int32_t fiscal_year) {
  budget::v1::GetDisclosureTableRequest request;
  request.set_node_code(department);
  request.set_fiscal_year(fiscal_year);
  request.set_table_id("05");
  return request;
}

namespace {

// Department's project lines by `drilldown`, with every subtotal, in one
// page.
budget::v1::AggregateRequest ProjectDrilldown(
    const std::string& department, int32_t fiscal_year,
    std::initializer_list<budget::v1::Dimension> drilldown) {
  budget::v1::AggregateRequest request;
  request.set_node_code(department);
  request.set_fiscal_year(fiscal_year);
  for (budget::v1::Dimension dimension : drilldown) {
    request.add_drilldown(dimension);
  }
  budget::v1::Cut* cut = request.add_cuts();
  cut->set_dimension(budget::v1::DIMENSION_NATURE);
  cut->add_values("PROJECT");
  request.set_subtotals(true);
  request.set_page_size(10000);
  return request;
}

}  // namespace

budget::v1::AggregateRequest DrilldownRequest(const std::string& department,
                                              int32_t fiscal_year) {
  return ProjectDrilldown(
      department, fiscal_year,
      {budget::v1::DIMENSION_CHILD, budget::v1::DIMENSION_DEPT_ECONOMIC_CLASS,
       budget::v1::DIMENSION_FUNCTION_CLASS});
}

budget::v1::AggregateRequest Drilldown2Request(const std::string& department,
                                               int32_t fiscal_year) {
  return ProjectDrilldown(department, fiscal_year,
                          {budget::v1::DIMENSION_FUNCTION_SECTION,
                           budget::v1::DIMENSION_FUNDING_SOURCE});
}

}  // namespace bench
