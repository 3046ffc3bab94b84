#include "budget/consolidation/code_pool.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace budget {
namespace {

std::vector<Code> InternRecurring(CodePool& pool,
                                  const std::vector<absl::string_view>& texts) {
  std::vector<Code> codes(texts.size());
  pool.InternRecurring(texts, absl::MakeSpan(codes));
  return codes;
}

TEST(CodePoolTest, InternRecurringGivesEachTextTheIdInternGives) {
  CodePool pool;
  // Repeats within a call, across calls, the empty code, and more texts
  // than the thread keeps (so its map is emptied on the way).
  std::vector<std::string> owned;
  for (int i = 0; i < 10000; ++i)
    owned.push_back(absl::StrCat("code", i % 5000));
  owned.push_back("");
  std::vector<absl::string_view> texts(owned.begin(), owned.end());
  for (int round = 0; round < 2; ++round) {
    const std::vector<Code> codes = InternRecurring(pool, texts);
    for (size_t i = 0; i < texts.size(); ++i) {
      EXPECT_EQ(codes[i], pool.Intern(texts[i])) << texts[i];
      EXPECT_EQ(pool.Text(codes[i]), texts[i]);
    }
  }
  EXPECT_TRUE(InternRecurring(pool, {""})[0].empty());
}

TEST(CodePoolTest, InternRecurringTellsApartTextsOfOneWord) {
  CodePool pool;
  // Texts that differ only past a NUL byte, in length, or past the seven
  // bytes the thread keeps as one word, twice each (the second time from
  // the thread's map where it keeps them).
  using std::string_literals::operator""s;
  const std::vector<std::string> owned = {
      "a",        "a\0"s,
      "a\0\0"s,   "\0"s,
      "2010101",  "20101010",
      "20101011", "abcdefg",
      "abcdefh",  "\xff\xff\xff\xff\xff\xff\xff"s};
  std::vector<absl::string_view> texts(owned.begin(), owned.end());
  for (int round = 0; round < 2; ++round) {
    const std::vector<Code> codes = InternRecurring(pool, texts);
    for (size_t i = 0; i < texts.size(); ++i) {
      EXPECT_EQ(pool.Text(codes[i]), texts[i]) << i;
      for (size_t j = 0; j < i; ++j) EXPECT_NE(codes[i], codes[j]) << i;
    }
  }
}

TEST(CodePoolTest, APoolNeverAnswersWithAnotherPoolsIds) {
  CodePool first;
  InternRecurring(first, {"a", "b", "c"});
  // The thread's cache holds `first`'s ids for these texts; `second`
  // numbers its own codes in its own order.
  CodePool second;
  const std::vector<Code> codes = InternRecurring(second, {"c", "b", "a"});
  EXPECT_EQ(second.Text(codes[0]), "c");
  EXPECT_EQ(second.Text(codes[1]), "b");
  EXPECT_EQ(second.Text(codes[2]), "a");
  EXPECT_EQ(codes[0].id(), 1u);  // Id 0 is the empty code.
}

}  // namespace
}  // namespace budget
