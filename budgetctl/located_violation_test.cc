#include "budgetctl/located_violation.h"

#include "absl/strings/str_cat.h"
#include "budgetctl/budget_input.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace budgetctl {
namespace {

using ::testing::HasSubstr;

// Line numbers matter: the expenditure records are on lines 11 and 12,
// the project on line 15.
constexpr char kBudgetFile[] = R"(# test budget
[budget]
unit_code,021017
fiscal_year,2024

[income]
source,amount_yuan
GENERAL_PUBLIC_BUDGET,100.00
[expenditure]
function_code,dept_economic_code,gov_economic_code,source,nature,project_code,amount_yuan
2240450,30101,50501,GENERAL_PUBLIC_BUDGET,BASIC_PERSONNEL,,60.00
9999999,30101,50501,GENERAL_PUBLIC_BUDGET,BASIC_PERSONNEL,,40.00
[project]
code,name,category
410100240000000022812,煤矿项目,OTHER_OPERATING
)";

budget::v1::Violation MakeViolation(const std::string& rule,
                                    const std::string& path,
                                    budget::v1::Severity severity) {
  budget::v1::Violation violation;
  violation.set_rule_id(rule);
  violation.set_severity(severity);
  violation.set_field_path(path);
  violation.set_given("9999999");
  violation.set_expected("a function code of the catalog");
  violation.set_message("unknown function code, \"quoted\"");
  return violation;
}

TEST(LocatedViolationTest, MapsFieldPathsToTheLinesOfTheFile) {
  BudgetInput input = ParseBudgetInput(kBudgetFile, "dir/021017.budget");
  ASSERT_TRUE(input.errors.empty()) << FormatViolation(input.errors[0]);
  budget::v1::ValidationReport report;
  *report.add_violations() = MakeViolation(
      "BGT-E001", "expenditures[1].function_code", budget::v1::SEVERITY_FATAL);
  *report.add_violations() = MakeViolation("BGT-W001", "projects[0].name",
                                           budget::v1::SEVERITY_WARNING);
  *report.add_violations() =
      MakeViolation("BGT-E002", "income", budget::v1::SEVERITY_FATAL);

  std::vector<LocatedViolation> located =
      LocateViolations(report, input.source_map);
  ASSERT_EQ(located.size(), 3u);
  EXPECT_EQ(located[0].file, "dir/021017.budget");
  EXPECT_EQ(located[0].line, 12);
  EXPECT_EQ(located[0].severity, "fatal");
  EXPECT_EQ(located[1].line, 15);
  EXPECT_EQ(located[1].severity, "warning");
  EXPECT_EQ(located[2].line, 6);  // A whole section: its header line.
  EXPECT_EQ(FormatViolation(located[0]),
            "dir/021017.budget:12: BGT-E001 fatal "
            "expenditures[1].function_code: unknown function code, "
            "\"quoted\" (given: \"9999999\"; expected: a function code of "
            "the catalog)");
}

// A no-break space after a code looks like an ordinary one, or like
// nothing; the message writes it out.
TEST(LocatedViolationTest, HiddenCharactersOfTheValueAreWrittenOut) {
  LocatedViolation violation;
  violation.rule_id = "BGT-E010";
  violation.severity = "fatal";
  violation.file = "a.budget";
  violation.line = 11;
  violation.field = "expenditures[0].function_code";
  violation.message = "function_code is malformed.";
  violation.given = "2100402\xC2\xA0";
  violation.expected = "7 digits";
  EXPECT_EQ(FormatViolation(violation),
            "a.budget:11: BGT-E010 fatal expenditures[0].function_code: "
            "function_code is malformed. (given: \"2100402\\u{00A0}\"; "
            "expected: 7 digits)");
}

TEST(LocatedViolationTest, SyntaxErrorsKeepTheirLines) {
  std::string broken = kBudgetFile;
  broken.replace(broken.find("60.00"), 5, "sixty");
  BudgetInput input = ParseBudgetInput(broken, "021017.budget");
  ASSERT_EQ(input.errors.size(), 1u);
  EXPECT_EQ(input.errors[0].line, 11);
  EXPECT_EQ(input.errors[0].given, "sixty");
  EXPECT_EQ(input.errors[0].field, "amount_yuan");
}

TEST(LocatedViolationTest, JsonFindingsAreLocatedByLine) {
  BudgetInput input = ParseBudgetInput(
      "{\n  \"unitCode\": \"021017\",\n  \"fiscalYear\": 2024,\n"
      "  \"income\": [\n    {\"amountFen\": \"5\"},\n"
      "    {\"amountFen\": \"7\"}\n  ]\n}\n",
      "b.json");
  ASSERT_TRUE(input.errors.empty());
  EXPECT_EQ(input.budget.unit_code(), "021017");
  budget::v1::ValidationReport report;
  *report.add_violations() = MakeViolation("BGT-E001", "income[1].amount_fen",
                                           budget::v1::SEVERITY_FATAL);
  *report.add_violations() =
      MakeViolation("BGT-E001", "overall_goal", budget::v1::SEVERITY_FATAL);
  std::vector<LocatedViolation> located =
      LocateViolations(report, input.source_map);
  EXPECT_EQ(located[0].line, 6);
  EXPECT_THAT(FormatViolation(located[0]), ::testing::StartsWith("b.json:6"));
  EXPECT_EQ(located[1].line, 0);  // Not in the file.

  BudgetInput bad = ParseBudgetInput("{\"unitCode\": 5", "bad.json");
  ASSERT_EQ(bad.errors.size(), 1u);
  EXPECT_EQ(bad.errors[0].rule_id, "JSON-E001");
  EXPECT_EQ(bad.errors[0].line, 1);
}

// Protobuf keeps the last of two members naming one field, in either
// spelling, so a file could name one unit and be stored as another's.
TEST(LocatedViolationTest, AJsonFieldGivenTwiceIsRefused) {
  BudgetInput twice = ParseBudgetInput(
      "{\n  \"unitCode\": \"021017\",\n  \"fiscalYear\": 2024,\n"
      "  \"unit_code\": \"021016\"\n}\n",
      "twice.json");
  ASSERT_EQ(twice.errors.size(), 1u);
  EXPECT_EQ(twice.errors[0].rule_id, "JSON-E003");
  EXPECT_EQ(twice.errors[0].line, 4);
  EXPECT_THAT(twice.errors[0].message,
              HasSubstr("unit_code is given twice (first on line 2)"));
}

// A byte-order mark (Notepad's) is not part of the JSON text.
TEST(LocatedViolationTest, AJsonFileMayStartWithAByteOrderMark) {
  BudgetInput marked = ParseBudgetInput(
      "\xEF\xBB\xBF{\"unitCode\": \"021017\", \"fiscalYear\": 2024}",
      "bom.json");
  EXPECT_TRUE(marked.errors.empty()) << marked.errors[0].message;
  EXPECT_EQ(marked.budget.unit_code(), "021017");
}

TEST(LocatedViolationTest, JsonErrorsCarryTheirLine) {
  BudgetInput bad = ParseBudgetInput(
      "{\n  \"unitCode\": \"021017\",\n  \"fiscalYear\" 2024\n}\n", "bad.json");
  ASSERT_EQ(bad.errors.size(), 1u);
  EXPECT_EQ(bad.errors[0].rule_id, "JSON-E001");
  EXPECT_EQ(bad.errors[0].line, 3) << bad.errors[0].message;
  EXPECT_THAT(bad.errors[0].message, HasSubstr("column 16"));
  EXPECT_THAT(FormatViolation(bad.errors[0]),
              ::testing::StartsWith("bad.json:3"));

  BudgetInput gbk = ParseBudgetInput(
      "{\n  \"unitCode\": \"021017\",\n  \"memo\": \"\xB5\xA5\"\n}\n",
      "gbk.json");
  ASSERT_EQ(gbk.errors.size(), 1u);
  EXPECT_EQ(gbk.errors[0].rule_id, "FMT-E015");
  EXPECT_EQ(gbk.errors[0].line, 3);
}

// Values protobuf refuses and unknown members are put at the line and
// column of the value (JSON-E002), with the field path protobuf names.
TEST(LocatedViolationTest, JsonFieldValueErrorsCarryTheirLineAndColumn) {
  const struct {
    std::string json;
    int line;
    std::string column;
    std::string field;
  } cases[] = {
      {"{\n  \"unitCode\": \"021017\",\n  \"fiscalYear\": \"abc\"\n}\n", 3,
       "column 17", "fiscal_year"},
      {"{\n \"expenditures\": [\n  {\"amountFen\": \"1\"},\n"
       "  {\"amountFen\": \"x1\"}\n ]\n}\n",
       4, "column 17", "expenditures[1].amount_fen"},
      {"{\n \"expenditures\": [\n  {\"fundingSource\": \"NOPE\"}\n ]\n}\n", 3,
       "column 21", "expenditures[0].funding_source"},
      {"{\n \"unitCode\": \"021017\",\n\n \"bogus\": 1\n}\n", 4, "column 11",
       "bogus"},
      {"{\n \"expenditures\": [\n  {\n   \"nope\": 1}]\n}\n", 4, "column 12",
       "expenditures[0].nope"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.json);
    BudgetInput bad = ParseBudgetInput(c.json, "v.json");
    ASSERT_EQ(bad.errors.size(), 1u);
    EXPECT_EQ(bad.errors[0].rule_id, "JSON-E002");
    EXPECT_EQ(bad.errors[0].field, c.field);
    EXPECT_EQ(bad.errors[0].line, c.line) << bad.errors[0].message;
    EXPECT_THAT(bad.errors[0].message, HasSubstr(c.column));
    EXPECT_THAT(FormatViolation(bad.errors[0]),
                ::testing::StartsWith(absl::StrCat("v.json:", c.line)));
  }
}

TEST(LocatedViolationTest, CsvQuotesOnlyWhereRfc4180Requires) {
  LocatedViolation violation{"BGT-E001",
                             "fatal",
                             "a,b.budget",
                             12,
                             "expenditures[1].function_code",
                             "9999999",
                             "a code",
                             "line one\nsays \"no\""};
  std::string csv = ViolationsCsv({violation});
  EXPECT_THAT(csv, HasSubstr("rule,severity,file,line,field,value,expected,"
                             "message\r\n"));
  EXPECT_THAT(csv, HasSubstr("BGT-E001,fatal,\"a,b.budget\",12,"
                             "expenditures[1].function_code,9999999,a code,"
                             "\"line one\nsays \"\"no\"\"\"\r\n"));
}

}  // namespace
}  // namespace budgetctl
