// Codes are checked against the catalog edition of the budget's own fiscal
// year: a code the previous edition lists and the budget's edition does not
// is reported as retired (BGT-E016/E017/E018), not as unknown, and passes in
// a budget of the year that still lists it.
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "budget/validation/rules.h"
#include "budget/validation/validator.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/retired_catalog.h"

namespace budget {
namespace {

using ::testing::Contains;
using ::testing::IsEmpty;

v1::UnitBudget OneLineBudget(int fiscal_year) {
  v1::UnitBudget budget;
  budget.set_fiscal_year(fiscal_year);
  budget.set_unit_code("021001");
  v1::IncomeLine* income = budget.add_income();
  income->set_source(v1::FUNDING_SOURCE_GENERAL_PUBLIC_BUDGET);
  income->set_amount_fen(100000);
  v1::ExpenditureLine* line = budget.add_expenditures();
  line->set_function_code("2150517");     // 产业发展
  line->set_dept_economic_code("31013");  // 公务用车购置
  line->set_gov_economic_code("50303");   // 公务用车购置
  line->set_funding_source(v1::FUNDING_SOURCE_GENERAL_PUBLIC_BUDGET);
  line->set_nature(v1::EXPENDITURE_NATURE_BASIC_PUBLIC);
  line->set_amount_fen(100000);
  return budget;
}

// "rule_id field_path given=… expected=…" of every code finding.
std::vector<std::string> CodeFindings(const v1::UnitBudget& budget,
                                      const Catalog& catalog,
                                      bool strict = false) {
  ValidationContext context;
  context.catalog = &catalog;
  context.strict = strict;
  const v1::ValidationReport report = ValidateUnitBudget(budget, context);
  std::vector<std::string> found;
  for (const v1::Violation& v : report.violations()) {
    if (v.field_path().find("_code") == std::string::npos) continue;
    found.push_back(absl::StrCat(
        v.rule_id(), " ", v1::Severity_Name(v.severity()), " ", v.field_path(),
        " given=", v.given(), " expected=", v.expected()));
  }
  return found;
}

// A retired code keeps its last name, so that a budget booking it (a
// warning) does not print a blank 科目名称 (probe 11).
TEST(CatalogEditionChecksTest, RetiredCodesKeepTheirLastName) {
  const Catalog catalog = e2e_testing::CatalogRetiringIn2024({"2150517"});
  ASSERT_EQ(catalog.edition(), 2024);
  EXPECT_EQ(catalog.Find(CodeSystem::kFunction, "2150517"), nullptr);
  EXPECT_EQ(catalog.NameOf(CodeSystem::kFunction, "2150517"), "产业发展");
  EXPECT_EQ(catalog.NameOf(CodeSystem::kFunction, "2999998"), "");
}

TEST(CatalogEditionChecksTest, RetiredCodesAreReportedInALaterYearsBudget) {
  const Catalog catalog =
      e2e_testing::CatalogRetiringIn2024({"2150517", "31013", "50303"});
  const std::vector<std::string> found =
      CodeFindings(OneLineBudget(2024), catalog);
  EXPECT_THAT(found, Contains("BGT-E016 SEVERITY_WARNING "
                              "expenditures[0].function_code given=2150517 "
                              "expected=a code of the 2024 edition"));
  EXPECT_THAT(found, Contains("BGT-E017 SEVERITY_WARNING "
                              "expenditures[0].dept_economic_code given=31013 "
                              "expected=a code of the 2024 edition"));
  EXPECT_THAT(found, Contains("BGT-E018 SEVERITY_WARNING "
                              "expenditures[0].gov_economic_code given=50303 "
                              "expected=a code of the 2024 edition"));
  // Nor can the pair of retired codes be checked against the crosswalk.
  EXPECT_THAT(found, Contains("BGT-E022 SEVERITY_WARNING "
                              "expenditures[0].gov_economic_code "
                              "given=31013/50303 expected=a pair listed in "
                              "data/catalog/economic_crosswalk.csv"));
  EXPECT_EQ(found.size(), 4u) << ::testing::PrintToString(found);
  // A later year is checked against the newest edition, which retired them.
  EXPECT_EQ(CodeFindings(OneLineBudget(2025), catalog).size(), 4u);
}

TEST(CatalogEditionChecksTest, RetiredCodesPassInTheYearThatListsThem) {
  const Catalog catalog =
      e2e_testing::CatalogRetiringIn2024({"2150517", "31013", "50303"});
  EXPECT_THAT(CodeFindings(OneLineBudget(2023), catalog), IsEmpty());
}

TEST(CatalogEditionChecksTest, RetiredIsFatalInStrictModeLikeUnknown) {
  const Catalog catalog = e2e_testing::CatalogRetiringIn2024({"2150517"});
  EXPECT_THAT(CodeFindings(OneLineBudget(2024), catalog, /*strict=*/true),
              Contains(::testing::StartsWith("BGT-E016 SEVERITY_FATAL")));
}

}  // namespace
}  // namespace budget
