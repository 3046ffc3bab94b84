#include "budget/publication/department_texts.h"

#include "gtest/gtest.h"

namespace budget {
namespace {

TEST(DepartmentTextsTest, ReadsParagraphsReasonsAndNotes) {
  ParsedFile<DepartmentTexts> parsed = ParseDepartmentTexts(
      "# comment\n"
      "[functions]\ntext\n第一段。\n\"第二段, 含逗号。\"\n"
      "[reasons]\nincome,项目收入增加。\nreception,\n"
      "[notes]\nperformance,不予公开。\n",
      "d.texts");
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  const DepartmentTexts& texts = parsed.value;
  EXPECT_EQ(texts.functions,
            (std::vector<std::string>{"第一段。", "第二段, 含逗号。"}));
  EXPECT_TRUE(texts.organization.empty());
  // The generated sentence closes itself, so the reason loses its "。".
  EXPECT_EQ(texts.Reason("income"), "项目收入增加");
  EXPECT_EQ(texts.Reason("reception"), "");  // Empty value: not given.
  EXPECT_EQ(texts.Reason("expenditure"), "");
  EXPECT_EQ(texts.Note("performance"), "不予公开。");
}

TEST(DepartmentTextsTest, ReportsEveryErrorWithItsLine) {
  ParsedFile<DepartmentTexts> parsed = ParseDepartmentTexts(
      "[reasons]\nincom,typo\n[preface]\n[functions]\nparagraph\n", "d.texts");
  ASSERT_EQ(parsed.errors.size(), 4u) << parsed.status();
  EXPECT_EQ(parsed.errors[0].rule_id, "FMT-E006");  // Unknown key incom.
  EXPECT_EQ(parsed.errors[0].line, 2);
  EXPECT_EQ(parsed.errors[1].rule_id, "FMT-E002");  // Unknown section.
  EXPECT_EQ(parsed.errors[1].line, 3);
  EXPECT_EQ(parsed.errors[2].rule_id, "FMT-E006");  // Column paragraph.
  EXPECT_EQ(parsed.errors[3].rule_id, "FMT-E007");  // No column text.
  EXPECT_EQ(parsed.errors[3].line, 5);
}

}  // namespace
}  // namespace budget
