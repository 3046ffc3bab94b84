// budgetctl with the inputs of issue 13: global options before the
// command, files that are not UTF-8, a budget with thousands of findings
// (every one printed, fetched a page at a time), and registries listing a
// child before its parent or failing half way.
#include <fstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/cli/cli_fixture.h"

namespace cli_test {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

void Write(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

int CountLinesWith(const std::string& text, absl::string_view needle) {
  int count = 0;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    if (absl::StrContains(line, needle)) ++count;
  }
  return count;
}

constexpr char kUnits[] =
    "[unit]\n"
    "code,name,parent_code,kind\n"
    "021017,郑州市煤矿防灾救灾中心,021,INSTITUTION\n"  // Child first.
    "021,郑州市工业和信息化局,,GROUP\n";

// The same registry, parents first: for the tests not about row order, so
// that each fails only for the defect it is about.
constexpr char kParentsFirst[] =
    "[unit]\n"
    "code,name,parent_code,kind\n"
    "021,郑州市工业和信息化局,,GROUP\n"
    "021017,郑州市煤矿防灾救灾中心,021,INSTITUTION\n";

class CliInputTest : public CliTest {};

TEST_F(CliInputTest, GlobalOptionsMayComeBeforeTheCommand) {
  CommandResult listed =
      RunBudgetctl({"--ingest=" + services_->ingest.address(), "--query",
                    services_->query.address(), "units", "list"},
                   dir_);
  EXPECT_EQ(listed.exit_code, 0) << listed.err;
  EXPECT_THAT(listed.err, Not(HasSubstr("unknown command")));
}

TEST_F(CliInputTest, ARegistryMayListAChildBeforeItsParent) {
  Write(dir_ + "/child-first.units", kUnits);
  CommandResult imported =
      Budgetctl({"units", "import", dir_ + "/child-first.units"});
  EXPECT_EQ(imported.exit_code, 0) << imported.err;
  EXPECT_THAT(imported.out, HasSubstr("registered 2 unit(s)"));
}

// An import is all or nothing: an orphan, a duplicate row and a unit that
// differs from its registered self are each named at their line, and not
// one unit of the file is registered (before: the units before the first
// failure were registered, the rest not even checked).
TEST_F(CliInputTest, AFailedImportNamesEveryBadLineAndRegistersNothing) {
  Write(dir_ + "/registered.units",
        "[unit]\ncode,name,parent_code,kind\n"
        "031,郑州市另一局,,GROUP\n");
  ASSERT_EQ(
      Budgetctl({"units", "import", dir_ + "/registered.units"}).exit_code, 0);
  Write(dir_ + "/bad.units",
        std::string(kParentsFirst) +
            "021099,无上级单位,999,INSTITUTION\n"  // Line 5: orphan.
            "021017,郑州市煤矿防灾救灾中心,021,INSTITUTION\n"  // 6: twice.
            "031,改了名的局,,GROUP\n");                        // 7: differs.
  CommandResult imported = Budgetctl({"units", "import", dir_ + "/bad.units"});
  EXPECT_EQ(imported.exit_code, 1) << imported.err;
  EXPECT_THAT(imported.err, HasSubstr("bad.units:5: unit 021099"));
  EXPECT_THAT(imported.err, HasSubstr("bad.units:6: unit 021017"));
  EXPECT_THAT(imported.err, HasSubstr("bad.units:7: unit 031"));
  EXPECT_THAT(imported.err, HasSubstr("none of the file was sent"));
  CommandResult listed = Budgetctl({"units", "list"});
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  EXPECT_THAT(listed.out, HasSubstr("031"));
  EXPECT_THAT(listed.out, Not(HasSubstr("021017")));
  EXPECT_THAT(listed.out, Not(HasSubstr("郑州市工业和信息化局")));

  // The same file without its bad lines registers whole.
  Write(dir_ + "/good.units", kParentsFirst);
  CommandResult fixed = Budgetctl({"units", "import", dir_ + "/good.units"});
  EXPECT_EQ(fixed.exit_code, 0) << fixed.err;
  EXPECT_THAT(fixed.out, HasSubstr("registered 2 unit(s)"));
}

TEST_F(CliInputTest, TextThatIsNotUtf8IsAFileErrorAtItsLine) {
  Write(dir_ + "/units.units", kParentsFirst);
  ASSERT_EQ(Budgetctl({"units", "import", dir_ + "/units.units"}).exit_code, 0);
  // 单位 in GBK in a memo on line 6.
  Write(dir_ + "/gbk.budget",
        "[budget]\nunit_code,021017\nfiscal_year,2024\n[income]\n"
        "source,amount_yuan,memo\n"
        "GENERAL_PUBLIC_BUDGET,1.00,\xB5\xA5\xCE\xBB\n");
  CommandResult submitted =
      Budgetctl({"submit", "--dry-run", dir_ + "/gbk.budget"});
  EXPECT_EQ(submitted.exit_code, 1) << submitted.err;
  EXPECT_THAT(submitted.err, HasSubstr("gbk.budget:6: FMT-E015"));
  EXPECT_THAT(submitted.err, Not(HasSubstr("unreachable")));
}

TEST_F(CliInputTest, EveryFindingOfALargeRejectionIsPrinted) {
  Write(dir_ + "/units.units", kParentsFirst);
  ASSERT_EQ(Budgetctl({"units", "import", dir_ + "/units.units"}).exit_code, 0);
  constexpr int kLines = 3'000;
  std::string text = absl::StrCat(
      "[budget]\nunit_code,021017\nfiscal_year,2024\n[income]\n"
      "source,amount_yuan\nGENERAL_PUBLIC_BUDGET,",
      kLines,
      ".00\n[expenditure]\nfunction_code,dept_economic_code,gov_economic_"
      "code,source,nature,project_code,amount_yuan\n");
  for (int i = 0; i < kLines; ++i) {
    // A function code of two digits: BGT-E010 on every line.
    absl::StrAppend(&text,
                    "22,30101,50501,GENERAL_PUBLIC_BUDGET,BASIC_PERSONNEL,,"
                    "1.00\n");
  }
  Write(dir_ + "/large.budget", text);
  CommandResult submitted = Budgetctl({"submit", dir_ + "/large.budget"});
  EXPECT_EQ(submitted.exit_code, 1) << submitted.err.substr(0, 2000);
  EXPECT_EQ(CountLinesWith(submitted.err, "BGT-E010"), kLines)
      << submitted.err.substr(0, 2000);
  EXPECT_THAT(submitted.err, HasSubstr("large.budget:3008: BGT-E010"));
}

// JSON budgets: a syntax error, a value protobuf refuses and a finding of
// the validator are each printed at file:line (before: JSON-E001 with no
// line, a refused value with none, findings by field path alone).
TEST_F(CliInputTest, JsonErrorsArePrintedAtTheirLine) {
  Write(dir_ + "/syntax.json",
        "{\n  \"unitCode\": \"021017\",\n  \"fiscalYear\" 2024\n}\n");
  CommandResult syntax =
      Budgetctl({"submit", "--dry-run", dir_ + "/syntax.json"});
  EXPECT_EQ(syntax.exit_code, 1) << syntax.err;
  EXPECT_THAT(syntax.err, HasSubstr("syntax.json:3: JSON-E001"));
  EXPECT_THAT(syntax.err, HasSubstr("column 16"));

  Write(dir_ + "/value.json",
        "{\n  \"unitCode\": \"021017\",\n  \"fiscalYear\": 2024,\n"
        "  \"income\": [\n    {\"source\": \"GENERAL_PUBLIC_BUDGET\",\n"
        "     \"amountFen\": \"12x\"}\n  ]\n}\n");
  CommandResult value =
      Budgetctl({"submit", "--dry-run", dir_ + "/value.json"});
  EXPECT_EQ(value.exit_code, 1) << value.err;
  EXPECT_THAT(value.err, HasSubstr("value.json:6: JSON-E002"));
  EXPECT_THAT(value.err, HasSubstr("column 19"));
}

}  // namespace
}  // namespace cli_test
