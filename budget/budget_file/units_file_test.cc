#include "budget/budget_file/units_file.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace budget {
namespace {

using ::testing::ElementsAre;

TEST(ParseUnitsFileTest, ReadsTheDocumentedRegistry) {
  const ParsedFile<std::vector<v1::Unit>> parsed = ParseUnitsFile(
      "[unit]\n"
      "code,name,parent_code,kind\n"
      "021,郑州市工业和信息化局,,GROUP\n"
      "021001,郑州市工业和信息化局机关,021,ADMINISTRATIVE\n"
      "021014,郑州市中小企业服务中心,021,事业单位\n",
      "zz.units");
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  ASSERT_EQ(parsed.value.size(), 3u);
  EXPECT_EQ(parsed.value[0].code(), "021");
  EXPECT_EQ(parsed.value[0].parent_code(), "");
  EXPECT_EQ(parsed.value[0].kind(), v1::UNIT_KIND_GROUP);
  EXPECT_EQ(parsed.value[1].name(), "郑州市工业和信息化局机关");
  EXPECT_EQ(parsed.value[1].kind(), v1::UNIT_KIND_ADMINISTRATIVE);
  EXPECT_EQ(parsed.value[2].kind(), v1::UNIT_KIND_INSTITUTION);
}

TEST(ParseUnitsFileTest, ReportsBadKindsAndMissingColumnsWithLines) {
  const ParsedFile<std::vector<v1::Unit>> parsed = ParseUnitsFile(
      "[unit]\n"
      "code,name,kind\n"
      "021,局,GROUP\n"
      "\n"
      "021001,机关,OFFICE\n"
      "[budget]\n",
      "zz.units");
  ASSERT_EQ(parsed.errors.size(), 2u) << parsed.status();
  EXPECT_EQ(parsed.errors[0].line, 5);
  EXPECT_EQ(parsed.errors[0].rule_id, "FMT-E011");
  EXPECT_EQ(parsed.errors[0].column, "kind");
  EXPECT_EQ(parsed.errors[0].given, "OFFICE");
  EXPECT_THAT(parsed.errors[0].expected, testing::HasSubstr("GROUP (汇总)"));
  EXPECT_EQ(parsed.errors[1].line, 6);
  EXPECT_EQ(parsed.errors[1].rule_id, "FMT-E002");

  const ParsedFile<std::vector<v1::Unit>> no_kind =
      ParseUnitsFile("[unit]\ncode,name\n1,a\n", "zz.units");
  ASSERT_EQ(no_kind.errors.size(), 1u) << no_kind.status();
  EXPECT_EQ(no_kind.errors[0].line, 2);
  EXPECT_EQ(no_kind.errors[0].rule_id, "FMT-E007");
  EXPECT_EQ(no_kind.errors[0].column, "kind");
}

TEST(ParseUnitsFileTest, OrdersChildrenAfterTheirParentsAndGivesLines) {
  std::vector<int> lines;
  const ParsedFile<std::vector<v1::Unit>> parsed = ParseUnitsFile(
      "[unit]\n"
      "code,name,parent_code,kind\n"
      "021001,机关,021,ADMINISTRATIVE\n"
      "021,局,41,GROUP\n"
      "022,另一局,,GROUP\n"
      "41,郑州市,,GROUP\n",
      "child-first.units", &lines);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_THAT(lines, ElementsAre(3, 4, 5, 6));
  std::vector<std::string> codes;
  for (size_t i : ParentsFirst(parsed.value)) {
    codes.push_back(parsed.value[i].code());
  }
  EXPECT_THAT(codes, ElementsAre("41", "021", "021001", "022"));
}

}  // namespace
}  // namespace budget
