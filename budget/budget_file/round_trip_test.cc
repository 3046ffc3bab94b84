// Parse(Format(x)) == x for budgets and registries, on hand-picked awkward
// values and on random ones.
#include <cstdint>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "budget/budget_file/budget_file.h"
#include "budget/budget_file/units_file.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"

namespace budget {
namespace {

using google::protobuf::util::MessageDifferencer;

// Random field values, biased towards what CSV and the section layout must
// escape: commas, quotes, line breaks, leading '#' and '[', blanks.
class RandomValues {
 public:
  explicit RandomValues(uint32_t seed) : engine_(seed) {}

  int Below(int n) {
    return std::uniform_int_distribution<int>(0, n - 1)(engine_);
  }

  std::string Text() {
    static const std::vector<std::string> kPieces = {
        "a", "Z", "0", "7",  " ",    ",", "\"", "\n", "\r\n", "\r",
        "#", "[", "]", "\t", "预算", "≥", "次", "；", "\"\"", ",,"};
    std::string text;
    const int length = Below(6);
    for (int i = 0; i < length; ++i) text += kPieces[Below(kPieces.size())];
    return text;
  }

  int64_t Amount() {
    switch (Below(4)) {
      case 0:
        return std::numeric_limits<int64_t>::max();
      case 1:
        // INT64_MIN itself prints as yuan that ParseYuan cannot read back.
        return std::numeric_limits<int64_t>::min() + 1;
      default:
        return std::uniform_int_distribution<int64_t>(
            -1'000'000'000'000, 1'000'000'000'000)(engine_);
    }
  }

  int32_t Int32() {
    return std::uniform_int_distribution<int32_t>(
        std::numeric_limits<int32_t>::min(),
        std::numeric_limits<int32_t>::max())(engine_);
  }

  bool Bool() { return Below(2) == 1; }

  v1::PerformanceIndicator Indicator() {
    v1::PerformanceIndicator indicator;
    indicator.set_level1(Text());
    indicator.set_level2(Text());
    indicator.set_level3(Text());
    indicator.set_target(Text());
    indicator.set_explanation(Text());
    return indicator;
  }

 private:
  std::mt19937 engine_;
};

v1::UnitBudget RandomBudget(RandomValues& r) {
  v1::UnitBudget b;
  b.set_unit_code(r.Text());
  b.set_fiscal_year(r.Int32());
  for (int i = r.Below(4); i > 0; --i) {
    v1::IncomeLine& line = *b.add_income();
    line.set_source(static_cast<v1::FundingSource>(r.Below(17)));
    line.set_amount_fen(r.Amount());
    line.set_counterpart_unit(r.Text());
    line.set_memo(r.Text());
  }
  for (int i = r.Below(5); i > 0; --i) {
    v1::ExpenditureLine& line = *b.add_expenditures();
    line.set_function_code(r.Text());
    line.set_dept_economic_code(r.Text());
    line.set_gov_economic_code(r.Text());
    line.set_funding_source(static_cast<v1::FundingSource>(r.Below(17)));
    line.set_nature(static_cast<v1::ExpenditureNature>(r.Below(4)));
    line.set_project_code(absl::StrCat(r.Below(1000)));
    line.set_amount_fen(r.Amount());
    line.set_transfer_kind(static_cast<v1::TransferKind>(r.Below(3)));
    line.set_counterpart_unit(r.Text());
    line.set_memo(r.Text());
  }
  for (int i = r.Below(4); i > 0; --i) {
    v1::Project& project = *b.add_projects();
    // Indicators attach by code, so codes are unique (and space-free).
    project.set_code(i == 1 && r.Bool() ? "" : absl::StrCat("4101002400", i));
    project.set_name(r.Text());
    project.set_category(static_cast<v1::ProjectCategory>(r.Below(3)));
    project.set_classified(r.Bool());
    for (int k = r.Below(3); k > 0; --k) {
      *project.add_indicators() = r.Indicator();
    }
  }
  if (r.Bool()) {
    v1::OverallPerformanceGoal& goal = *b.mutable_overall_goal();
    goal.set_scope_code(r.Text());
    goal.set_annual_objective(r.Text());
    for (int i = r.Below(3); i > 0; --i) {
      v1::PerformanceTask& task = *goal.add_tasks();
      task.set_name(r.Text());
      task.set_content(r.Text());
    }
    for (int i = r.Below(3); i > 0; --i) *goal.add_indicators() = r.Indicator();
  }
  if (r.Bool()) {
    v1::OtherDisclosures& other = *b.mutable_other();
    other.set_institution_operating_fen(r.Amount());
    other.set_procurement_goods_fen(r.Amount());
    other.set_procurement_works_fen(r.Amount());
    other.set_procurement_services_fen(r.Amount());
    other.set_general_vehicles(r.Int32());
    other.set_other_vehicles(r.Int32());
    other.set_general_devices_over_500k(r.Int32());
    other.set_special_devices_over_1m(r.Int32());
  }
  return b;
}

void ExpectBudgetRoundTrip(const v1::UnitBudget& budget) {
  const std::string text = FormatBudgetFile(budget);
  const ParsedFile<BudgetFile> parsed = ParseBudgetFile(text, "r.budget");
  ASSERT_TRUE(parsed.ok()) << parsed.status() << "\n" << text;
  std::string difference;
  MessageDifferencer differencer;
  differencer.ReportDifferencesToString(&difference);
  EXPECT_TRUE(differencer.Compare(budget, parsed.value.budget))
      << difference << "\n"
      << text;
}

TEST(BudgetRoundTripTest, EmptyBudget) { ExpectBudgetRoundTrip({}); }

TEST(BudgetRoundTripTest, EmptyGoalAndOtherStayPresent) {
  v1::UnitBudget budget;
  budget.mutable_overall_goal();
  budget.mutable_other();
  ExpectBudgetRoundTrip(budget);
}

TEST(BudgetRoundTripTest, FormatWritesAHeaderCommentAndShortEnumNames) {
  v1::UnitBudget budget;
  budget.set_unit_code("021017");
  budget.set_fiscal_year(2024);
  v1::IncomeLine& line = *budget.add_income();
  line.set_source(v1::FUNDING_SOURCE_GENERAL_PUBLIC_BUDGET);
  line.set_amount_fen(837'100'000);
  line.set_memo("拨款, \"一般\"");
  EXPECT_EQ(FormatBudgetFile(budget),
            "# Budget of unit 021017 for 2024; format: "
            "docs/budget-file-format.md\n"
            "[budget]\n"
            "unit_code,021017\n"
            "fiscal_year,2024\n"
            "\n"
            "[income]\n"
            "source,amount_yuan,counterpart_unit,memo\n"
            "GENERAL_PUBLIC_BUDGET,8371000.00,,\"拨款, \"\"一般\"\"\"\n"
            "\n");
  ExpectBudgetRoundTrip(budget);
}

TEST(BudgetRoundTripTest, RandomBudgets) {
  RandomValues random(20240101);
  for (int i = 0; i < 500; ++i) {
    SCOPED_TRACE(i);
    ExpectBudgetRoundTrip(RandomBudget(random));
    if (HasFailure()) return;
  }
}

TEST(UnitsRoundTripTest, RandomRegistries) {
  RandomValues random(7);
  for (int i = 0; i < 200; ++i) {
    std::vector<v1::Unit> units(random.Below(5));
    for (v1::Unit& unit : units) {
      unit.set_code(random.Text());
      unit.set_name(random.Text());
      unit.set_parent_code(random.Text());
      unit.set_kind(static_cast<v1::UnitKind>(random.Below(5)));
    }
    const std::string text = FormatUnitsFile(units);
    const ParsedFile<std::vector<v1::Unit>> parsed =
        ParseUnitsFile(text, "r.units");
    ASSERT_TRUE(parsed.ok()) << parsed.status() << "\n" << text;
    ASSERT_EQ(parsed.value.size(), units.size()) << text;
    for (size_t k = 0; k < units.size(); ++k) {
      EXPECT_TRUE(MessageDifferencer::Equals(parsed.value[k], units[k]))
          << text;
    }
  }
}

}  // namespace
}  // namespace budget
