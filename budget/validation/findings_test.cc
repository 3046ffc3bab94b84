#include "budget/validation/findings.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace budget {
namespace {

std::vector<std::string> Ids(const v1::ValidationReport& report) {
  std::vector<std::string> ids;
  for (const v1::Violation& v : report.violations()) {
    ids.push_back(v.rule_id() + "@" + v.field_path());
  }
  return ids;
}

TEST(FindingsTest, FatalFirstThenFieldOrderThenInsertionOrder) {
  Findings findings(/*strict=*/false);
  const FieldPath line3 = FieldPath::Element(4, "expenditures", 3, 1, "a");
  const FieldPath line12 = FieldPath::Element(4, "expenditures", 12, 1, "a");
  findings.Add(rules::kFunctionUnknown, line3, "x", "y", "m");  // Warning.
  findings.Add(rules::kPriorYearSwing, FieldPath::Top(4, "expenditures"), "x",
               "y", "m");  // Warning.
  findings.Add(rules::kFunctionFormat, line12, "x", "y", "m");
  findings.Add(rules::kNatureEconomic, line3, "x", "y", "m");
  findings.Add(rules::kFiscalYear, FieldPath::Top(2, "fiscal_year"), "x", "y",
               "m");
  findings.Add(rules::kGovEconomicKind, line3, "x", "y", "m");
  EXPECT_THAT(Ids(findings.Report()),
              ::testing::ElementsAre(
                  "BGT-E001@fiscal_year", "BGT-E031@expenditures[3].a",
                  "BGT-E020@expenditures[3].a", "BGT-E010@expenditures[12].a",
                  "BGT-E080@expenditures", "BGT-E011@expenditures[3].a"));
}

TEST(FindingsTest, StrictEscalatesOnlyCatalogGaps) {
  Findings strict(/*strict=*/true);
  strict.Add(rules::kFunctionUnknown, FieldPath::Top(4, "e"), "", "", "");
  strict.Add(rules::kProjectUnused, FieldPath::Top(5, "p"), "", "", "");
  const v1::ValidationReport report = strict.Report();
  ASSERT_EQ(report.violations_size(), 2);
  EXPECT_EQ(report.violations(0).severity(), v1::SEVERITY_FATAL);
  EXPECT_EQ(report.violations(1).severity(), v1::SEVERITY_WARNING);
}

}  // namespace
}  // namespace budget
