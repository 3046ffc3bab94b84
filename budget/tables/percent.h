// Exact percentages for the explanatory figures (第二部分): shares of a whole
// and changes against the prior year, computed in integers and rounded half
// up to one decimal, as the published text prints them ("10.9%", "12.5%").
// Shared by the tables and the query service. Pure functions, thread-safe.
#ifndef BUDGET_TABLES_PERCENT_H_
#define BUDGET_TABLES_PERCENT_H_

#include <cstdint>
#include <optional>
#include <string>

#include "budget/v1/tables.pb.h"

namespace budget {

// part / whole in tenths of a percent, rounded half away from zero; nullopt
// when whole is zero. 10,512.4 of 96,262.5 -> 109 (10.9 %). Uses 128-bit
// intermediates, so any pair of int64 amounts is exact.
std::optional<int64_t> PercentTenths(int64_t part, int64_t whole);

// part / whole in basis points (1/100 of a percent), rounded the same way.
std::optional<int64_t> BasisPoints(int64_t part, int64_t whole);

// Prints tenths of a percent: 109 -> "10.9%", -5 -> "-0.5%".
std::string FormatPercentTenths(int64_t tenths);

// A share with its printed percent; the percent is empty when whole is 0.
v1::Share MakeShare(int64_t part_fen, int64_t whole_fen);

// The change from prior_fen to current_fen; the percent fields stay unset
// when the prior amount is zero.
v1::Change MakeChange(int64_t prior_fen, int64_t current_fen);

}  // namespace budget

#endif  // BUDGET_TABLES_PERCENT_H_
