// One builder per published table layout, dispatched by
// BuildDisclosureTable. Internal to budget/tables; each reads only its
// TableContext. Pure functions; thread-compatible.
#ifndef BUDGET_TABLES_TABLE_BUILDERS_H_
#define BUDGET_TABLES_TABLE_BUILDERS_H_

#include "absl/status/statusor.h"
#include "budget/tables/table_context.h"
#include "budget/v1/tables.pb.h"

namespace budget {

// income_tables.cc
absl::StatusOr<v1::DisclosureTable> BuildIncomeExpenditureTable(  // 01
    const TableContext& context);
absl::StatusOr<v1::DisclosureTable> BuildIncomeTable(  // 02
    const TableContext& context);
absl::StatusOr<v1::DisclosureTable> BuildFiscalTable(  // 04
    const TableContext& context);

// function_tables.cc: the 03 layout, restricted to a fund for 09 and 10.
enum class FunctionTableScope { kAll, kGovernmentFund, kStateCapital };
absl::StatusOr<v1::DisclosureTable> BuildFunctionByUnitTable(  // 03 09 10
    const TableContext& context, FunctionTableScope scope);
absl::StatusOr<v1::DisclosureTable> BuildGeneralPublicTable(  // 05
    const TableContext& context);

// economic_tables.cc
absl::StatusOr<v1::DisclosureTable> BuildBasicEconomicTable(  // 06
    const TableContext& context);
absl::StatusOr<v1::DisclosureTable> BuildEconomicSummaryTable(  // 07
    const TableContext& context);
absl::StatusOr<v1::DisclosureTable> BuildThreePublicTable(  // 08
    const TableContext& context);

// project_tables.cc
absl::StatusOr<v1::DisclosureTable> BuildProjectTable(  // 11
    const TableContext& context);
absl::StatusOr<v1::DisclosureTable> BuildProjectGoalTable(  // 13
    const TableContext& context);

// performance_table.cc
absl::StatusOr<v1::DisclosureTable> BuildOverallGoalTable(  // 12
    const TableContext& context);

}  // namespace budget

#endif  // BUDGET_TABLES_TABLE_BUILDERS_H_
