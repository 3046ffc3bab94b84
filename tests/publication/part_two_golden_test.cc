// The reference department (fixtures/zhengzhou-iit), consolidated in process
// as tests/golden does: the generated 第二部分, with the department's texts
// file, states every figure of the published 第二部分 (expected/part2.txt)
// sentence by sentence, the 2024 vs 2023 changes included.
#include <filesystem>
#include <fstream>
#include <memory>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "budget/catalog/catalog.h"
#include "budget/consolidation/consolidator.h"
#include "budget/consolidation/unit_tree.h"
#include "budget/publication/department_texts.h"
#include "budget/publication/part_two.h"
#include "budget/publication/publication_data.h"
#include "budget/tables/disclosure_tables.h"
#include "budget/tables/summary.h"
#include "gtest/gtest.h"
#include "tests/testing/reference_fixture.h"

namespace budget {
namespace {

namespace fs = std::filesystem;

const fs::path kFixtures = GOLDEN_FIXTURES_DIR;
constexpr int kYear = 2024;

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

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

class PartTwoGoldenTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    absl::StatusOr<UnitTree> tree =
        UnitTree::Build(e2e_testing::ReferenceUnits());
    ASSERT_TRUE(tree.ok()) << tree.status();
    tree_ = new UnitTree(*std::move(tree));
    consolidator_ = new Consolidator(tree_);
    for (int year : {kYear - 1, kYear}) {
      for (const e2e_testing::ReferenceBudget& file :
           e2e_testing::ReferenceBudgets(year)) {
        ASSERT_TRUE(consolidator_
                        ->ReplaceUnitBudget(
                            std::make_shared<const v1::UnitBudget>(file.budget))
                        .ok());
      }
    }
  }

  // What a public reader is served: summary against 2023, tables masked.
  static PublicationData Data() {
    TableRequest request;
    request.consolidation = consolidator_;
    request.catalog = &Catalog::Default();
    request.node_code = "021";
    request.fiscal_year = kYear;
    PublicationData data;
    absl::StatusOr<v1::Summary> summary = BuildSummary(request, kYear - 1);
    EXPECT_TRUE(summary.ok()) << summary.status();
    if (summary.ok()) data.summary = *summary;
    for (int i = 1; i <= 13; ++i) {
      const std::string id = absl::StrCat(i < 10 ? "0" : "", i);
      absl::StatusOr<v1::DisclosureTable> table =
          BuildDisclosureTable(id, request);
      EXPECT_TRUE(table.ok()) << id << ": " << table.status();
      if (table.ok()) data.tables[id] = *std::move(table);
    }
    return data;
  }

  static DepartmentTexts Texts() {
    const fs::path path = kFixtures / "021-2024.texts";
    ParsedFile<DepartmentTexts> texts =
        ParseDepartmentTexts(ReadFile(path), path.string());
    EXPECT_TRUE(texts.ok()) << texts.status();
    return texts.value;
  }

  static UnitTree* tree_;
  static Consolidator* consolidator_;
};

UnitTree* PartTwoGoldenTest::tree_ = nullptr;
Consolidator* PartTwoGoldenTest::consolidator_ = nullptr;

TEST_F(PartTwoGoldenTest, EveryFigureSentenceEqualsThePublishedOne) {
  const PublicationData data = Data();
  absl::StatusOr<std::vector<TextSection>> sections =
      BuildPartTwo(data, Texts());
  ASSERT_TRUE(sections.ok()) << sections.status();
  const std::string generated = RenderPartTwoText(data.summary, *sections);
  const std::vector<FigureSentence> got = FigureSentences(generated);
  const std::vector<FigureSentence> want =
      FigureSentences(ReadFile(kFixtures / "expected" / "part2.txt"));
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
TEST_F(PartTwoGoldenTest, WithoutTextsTheFiguresStayAndNoReasonIsInvented) {
  absl::StatusOr<std::vector<TextSection>> sections =
      BuildPartTwo(Data(), DepartmentTexts());
  ASSERT_TRUE(sections.ok()) << sections.status();
  const std::string text = RenderPartTwoText(Data().summary, *sections);
  EXPECT_EQ(text.find("主要原因"), std::string::npos) << text;
  EXPECT_NE(text.find("收入增加10,723.8万元，增长12.5%"), std::string::npos)
      << text;
  EXPECT_NE(text.find("（四）国有资产占用情况"), std::string::npos);
  EXPECT_EQ(text.find("专项转移支付"), std::string::npos) << text;
}

}  // namespace
}  // namespace budget
