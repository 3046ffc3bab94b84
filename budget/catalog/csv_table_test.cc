#include "budget/catalog/csv_table.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace budget {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

const std::vector<std::string> kColumns = {"code", "name"};

TEST(CsvTableTest, ReadsRecordsWithLineNumbers) {
  auto records =
      ParseCsvTable("f.csv",
                    "\xEF\xBB\xBF"
                    "code,name\r\n201,一般公共服务支出\r\n\n202,外交支出\n",
                    kColumns);
  ASSERT_TRUE(records.ok()) << records.status();
  ASSERT_EQ(records->size(), 2);
  EXPECT_EQ((*records)[0].line, 2);
  EXPECT_THAT((*records)[0].fields, ElementsAre("201", "一般公共服务支出"));
  EXPECT_EQ((*records)[1].line, 4);
  EXPECT_THAT((*records)[1].fields, ElementsAre("202", "外交支出"));
}

TEST(CsvTableTest, ErrorsNameFileAndLine) {
  EXPECT_THAT(
      ParseCsvTable("f.csv", "code,title\n", kColumns).status().message(),
      HasSubstr("f.csv:1: header"));
  EXPECT_THAT(
      ParseCsvTable("f.csv", "code,name\n201\n", kColumns).status().message(),
      HasSubstr("f.csv:2: 1 fields, expected 2"));
  EXPECT_THAT(ParseCsvTable("f.csv", "code,name\n\n201,\"a,b\"\n", kColumns)
                  .status()
                  .message(),
              HasSubstr("f.csv:3: quoted"));
  EXPECT_THAT(ParseCsvTable("f.csv", "", kColumns).status().message(),
              HasSubstr("f.csv:1: empty"));
}

}  // namespace
}  // namespace budget
