// Every file of the reference department's golden data (registry, 2024 and
// 2023 unit budgets) parses with the real parsers and passes the validator
// with the registry, the embedded catalog and, for 2024, the unit's 2023
// budget as prior year: no parse error, no fatal finding. Warnings are
// printed, not failed, since the shipped catalogs are partial.
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "budget/budget_file/budget_file.h"
#include "budget/budget_file/units_file.h"
#include "budget/catalog/catalog.h"
#include "budget/consolidation/unit_tree.h"
#include "budget/validation/validator.h"
#include "gtest/gtest.h"

namespace budget {
namespace {

namespace fs = std::filesystem;

const fs::path kFixtures = GOLDEN_FIXTURES_DIR;
constexpr int kYear = 2024;
constexpr int kPriorYear = 2023;

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string Describe(const std::vector<FileError>& errors) {
  std::string out;
  for (const FileError& e : errors) absl::StrAppend(&out, e.ToString(), "\n");
  return out;
}

// The registry, parsed and built once; a failure here fails every test.
const UnitTree& Registry() {
  static const UnitTree* const tree = [] {
    const fs::path path = kFixtures / "units.units";
    ParsedFile<std::vector<v1::Unit>> units =
        ParseUnitsFile(ReadFile(path), path.string());
    EXPECT_TRUE(units.ok()) << Describe(units.errors);
    absl::StatusOr<UnitTree> built = UnitTree::Build(units.value);
    EXPECT_TRUE(built.ok()) << built.status();
    return new UnitTree(built.ok() ? *std::move(built) : UnitTree());
  }();
  return *tree;
}

// The units that submit budgets, i.e. all but GROUP nodes, in code order.
std::vector<std::string> BudgetUnits() {
  std::vector<std::string> codes;
  for (const UnitTree::Visit& visit : Registry().Subtree("021")) {
    if (visit.unit->kind() != v1::UNIT_KIND_GROUP) {
      codes.push_back(visit.unit->code());
    }
  }
  return codes;
}

BudgetFile ParseUnitBudget(int year, const std::string& unit) {
  const fs::path path =
      kFixtures / std::to_string(year) / absl::StrCat(unit, ".budget");
  EXPECT_TRUE(fs::exists(path)) << path;
  ParsedFile<BudgetFile> parsed =
      ParseBudgetFile(ReadFile(path), path.string());
  EXPECT_TRUE(parsed.ok()) << Describe(parsed.errors);
  return std::move(parsed.value);
}

// Fails on each fatal finding, prints the warnings; both with file:line.
void ExpectNoFatal(const BudgetFile& file, const v1::UnitBudget* prior_year) {
  ValidationContext context;
  context.catalog = &Catalog::Default();
  context.registry = &Registry();
  context.prior_year = prior_year;
  const v1::ValidationReport report = ValidateUnitBudget(file.budget, context);
  for (const v1::Violation& v : report.violations()) {
    const std::string line =
        absl::StrCat(file.source_map.Where(v.field_path()), ": ", v.rule_id(),
                     " ", v.field_path(), ": ", v.message(), " (given \"",
                     v.given(), "\"; expected ", v.expected(), ")");
    if (v.severity() == v1::SEVERITY_FATAL) {
      ADD_FAILURE() << line;
    } else {
      std::cout << "warning: " << line << "\n";
    }
  }
  EXPECT_FALSE(HasFatal(report));
}

TEST(GoldenFixturesTest, RegistryHasTheDepartmentAndItsSixUnits) {
  ASSERT_NE(Registry().Find("021"), nullptr);
  EXPECT_EQ(Registry().Find("021")->kind(), v1::UNIT_KIND_GROUP);
  EXPECT_EQ(BudgetUnits().size(), 6u);
}

TEST(GoldenFixturesTest, PriorYearBudgetsParseAndValidate) {
  for (const std::string& unit : BudgetUnits()) {
    SCOPED_TRACE(unit);
    const BudgetFile file = ParseUnitBudget(kPriorYear, unit);
    EXPECT_EQ(file.budget.unit_code(), unit);
    EXPECT_EQ(file.budget.fiscal_year(), kPriorYear);
    ExpectNoFatal(file, nullptr);
  }
}

TEST(GoldenFixturesTest, BudgetsParseAndValidateAgainstThePriorYear) {
  for (const std::string& unit : BudgetUnits()) {
    SCOPED_TRACE(unit);
    const BudgetFile prior = ParseUnitBudget(kPriorYear, unit);
    const BudgetFile file = ParseUnitBudget(kYear, unit);
    EXPECT_EQ(file.budget.unit_code(), unit);
    EXPECT_EQ(file.budget.fiscal_year(), kYear);
    ExpectNoFatal(file, &prior.budget);
  }
}

// Table 13 gives every published project with 政府预算 money its indicators;
// the classified project's are withheld, the 退休干部 project (其他收入) is
// not in table 13.
TEST(GoldenFixturesTest, PublishedFiscalProjectsCarryTheirIndicators) {
  int with_indicators = 0;
  for (const std::string& unit : BudgetUnits()) {
    const v1::UnitBudget budget = ParseUnitBudget(kYear, unit).budget;
    for (const v1::Project& project : budget.projects()) {
      SCOPED_TRACE(project.name());
      bool fiscal = false;
      for (const v1::ExpenditureLine& line : budget.expenditures()) {
        fiscal |=
            line.project_code() == project.code() &&
            line.funding_source() == v1::FUNDING_SOURCE_GENERAL_PUBLIC_BUDGET;
      }
      if (project.classified() || !fiscal) {
        EXPECT_EQ(project.indicators_size(), 0);
        continue;
      }
      EXPECT_GT(project.indicators_size(), 0);
      ++with_indicators;
    }
  }
  EXPECT_GT(with_indicators, 0);
}

TEST(GoldenFixturesTest, TheOfficeSubmitsTheDepartmentsOverallGoal) {
  for (const std::string& unit : BudgetUnits()) {
    SCOPED_TRACE(unit);
    const v1::UnitBudget budget = ParseUnitBudget(kYear, unit).budget;
    if (unit != "021001") {
      EXPECT_FALSE(budget.has_overall_goal());
      continue;
    }
    ASSERT_TRUE(budget.has_overall_goal());
    const v1::OverallPerformanceGoal& goal = budget.overall_goal();
    EXPECT_EQ(goal.scope_code(), "021");
    EXPECT_FALSE(goal.annual_objective().empty());
    EXPECT_EQ(goal.annual_objective().find("<p>"), std::string::npos);
    EXPECT_GT(goal.tasks_size(), 0);
    for (const v1::PerformanceIndicator& indicator : goal.indicators()) {
      EXPECT_FALSE(indicator.level1().empty()) << indicator.level3();
      EXPECT_FALSE(indicator.level2().empty()) << indicator.level3();
    }
  }
}

}  // namespace
}  // namespace budget
