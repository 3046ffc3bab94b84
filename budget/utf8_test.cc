#include "budget/utf8.h"

#include "gtest/gtest.h"

namespace budget {
namespace {

constexpr size_t kValid = absl::string_view::npos;

TEST(Utf8Test, AcceptsAsciiAndChinese) {
  EXPECT_EQ(FirstInvalidUtf8(""), kValid);
  EXPECT_EQ(FirstInvalidUtf8("2150501,行政运行"), kValid);
  EXPECT_EQ(FirstInvalidUtf8("\xF0\x9F\x98\x80"), kValid);  // U+1F600.
}

TEST(Utf8Test, NamesTheFirstBadByte) {
  EXPECT_EQ(FirstInvalidUtf8("ab\xFF"), 2u);
  EXPECT_EQ(FirstInvalidUtf8("行\xE6\x94"), 3u);        // Truncated.
  EXPECT_EQ(FirstInvalidUtf8("x\xC0\xAF"), 1u);         // Overlong '/'.
  EXPECT_EQ(FirstInvalidUtf8("\xED\xA0\x80"), 0u);      // Surrogate.
  EXPECT_EQ(FirstInvalidUtf8("\xF4\x90\x80\x80"), 0u);  // > U+10FFFF.
  EXPECT_EQ(FirstInvalidUtf8("ok\x80"), 2u);            // Lone tail.
}

}  // namespace
}  // namespace budget
