#include "budget/tables/percent.h"

#include "absl/strings/str_format.h"

namespace budget {
namespace {

// round(part * scale / whole), half away from zero, exact.
std::optional<int64_t> ScaledRatio(int64_t part, int64_t whole, int64_t scale) {
  if (whole == 0) return std::nullopt;
  __int128 numerator = static_cast<__int128>(part) * scale;
  __int128 denominator = whole;
  if (denominator < 0) {
    numerator = -numerator;
    denominator = -denominator;
  }
  const bool negative = numerator < 0;
  if (negative) numerator = -numerator;
  const __int128 rounded = (2 * numerator + denominator) / (2 * denominator);
  return static_cast<int64_t>(negative ? -rounded : rounded);
}

}  // namespace

std::optional<int64_t> PercentTenths(int64_t part, int64_t whole) {
  return ScaledRatio(part, whole, 1000);
}

std::optional<int64_t> BasisPoints(int64_t part, int64_t whole) {
  return ScaledRatio(part, whole, 10000);
}

std::string FormatPercentTenths(int64_t tenths) {
  const char* sign = tenths < 0 ? "-" : "";
  const uint64_t magnitude =
      tenths < 0 ? -static_cast<uint64_t>(tenths) : tenths;
  return absl::StrFormat("%s%d.%d%%", sign, magnitude / 10, magnitude % 10);
}

v1::Share MakeShare(int64_t part_fen, int64_t whole_fen) {
  v1::Share share;
  share.set_part_fen(part_fen);
  share.set_whole_fen(whole_fen);
  if (auto tenths = PercentTenths(part_fen, whole_fen)) {
    share.set_percent(FormatPercentTenths(*tenths));
  }
  return share;
}

v1::Change MakeChange(int64_t prior_fen, int64_t current_fen) {
  v1::Change change;
  change.set_prior_fen(prior_fen);
  // Amounts are bounded far below int64 range by MoneySum checks upstream;
  // the difference of two non-negative int64 values cannot overflow.
  change.set_change_fen(current_fen - prior_fen);
  const int64_t delta = current_fen - prior_fen;
  if (auto bp = BasisPoints(delta, prior_fen)) {
    change.set_change_basis_points(*bp);
    change.set_change_percent(
        FormatPercentTenths(*PercentTenths(delta, prior_fen)));
  }
  return change;
}

}  // namespace budget
