// The reference department's budget lines as a Fiscal Data Package: the
// descriptor validates against the Fiscal Data Package descriptor schema
// (tests/publication/fiscal-data-package.schema.json, with Debian's
// python3-jsonschema) and maps every column (tests/publication/check_fdp.py),
// the lines sum to the department total, and a public reader's package names
// no classified project.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "budget/money.h"
#include "budget/publication/fiscal_data_package.h"
#include "gtest/gtest.h"
#include "tests/publication/reference_publication.h"
#include "tests/testing/reference_fixture.h"
#include "tests/testing/scratch_dir.h"

namespace budget {
namespace {

FiscalDataInput Input(bool cleared) {
  FiscalDataInput input;
  input.node_code = "021";
  input.node_name = "郑州市工业和信息化局";
  input.fiscal_year = 2024;
  input.units = e2e_testing::ReferenceUnits();
  for (const e2e_testing::ReferenceBudget& file :
       e2e_testing::ReferenceBudgets(2024)) {
    input.budgets.push_back(file.budget);
  }
  input.cleared = cleared;
  return input;
}

std::string ReadAll(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Runs the checker on the package in `dir`; its exit status, and what it
// printed into `*printed`.
int Check(const std::filesystem::path& dir, bool cleared,
          std::string* printed) {
  const int64_t total = e2e_testing::ReferencePublication(cleared)
                            .summary.expenditure_total_fen();
  EXPECT_GT(total, 0);
  const std::filesystem::path out = dir.parent_path() / "check.txt";
  const std::string command =
      absl::StrCat(DEBIAN_PYTHON3, " ", BUDGET_SOURCE_DIR,
                   "/tests/publication/check_fdp.py '", dir.string(), "' ",
                   FormatYuan(total), " > '", out.string(), "' 2>&1");
  const int status = std::system(command.c_str());
  *printed = ReadAll(out);
  return status;
}

// Writes the package and has the checker read it; returns the CSV.
std::string WriteAndCheck(bool cleared) {
  const std::filesystem::path dir = e2e_testing::MakeScratchDir() / "fdp";
  EXPECT_TRUE(WriteFiscalDataPackage(Input(cleared), dir.string()).ok());
  std::string printed;
  EXPECT_EQ(Check(dir, cleared, &printed), 0) << printed;
  return ReadAll(dir / kBudgetLinesFile);
}

// The classified projects of the reference budgets.
std::vector<v1::Project> Classified() {
  std::vector<v1::Project> projects;
  for (const v1::UnitBudget& budget : Input(true).budgets) {
    for (const v1::Project& project : budget.projects()) {
      if (project.classified()) projects.push_back(project);
    }
  }
  return projects;
}

TEST(FiscalDataPackageGoldenTest, APublicPackageSumsToTheTotalAndHidesSecrets) {
  const std::string csv = WriteAndCheck(/*cleared=*/false);
  ASSERT_FALSE(Classified().empty());
  for (const v1::Project& project : Classified()) {
    EXPECT_EQ(csv.find(project.code()), std::string::npos) << project.code();
    EXPECT_EQ(csv.find(project.name()), std::string::npos) << project.name();
  }
  EXPECT_NE(csv.find("涉密项目按规定不予公开"), std::string::npos);
}

TEST(FiscalDataPackageGoldenTest, AClearedPackageListsEveryLine) {
  const std::string csv = WriteAndCheck(/*cleared=*/true);
  for (const v1::Project& project : Classified()) {
    EXPECT_NE(csv.find(project.code()), std::string::npos) << project.code();
  }
  EXPECT_EQ(csv.find("涉密项目按规定不予公开"), std::string::npos);
}

// The schema is a real check: a descriptor that breaks it fails, each
// error named.
TEST(FiscalDataPackageGoldenTest, ADescriptorBreakingTheSchemaFails) {
  const std::filesystem::path dir = e2e_testing::MakeScratchDir() / "fdp";
  ASSERT_TRUE(WriteFiscalDataPackage(Input(false), dir.string()).ok());
  std::string descriptor = ReadAll(dir / "datapackage.json");
  for (const auto& [from, to] :
       std::vector<std::pair<std::string, std::string>>{
           {"\"currency\": \"CNY\"", "\"currency\": \"yuan\""},
           {"\"dimensionType\": \"activity\"",
            "\"dimensionType\": \"project\""}}) {
    const size_t at = descriptor.find(from);
    ASSERT_NE(at, std::string::npos) << from;
    descriptor.replace(at, from.size(), to);
  }
  std::ofstream(dir / "datapackage.json") << descriptor;
  std::string printed;
  EXPECT_NE(Check(dir, false, &printed), 0);
  EXPECT_NE(printed.find("model/measures/amount/currency"), std::string::npos)
      << printed;
  EXPECT_NE(printed.find("model/dimensions/project/dimensionType"),
            std::string::npos)
      << printed;
}

}  // namespace
}  // namespace budget
