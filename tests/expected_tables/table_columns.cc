#include "tests/expected_tables/table_columns.h"

#include <map>

namespace expected_tables {

const std::vector<std::string>& TableColumns(const std::string& table_id) {
  // 03, 09 and 10 share one layout (budget/tables/function_tables.cc), and
  // 05 is it without the unit column and with the code in one cell.
  static const std::vector<std::string> kByFunction = {"lei",
                                                       "kuan",
                                                       "xiang",
                                                       "unit_code",
                                                       "name",
                                                       "total",
                                                       "basic_total",
                                                       "wages_welfare",
                                                       "individual_family",
                                                       "goods_services",
                                                       "capital",
                                                       "project_total",
                                                       "other_operating",
                                                       "specific_target"};
  static const auto* kColumns =
      new std::map<std::string, std::vector<std::string>>{
          {"01",
           {"income_item", "income_amount", "expenditure_item",
            "expenditure_amount"}},
          {"02",
           {"code",
            "name",
            "total",
            "income_total",
            "gpb_subtotal",
            "gpb_fiscal",
            "gov_fund",
            "state_capital",
            "fiscal_special_account",
            "business_income",
            "operating_income",
            "subsidy_from_superior",
            "remittance_from_subordinate",
            "other_income",
            "carryover_total",
            "carryover_gpb",
            "carryover_gov_fund",
            "carryover_state_capital",
            "carryover_fiscal_special_account",
            "carryover_unit_funds"}},
          {"03", kByFunction},
          {"04",
           {"income_item", "income_amount", "expenditure_item", "total",
            "gpb_subtotal", "gpb_fiscal", "gov_fund", "state_capital"}},
          {"05",
           {"code", "name", "total", "basic_total", "wages_welfare",
            "individual_family", "goods_services", "capital", "project_total",
            "other_operating", "specific_target"}},
          {"06",
           {"dept_code", "dept_name", "gov_code", "gov_name", "total",
            "personnel", "public"}},
          {"07",
           {"dept_lei", "dept_kuan", "dept_name", "gov_lei", "gov_kuan",
            "gov_name", "total", "gpb_subtotal", "gpb_fiscal", "gov_fund",
            "state_capital", "carryover", "fiscal_special_account",
            "business_income", "subsidy_from_superior",
            "remittance_from_subordinate", "operating_income",
            "business_fund_makeup", "other_income"}},
          {"08",
           {"total", "overseas", "vehicle_subtotal", "vehicle_purchase",
            "vehicle_operation", "reception"}},
          {"09", kByFunction},
          {"10", kByFunction},
          {"11",
           {"category", "name", "unit", "total", "gpb", "gov_fund",
            "state_capital", "carryover_gpb", "carryover_gov_fund",
            "carryover_state_capital", "fiscal_special_account", "unit_funds"}},
      };
  static const std::vector<std::string> kNone;
  auto it = kColumns->find(table_id);
  return it == kColumns->end() ? kNone : it->second;
}

}  // namespace expected_tables
