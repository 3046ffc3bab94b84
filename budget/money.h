// Exact money. Every amount in the project is an int64 count of fen
// (0.01 yuan); no floating-point type ever holds money. Text forms:
//   yuan  "1234.56"            what budget files and finance officers write
//   万元   "96,262.5"           what disclosure tables print (one decimal,
//                               thousands separators, rounded half up)
// All functions are pure and thread-safe.
#ifndef BUDGET_MONEY_H_
#define BUDGET_MONEY_H_

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace budget {

inline constexpr int64_t kFenPerYuan = 100;
// One printed unit of a disclosure table: 0.1 万元 = 1,000 yuan.
inline constexpr int64_t kFenPerWanTenth = 100'000;
inline constexpr int64_t kFenPerWan = 1'000'000;

// Parses yuan with at most two decimals: "1234.56", "-3", "0.5",
// "1,234.56" (separators must group by three). Rejects anything else,
// including values outside int64 fen, with INVALID_ARGUMENT.
absl::StatusOr<int64_t> ParseYuan(absl::string_view text);

// Prints fen as yuan with exactly two decimals and no separators: the form
// ParseYuan reads back ("1234.56", "-0.05").
std::string FormatYuan(int64_t fen);

// Parses a printed 万元 figure with at most one decimal ("96,262.5",
// "0.0", "4.2") into fen. Used for published expected values.
absl::StatusOr<int64_t> ParseWan(absl::string_view text);

// Rounds fen to a count of 0.1 万元, half away from zero (half up for the
// non-negative amounts budgets hold).
int64_t RoundToWanTenths(int64_t fen);

// Prints fen as 万元 with one decimal and thousands separators, rounding
// half up: 96262500000 -> "96,262.5".
std::string FormatWan(int64_t fen);

// a + b, or OUT_OF_RANGE instead of wrapping.
absl::StatusOr<int64_t> CheckedAdd(int64_t a, int64_t b);
// a - b, or OUT_OF_RANGE instead of wrapping.
absl::StatusOr<int64_t> CheckedSub(int64_t a, int64_t b);

// Accumulates amounts, remembering the first overflow. Not thread-safe.
//   MoneySum sum;
//   for (...) sum.Add(line.amount_fen());
//   if (!sum.ok()) return sum.status();
class MoneySum {
 public:
  MoneySum() = default;

  void Add(int64_t fen);
  void Subtract(int64_t fen);

  bool ok() const { return !overflowed_; }
  // OUT_OF_RANGE once any step overflowed; the value is then meaningless.
  absl::Status status() const;
  int64_t value() const { return value_; }

 private:
  int64_t value_ = 0;
  bool overflowed_ = false;
};

}  // namespace budget

#endif  // BUDGET_MONEY_H_
