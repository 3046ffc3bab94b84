#include "budget/money.h"

#include <algorithm>
#include <cstdlib>
#include <limits>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"

namespace budget {
namespace {

// Parses "[-]digits[.fraction]" where digits may carry thousands separators
// grouped by three and fraction has at most max_decimals digits. Returns the
// value scaled by 10^max_decimals.
absl::StatusOr<int64_t> ParseScaledDecimal(absl::string_view text,
                                           int max_decimals,
                                           absl::string_view what) {
  const std::string original(text);
  auto invalid = [&](absl::string_view why) {
    return absl::InvalidArgumentError(absl::StrCat(
        "not a ", what, " amount: \"", original, "\" (", why, ")"));
  };
  text = absl::StripAsciiWhitespace(text);
  // What office tools write instead of a plain number, named, so that the
  // finding says what to change.
  if (absl::StrContains(text, "元") || absl::StrContains(text, "万")) {
    return invalid("a unit written in the amount: write the number alone");
  }
  if (std::any_of(text.begin(), text.end(), [](char c) {
        return static_cast<unsigned char>(c) >= 0x80;
      })) {
    return invalid(
        "a character other than 0-9, '.', ',' and a sign, such as a "
        "full-width digit: write 0-9");
  }
  if (absl::StartsWith(text, "(")) {
    return invalid("parentheses are not a minus sign");
  }
  bool negative = false;
  if (!text.empty() && (text[0] == '-' || text[0] == '+')) {
    negative = text[0] == '-';
    text.remove_prefix(1);
  }
  absl::string_view integer = text;
  absl::string_view fraction;
  if (size_t dot = text.find('.'); dot != absl::string_view::npos) {
    integer = text.substr(0, dot);
    fraction = text.substr(dot + 1);
    if (fraction.empty()) return invalid("no digits after the point");
  }
  if (integer.empty()) return invalid("no digits before the point");
  if (fraction.size() > static_cast<size_t>(max_decimals)) {
    return invalid(absl::StrCat("at most ", max_decimals, " decimals"));
  }
  // Separators are optional, but when present they must group by three.
  std::string digits;
  if (integer.find(',') != absl::string_view::npos) {
    std::vector<absl::string_view> groups = absl::StrSplit(integer, ',');
    for (size_t i = 0; i < groups.size(); ++i) {
      const size_t n = groups[i].size();
      if (n == 0 || n > 3 || (i > 0 && n != 3)) {
        return invalid("misplaced thousands separator");
      }
    }
    digits = absl::StrJoin(groups, "");
  } else {
    digits = std::string(integer);
  }
  digits.append(fraction.data(), fraction.size());
  digits.append(max_decimals - fraction.size(), '0');
  __int128 value = 0;
  for (const char c : digits) {
    if (!absl::ascii_isdigit(c)) return invalid("unexpected character");
    value = value * 10 + (c - '0');
    if (value > std::numeric_limits<int64_t>::max()) {
      return absl::OutOfRangeError(
          absl::StrCat(what, " amount out of range: \"", original, "\""));
    }
  }
  const int64_t result = static_cast<int64_t>(value);
  return negative ? -result : result;
}

// Inserts thousands separators into a run of decimal digits.
std::string GroupThousands(absl::string_view digits) {
  std::string out;
  out.reserve(digits.size() + digits.size() / 3);
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out.push_back(',');
    out.push_back(digits[i]);
  }
  return out;
}

}  // namespace

absl::StatusOr<int64_t> ParseYuan(absl::string_view text) {
  return ParseScaledDecimal(text, 2, "yuan");
}

std::string FormatYuan(int64_t fen) {
  // Work in unsigned magnitude so that INT64_MIN prints correctly.
  const bool negative = fen < 0;
  const uint64_t magnitude =
      negative ? 0 - static_cast<uint64_t>(fen) : static_cast<uint64_t>(fen);
  return absl::StrFormat("%s%d.%02d", negative ? "-" : "", magnitude / 100,
                         magnitude % 100);
}

absl::StatusOr<int64_t> ParseWan(absl::string_view text) {
  absl::StatusOr<int64_t> tenths = ParseScaledDecimal(text, 1, "万元");
  if (!tenths.ok()) return tenths.status();
  if (*tenths > std::numeric_limits<int64_t>::max() / kFenPerWanTenth ||
      *tenths < std::numeric_limits<int64_t>::min() / kFenPerWanTenth) {
    return absl::OutOfRangeError(
        absl::StrCat("万元 amount out of range: \"", text, "\""));
  }
  return *tenths * kFenPerWanTenth;
}

int64_t RoundToWanTenths(int64_t fen) {
  const __int128 wide = fen;
  const __int128 half = kFenPerWanTenth / 2;
  const __int128 rounded = wide >= 0 ? (wide + half) / kFenPerWanTenth
                                     : -((-wide + half) / kFenPerWanTenth);
  return static_cast<int64_t>(rounded);
}

std::string FormatWan(int64_t fen) {
  const int64_t tenths = RoundToWanTenths(fen);
  const bool negative = tenths < 0;
  const uint64_t magnitude = negative ? 0 - static_cast<uint64_t>(tenths)
                                      : static_cast<uint64_t>(tenths);
  return absl::StrCat(negative ? "-" : "",
                      GroupThousands(absl::StrCat(magnitude / 10)), ".",
                      magnitude % 10);
}

absl::StatusOr<int64_t> CheckedAdd(int64_t a, int64_t b) {
  int64_t sum;
  if (__builtin_add_overflow(a, b, &sum)) {
    return absl::OutOfRangeError(
        absl::StrCat("amount overflow: ", a, " + ", b, " fen exceeds int64"));
  }
  return sum;
}

absl::StatusOr<int64_t> CheckedSub(int64_t a, int64_t b) {
  int64_t difference;
  if (__builtin_sub_overflow(a, b, &difference)) {
    return absl::OutOfRangeError(
        absl::StrCat("amount overflow: ", a, " - ", b, " fen exceeds int64"));
  }
  return difference;
}

void MoneySum::Add(int64_t fen) {
  if (__builtin_add_overflow(value_, fen, &value_)) overflowed_ = true;
}

void MoneySum::Subtract(int64_t fen) {
  if (__builtin_sub_overflow(value_, fen, &value_)) overflowed_ = true;
}

absl::Status MoneySum::status() const {
  if (!overflowed_) return absl::OkStatus();
  return absl::OutOfRangeError("amount overflow: sum exceeds int64 fen");
}

}  // namespace budget
