// The reference department (fixtures/zhengzhou-iit): the generated 第二部分,
// with the department's texts file, states every figure of the published
// 第二部分 (expected/part2.txt) sentence by sentence, the 2024 vs 2023 changes
// included.
#include <filesystem>
#include <regex>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "budget/publication/department_texts.h"
#include "budget/publication/part_two.h"
#include "budget/publication/publication_data.h"
#include "gtest/gtest.h"
#include "tests/publication/reference_publication.h"

namespace budget {
namespace {

using e2e_testing::kReferenceFixtures;
using e2e_testing::ReferencePublication;
using e2e_testing::ReferenceTexts;

// One sentence (up to "。") and the figures it states, in order: amounts,
// percents, years and counts ("96,262.5", "12.5%", "2023", "26").
struct FigureSentence {
  std::string text;
  std::vector<std::string> figures;
};

// Whitespace is dropped first: the PDF extraction breaks lines and spaces
// figures apart ("85,750.2\n\n万元", "2024 年").
std::vector<FigureSentence> FigureSentences(const std::string& text) {
  std::string joined;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    if (absl::StartsWith(line, "#")) continue;
    for (char c : line) {
      if (c != ' ' && c != '\t' && c != '\r') joined.push_back(c);
    }
  }
  static const std::regex kFigure("[0-9][0-9,]*(\\.[0-9]+)?%?");
  std::vector<FigureSentence> sentences;
  for (absl::string_view piece : absl::StrSplit(joined, "。")) {
    FigureSentence sentence{std::string(piece), {}};
    for (std::sregex_iterator it(sentence.text.begin(), sentence.text.end(),
                                 kFigure);
         it != std::sregex_iterator(); ++it) {
      sentence.figures.push_back(it->str());
    }
    if (!sentence.figures.empty()) sentences.push_back(std::move(sentence));
  }
  return sentences;
}

TEST(PartTwoGoldenTest, EveryFigureSentenceEqualsThePublishedOne) {
  const PublicationData data = ReferencePublication(/*cleared=*/false);
  absl::StatusOr<std::vector<TextSection>> sections =
      BuildPartTwo(data, ReferenceTexts());
  ASSERT_TRUE(sections.ok()) << sections.status();
  const std::string generated = RenderPartTwoText(data.summary, *sections);
  const std::vector<FigureSentence> got = FigureSentences(generated);
  const std::vector<FigureSentence> want =
      FigureSentences(e2e_testing::ReadWholeFile(kReferenceFixtures /
                                                 "expected" / "part2.txt"));
  // The published part has this many sentences with figures; fewer would
  // mean the fixture was cut.
  ASSERT_GE(want.size(), 25u);
  std::vector<std::string> problems;
  for (size_t i = 0; i < std::max(got.size(), want.size()); ++i) {
    const std::string got_figures =
        i < got.size() ? absl::StrJoin(got[i].figures, " ") : "(none)";
    const std::string want_figures =
        i < want.size() ? absl::StrJoin(want[i].figures, " ") : "(none)";
    if (got_figures == want_figures) continue;
    problems.push_back(absl::StrCat(
        "sentence ", i + 1, "\n  generated: ",
        i < got.size() ? got[i].text : "", "\n    figures: ", got_figures,
        "\n  published: ", i < want.size() ? want[i].text : "",
        "\n    figures: ", want_figures));
  }
  EXPECT_TRUE(problems.empty())
      << absl::StrJoin(problems, "\n") << "\n--- generated ---\n"
      << generated;
}

// Without the texts file the figures stay, the reasons go.
TEST(PartTwoGoldenTest, WithoutTextsTheFiguresStayAndNoReasonIsInvented) {
  const PublicationData data = ReferencePublication(/*cleared=*/false);
  absl::StatusOr<std::vector<TextSection>> sections =
      BuildPartTwo(data, DepartmentTexts());
  ASSERT_TRUE(sections.ok()) << sections.status();
  const std::string text = RenderPartTwoText(data.summary, *sections);
  EXPECT_EQ(text.find("主要原因"), std::string::npos) << text;
  EXPECT_NE(text.find("收入增加10,723.8万元，增长12.5%"), std::string::npos)
      << text;
  EXPECT_NE(text.find("（四）国有资产占用情况"), std::string::npos);
  EXPECT_EQ(text.find("专项转移支付"), std::string::npos) << text;
}

}  // namespace
}  // namespace budget
