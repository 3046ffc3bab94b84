#include "budget/utf8.h"

#include <string>

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

TEST(Utf8Test, VisibleTextKeepsWhatAReaderSees) {
  EXPECT_EQ(VisibleText(""), "");
  EXPECT_EQ(VisibleText("2150501 行政运行（机关）"),
            "2150501 行政运行（机关）");
  EXPECT_EQ(VisibleText("\xF0\x9F\x98\x80"), "\xF0\x9F\x98\x80");
}

TEST(Utf8Test, VisibleTextWritesHiddenCharactersOut) {
  EXPECT_EQ(VisibleText("2100402\xC2\xA0"), "2100402\\u{00A0}");  // No-break.
  EXPECT_EQ(VisibleText("2100402\xE2\x80\x8B"), "2100402\\u{200B}");  // ZWSP.
  EXPECT_EQ(VisibleText("\xEF\xBB\xBF"
                        "021"),
            "\\u{FEFF}021");  // BOM.
  EXPECT_EQ(VisibleText("a\tb\r\n"), "a\\u{0009}b\\u{000D}\\u{000A}");
  EXPECT_EQ(VisibleText("\xE3\x80\x80"), "\\u{3000}");  // Ideographic space.
  EXPECT_EQ(VisibleText("\xE2\x80\xAE"),
            "\\u{202E}");  // Right-to-left override.
  EXPECT_EQ(VisibleText("ok\xFF"), "ok\\x{FF}");
  EXPECT_EQ(VisibleText("a\\u{00A0}"), "a\\\\u{00A0}");  // Unambiguous.
}

TEST(Utf8Test, PrefixNeverCutsACharacter) {
  EXPECT_EQ(Utf8PrefixLength("abc", 10), 3u);
  EXPECT_EQ(Utf8PrefixLength("abcdef", 4), 4u);
  EXPECT_EQ(Utf8PrefixLength("郑州", 4), 3u);  // Not into 州's bytes.
  EXPECT_EQ(Utf8PrefixLength("郑州", 2), 0u);
}

TEST(Utf8Test, FindsControlCharactersNotText) {
  EXPECT_EQ(FirstControlCharacter("郑州市工业和信息化局　机关 (本级)"), kValid);
  EXPECT_EQ(FirstControlCharacter("a\tb"), 1u);
  EXPECT_EQ(FirstControlCharacter(std::string("a\0b", 3)), 1u);
  EXPECT_EQ(FirstControlCharacter("局\x1B[31m"), 3u);      // ESC.
  EXPECT_EQ(FirstControlCharacter("ab\xE2\x80\xAE"), 2u);  // RLO.
  EXPECT_EQ(FirstControlCharacter("\xC2\x85"), 0u);        // NEL.
  // The other Bidi_Control characters: RLM, LRM, ALM.
  EXPECT_EQ(FirstControlCharacter("a\xE2\x80\x8F"), 1u);
  EXPECT_EQ(FirstControlCharacter("a\xE2\x80\x8E"), 1u);
  EXPECT_EQ(FirstControlCharacter("a\xD8\x9C"), 1u);
}

}  // namespace
}  // namespace budget
