#include "budget/tables/table_test_budgets.h"

namespace budget {

v1::ExpenditureLine* Line(v1::UnitBudget* budget, const std::string& function,
                          const std::string& dept, const std::string& gov,
                          v1::ExpenditureNature nature, int64_t tenths,
                          v1::FundingSource source,
                          const std::string& project) {
  v1::ExpenditureLine* line = budget->add_expenditures();
  line->set_function_code(function);
  line->set_dept_economic_code(dept);
  line->set_gov_economic_code(gov);
  line->set_nature(nature);
  line->set_funding_source(source);
  line->set_project_code(project);
  line->set_amount_fen(tenths * kWanTenth);
  return line;
}

void Income(v1::UnitBudget* budget, v1::FundingSource source, int64_t tenths,
            const std::string& counterpart) {
  v1::IncomeLine* line = budget->add_income();
  line->set_source(source);
  line->set_amount_fen(tenths * kWanTenth);
  line->set_counterpart_unit(counterpart);
}

}  // namespace budget
