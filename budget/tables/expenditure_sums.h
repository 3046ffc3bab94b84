// Sums a node's consolidated expenditure cells into table rows: each cell
// goes to one group (a row key such as a function code) and to some amount
// columns of that row. Internal to budget/tables. Pure; thread-compatible.
#ifndef BUDGET_TABLES_EXPENDITURE_SUMS_H_
#define BUDGET_TABLES_EXPENDITURE_SUMS_H_

#include <string>
#include <vector>

#include "absl/container/btree_map.h"
#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "budget/consolidation/node_rollup.h"
#include "budget/tables/table_cells.h"
#include "budget/tables/table_context.h"

namespace budget {

using GroupSums = absl::btree_map<std::string, ColumnSums>;

// For every expenditure cell of `rollup`, `group` names its row ("" leaves
// the cell out) and `columns` the amount columns it adds to. OUT_OF_RANGE
// on overflow.
absl::StatusOr<GroupSums> SumExpenditure(
    const NodeRollup& rollup, int column_count,
    absl::FunctionRef<std::string(const ExpenditureKey&)> group,
    absl::FunctionRef<std::vector<int>(const ExpenditureKey&)> columns);

// The sum of every group, for the 合计 row.
absl::StatusOr<ColumnSums> SumGroups(const GroupSums& groups, int column_count);

// The groups in published order: each group at its first line, walking the
// units in tree order and each unit's lines in file order; `group` names a
// line's group as for SumExpenditure. Groups no line names follow in key
// order. The rule reproduces the reference's order of tables 03, 06 and 07
// given the line order of fixtures/zhengzhou-iit (see its README).
std::vector<std::string> OrderByUnits(
    const TableContext& context, const GroupSums& groups,
    absl::FunctionRef<std::string(const ExpenditureKey&)> group);

}  // namespace budget

#endif  // BUDGET_TABLES_EXPENDITURE_SUMS_H_
