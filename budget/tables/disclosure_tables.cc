#include "budget/tables/disclosure_tables.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "budget/tables/table_builders.h"
#include "budget/tables/table_context.h"

namespace budget {

absl::StatusOr<v1::DisclosureTable> BuildDisclosureTable(
    absl::string_view table_id, const TableRequest& request) {
  absl::string_view id = table_id;
  absl::ConsumePrefix(&id, "T");
  auto context = TableContext::Create(request);
  if (!context.ok()) return context.status();
  if (id == "01") return BuildIncomeExpenditureTable(*context);
  if (id == "02") return BuildIncomeTable(*context);
  if (id == "03") {
    return BuildFunctionByUnitTable(*context, FunctionTableScope::kAll);
  }
  if (id == "04") return BuildFiscalTable(*context);
  if (id == "05") return BuildGeneralPublicTable(*context);
  if (id == "06") return BuildBasicEconomicTable(*context);
  if (id == "07") return BuildEconomicSummaryTable(*context);
  if (id == "08") return BuildThreePublicTable(*context);
  if (id == "09") {
    return BuildFunctionByUnitTable(*context,
                                    FunctionTableScope::kGovernmentFund);
  }
  if (id == "10") {
    return BuildFunctionByUnitTable(*context,
                                    FunctionTableScope::kStateCapital);
  }
  if (id == "11") return BuildProjectTable(*context);
  if (id == "12") return BuildOverallGoalTable(*context);
  if (id == "13") return BuildProjectGoalTable(*context);
  return absl::InvalidArgumentError(
      absl::StrCat("unknown table \"", table_id, "\": expected 01 to 13"));
}

}  // namespace budget
