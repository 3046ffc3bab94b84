// Builders of budget lines for the table tests, in 0.1 万元 as the tables
// print them. Test-only; plain functions, no state.
#ifndef BUDGET_TABLES_TABLE_TEST_BUDGETS_H_
#define BUDGET_TABLES_TABLE_TEST_BUDGETS_H_

#include <cstdint>
#include <string>

#include "budget/v1/budget.pb.h"

namespace budget {

inline constexpr int64_t kWanTenth = 100'000;  // 0.1 万元 in fen.

// Appends an expenditure line of `tenths` 0.1 万元 with the given codes,
// nature, money and project; returns it for further fields.
v1::ExpenditureLine* Line(
    v1::UnitBudget* budget, const std::string& function,
    const std::string& dept, const std::string& gov,
    v1::ExpenditureNature nature, int64_t tenths,
    v1::FundingSource source = v1::FUNDING_SOURCE_GENERAL_PUBLIC_BUDGET,
    const std::string& project = "");

// Appends an income line of `tenths` 0.1 万元, naming `counterpart` for a
// transfer.
void Income(v1::UnitBudget* budget, v1::FundingSource source, int64_t tenths,
            const std::string& counterpart = "");

}  // namespace budget

#endif  // BUDGET_TABLES_TABLE_TEST_BUDGETS_H_
