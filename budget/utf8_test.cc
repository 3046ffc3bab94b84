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

TEST(Utf8Test, ClippedTextIsMarkedAndMeasured) {
  EXPECT_EQ(ClipText("021", 64), "021");
  EXPECT_EQ(ClipText("abcdef", 4), "abcd…(6 bytes)");
  EXPECT_EQ(ClipText("郑州", 4), "郑…(6 bytes)");
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
  // Text whose bytes start like a control's but is not one.
  EXPECT_EQ(FirstControlCharacter("\xE2\x80\x9C局\xE2\x80\x9D"), kValid);
  EXPECT_EQ(FirstControlCharacter("\xC2\xA9\xD8\xA7"), kValid);  // © ا
  // Invalid bytes are skipped, not taken for text that hides a control.
  EXPECT_EQ(FirstControlCharacter("\xC2\xE2\x80\xAE"), 1u);
  EXPECT_EQ(FirstControlCharacter("a\xC2"), kValid);
}

// Every code point, each after a letter: found exactly when it is one of
// the controls limits.md names.
TEST(Utf8Test, FindsEveryControlCodePointAndNoOther) {
  auto is_control = [](uint32_t p) {
    return p < 0x20 || (p >= 0x7F && p <= 0x9F) || p == 0x061C || p == 0x200E ||
           p == 0x200F || (p >= 0x2028 && p <= 0x202E) ||
           (p >= 0x2066 && p <= 0x2069);
  };
  for (uint32_t p = 0; p <= 0x10FFFF; ++p) {
    if (p >= 0xD800 && p <= 0xDFFF) continue;  // Surrogates: not UTF-8.
    std::string text = "a";
    if (p < 0x80) {
      text += static_cast<char>(p);
    } else if (p < 0x800) {
      text += static_cast<char>(0xC0 | (p >> 6));
      text += static_cast<char>(0x80 | (p & 0x3F));
    } else if (p < 0x10000) {
      text += static_cast<char>(0xE0 | (p >> 12));
      text += static_cast<char>(0x80 | ((p >> 6) & 0x3F));
      text += static_cast<char>(0x80 | (p & 0x3F));
    } else {
      text += static_cast<char>(0xF0 | (p >> 18));
      text += static_cast<char>(0x80 | ((p >> 12) & 0x3F));
      text += static_cast<char>(0x80 | ((p >> 6) & 0x3F));
      text += static_cast<char>(0x80 | (p & 0x3F));
    }
    ASSERT_EQ(FirstControlCharacter(text), is_control(p) ? 1u : kValid)
        << "U+" << std::hex << p;
  }
}

TEST(Utf8Test, ShowsSomethingOnlyWithACharacterAReaderSees) {
  EXPECT_FALSE(ShowsSomething(""));
  EXPECT_FALSE(ShowsSomething("   "));
  // Zero-width space, ideographic space, no-break space, BOM, RLM.
  EXPECT_FALSE(ShowsSomething("\u200B\u3000\u00A0\uFEFF\u200F"));
  EXPECT_TRUE(ShowsSomething(" 中心 "));
  EXPECT_TRUE(ShowsSomething("\u200Ba"));
  EXPECT_TRUE(ShowsSomething("\xFF"));  // Invalid UTF-8: refused elsewhere.
}

}  // namespace
}  // namespace budget
