#include "budget/money.h"

#include <cstdint>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace budget {
namespace {

using ::testing::HasSubstr;

TEST(ParseYuanTest, AcceptsPlainAndGroupedForms) {
  EXPECT_EQ(*ParseYuan("1234.56"), 123456);
  EXPECT_EQ(*ParseYuan("0.5"), 50);
  EXPECT_EQ(*ParseYuan("3"), 300);
  EXPECT_EQ(*ParseYuan("-3.01"), -301);
  EXPECT_EQ(*ParseYuan(" 1,234,567.89 "), 123456789);
}

TEST(ParseYuanTest, RejectsMalformedText) {
  for (const char* bad : {"", "abc", "1.234", "1.", ".5", "12,34.00", "1,2345",
                          ",123", "1..2", "1e3", "--1", "1 000"}) {
    absl::StatusOr<int64_t> parsed = ParseYuan(bad);
    EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument)
        << "input \"" << bad << "\"";
  }
}

// What office tools write instead of a plain number is refused with the
// reason, not as a number with too many decimals.
TEST(ParseYuanTest, NamesWhyAnOfficeFormIsRefused) {
  for (const auto& [text, why] :
       std::vector<std::pair<std::string, std::string>>{
           {"８３７０５２９.００", "full-width digit"},
           {"8370529.00元", "a unit written in the amount"},
           {"(2277530.00)", "parentheses are not a minus sign"}}) {
    absl::StatusOr<int64_t> parsed = ParseYuan(text);
    ASSERT_FALSE(parsed.ok()) << text;
    EXPECT_NE(parsed.status().message().find(why), absl::string_view::npos)
        << parsed.status().message();
  }
}

TEST(ParseYuanTest, RejectsValuesBeyondInt64Fen) {
  EXPECT_EQ(ParseYuan("92233720368547758.07").value(),
            std::numeric_limits<int64_t>::max());
  EXPECT_EQ(ParseYuan("92233720368547758.08").status().code(),
            absl::StatusCode::kOutOfRange);
}

TEST(FormatYuanTest, RoundTripsThroughParse) {
  for (int64_t fen : {int64_t{0}, int64_t{5}, int64_t{-5}, int64_t{123456},
                      int64_t{96262500000}, std::numeric_limits<int64_t>::max(),
                      std::numeric_limits<int64_t>::min() + 1}) {
    EXPECT_EQ(*ParseYuan(FormatYuan(fen)), fen) << FormatYuan(fen);
  }
  EXPECT_EQ(FormatYuan(-5), "-0.05");
  EXPECT_EQ(FormatYuan(123456), "1234.56");
  EXPECT_EQ(FormatYuan(std::numeric_limits<int64_t>::min()),
            "-92233720368547758.08");
}

TEST(FormatWanTest, PrintsOneDecimalWithSeparators) {
  EXPECT_EQ(FormatWan(96262500000), "96,262.5");
  EXPECT_EQ(FormatWan(0), "0.0");
  EXPECT_EQ(FormatWan(4200000), "4.2");
  EXPECT_EQ(FormatWan(100000000000), "100,000.0");
}

TEST(FormatWanTest, RoundsHalfUp) {
  // 0.05 万元 = 500 yuan = 50,000 fen: exactly half a printed unit.
  EXPECT_EQ(FormatWan(49999), "0.0");
  EXPECT_EQ(FormatWan(50000), "0.1");
  EXPECT_EQ(FormatWan(1449999), "1.4");
  EXPECT_EQ(FormatWan(1450000), "1.5");
  EXPECT_EQ(FormatWan(-50000), "-0.1");
  EXPECT_EQ(FormatWan(-49999), "0.0");
  EXPECT_EQ(RoundToWanTenths(std::numeric_limits<int64_t>::max()),
            92233720368548);
}

TEST(ParseWanTest, ReadsPublishedFigures) {
  EXPECT_EQ(*ParseWan("96,262.5"), 96262500000);
  EXPECT_EQ(*ParseWan("0.0"), 0);
  EXPECT_EQ(FormatWan(*ParseWan("8,773.6")), "8,773.6");
  EXPECT_EQ(ParseWan("1.25").status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(CheckedArithmeticTest, ReportsOverflowInsteadOfWrapping) {
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  EXPECT_EQ(*CheckedAdd(1, 2), 3);
  EXPECT_EQ(CheckedAdd(kMax, 1).status().code(), absl::StatusCode::kOutOfRange);
  EXPECT_THAT(std::string(CheckedAdd(kMax, 1).status().message()),
              HasSubstr("overflow"));
  EXPECT_EQ(*CheckedSub(0, kMax), -kMax);
  EXPECT_EQ(CheckedSub(-2, kMax).status().code(),
            absl::StatusCode::kOutOfRange);
}

TEST(MoneySumTest, StaysFailedAfterOverflow) {
  MoneySum sum;
  sum.Add(std::numeric_limits<int64_t>::max());
  EXPECT_TRUE(sum.ok());
  sum.Add(1);
  EXPECT_FALSE(sum.ok());
  sum.Subtract(1);
  EXPECT_FALSE(sum.ok());
  EXPECT_EQ(sum.status().code(), absl::StatusCode::kOutOfRange);
}

TEST(MoneySumTest, SumsExactly) {
  MoneySum sum;
  for (int i = 0; i < 1000; ++i) sum.Add(1);
  sum.Subtract(1);
  EXPECT_TRUE(sum.ok());
  EXPECT_EQ(sum.value(), 999);
}

}  // namespace
}  // namespace budget
