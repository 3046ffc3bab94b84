#include "budget/publication/part_two.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_join.h"
#include "budget/tables/disclosure_tables.h"
#include "budget/tables/percent.h"
#include "gtest/gtest.h"

namespace budget {
namespace {

constexpr int64_t kWan = 1'000'000;  // Fen in one 万元.

// A department with income and expenditure but none of the optional
// figures, and no prior year.
PublicationData Minimal() {
  PublicationData data;
  v1::Summary& s = data.summary;
  s.set_node_name("某局");
  s.set_fiscal_year(2025);
  s.set_income_total_fen(100 * kWan);
  s.set_expenditure_total_fen(100 * kWan);
  s.set_general_public_budget_fen(100 * kWan);
  *s.mutable_basic() = MakeShare(100 * kWan, 100 * kWan);
  *s.mutable_project() = MakeShare(0, 100 * kWan);
  *s.mutable_fiscal_basic() = MakeShare(100 * kWan, 100 * kWan);
  *s.mutable_fiscal_project() = MakeShare(0, 100 * kWan);
  *s.mutable_personnel() = MakeShare(80 * kWan, 100 * kWan);
  *s.mutable_public_funds() = MakeShare(20 * kWan, 100 * kWan);
  s.set_other_stated_unit_count(1);  // Stated, as zeros.
  return data;
}

std::string Text(const PublicationData& data,
                 const DepartmentTexts& texts = {}) {
  absl::StatusOr<std::vector<TextSection>> sections = BuildPartTwo(data, texts);
  EXPECT_TRUE(sections.ok()) << sections.status();
  return sections.ok() ? RenderPartTwoText(data.summary, *sections) : "";
}

TEST(PartTwoTest, ZeroFiguresTakeThePublishedNoneForm) {
  const std::string text = Text(Minimal());
  for (const char* none :
       {"某局2025年无“三公”经费支出预算。",
        "某局2025年无使用政府性基金预算拨款安排的支出。",
        "某局2025年无使用国有资本经营预算拨款安排的支出。",
        "某局2025年无机构运转经费支出预算。", "某局2025年无政府采购预算。",
        "某局2025年无使用政府预算资金或财政专户管理资金安排的项目。",
        "2024年期末，某局无车辆；无单位价值50万元以上通用设备；"
        "无单位价值100万元以上专用设备。"}) {
    EXPECT_TRUE(absl::StrContains(text, none)) << none << "\n" << text;
  }
  // A zero part of a share is left out, not printed as 0.0.
  EXPECT_TRUE(absl::StrContains(
      text, "支出合计100.0万元，其中：基本支出100.0万元，占100.0%。"))
      << text;
  EXPECT_TRUE(absl::StrContains(
      text, "人员经费支出80.0万元，占80.0%；公用经费支出20.0万元，占20.0%"));
  // No prior year: no comparison, no 专项转移支付 note.
  EXPECT_FALSE(absl::StrContains(text, "相比")) << text;
  EXPECT_FALSE(absl::StrContains(text, "专项转移支付")) << text;
}

// Figures no unit stated are said to be unstated, not zero (a budget file
// without its [other] section).
TEST(PartTwoTest, UnstatedFiguresAreNotPrintedAsNone) {
  PublicationData data = Minimal();
  data.summary.set_other_stated_unit_count(0);
  const std::string text = Text(data);
  for (const char* unstated : {"某局2025年预算未填报机构运转经费支出预算。",
                               "某局2025年预算未填报政府采购预算。",
                               "某局2025年预算未填报国有资产占用情况。"}) {
    EXPECT_TRUE(absl::StrContains(text, unstated)) << unstated << "\n" << text;
  }
  for (const char* none : {"无机构运转经费", "无政府采购", "无车辆"}) {
    EXPECT_FALSE(absl::StrContains(text, none)) << none << "\n" << text;
  }
}

// A 公交中心's 500.0 of 事业单位经营支出 is named beside 基本支出, with its
// share of the total; without it the sentence is as before (above).
TEST(PartTwoTest, ExpenditureNamesOperatingWithItsShare) {
  PublicationData data = Minimal();
  v1::Summary& s = data.summary;
  s.set_income_total_fen(620 * kWan);
  s.set_expenditure_total_fen(620 * kWan);
  *s.mutable_basic() = MakeShare(120 * kWan, 620 * kWan);
  *s.mutable_project() = MakeShare(0, 620 * kWan);
  *s.mutable_operating() = MakeShare(500 * kWan, 620 * kWan);
  const std::string text = Text(data);
  EXPECT_TRUE(absl::StrContains(
      text,
      "某局2025年支出合计620.0万元，其中：基本支出120.0万元，占"
      "19.4%；事业单位经营支出500.0万元，占80.6%。"))
      << text;
  // 一般公共预算 pays none of it: section 五 is unchanged.
  EXPECT_TRUE(absl::StrContains(text, "其中：基本支出100.0万元，占100.0%。"))
      << text;
}

TEST(PartTwoTest, DecreasesSayLessAndDropWithTheirReason) {
  PublicationData data = Minimal();
  v1::Summary& s = data.summary;
  s.set_compare_year(2024);
  *s.mutable_income_change() = MakeChange(125 * kWan, 100 * kWan);
  *s.mutable_expenditure_change() = MakeChange(100 * kWan, 100 * kWan);
  *s.mutable_general_public_budget_change() = MakeChange(80 * kWan, 100 * kWan);
  s.mutable_three_public()->set_reception_fen(3 * kWan);
  s.mutable_three_public()->set_total_fen(3 * kWan);
  s.mutable_prior_three_public()->set_reception_fen(5 * kWan);
  s.mutable_prior_three_public()->set_outbound_travel_fen(kWan);
  s.mutable_prior_three_public()->set_total_fen(6 * kWan);
  *s.mutable_three_public_change() = MakeChange(6 * kWan, 3 * kWan);
  DepartmentTexts texts;
  texts.reasons["income"] = "项目减少。";
  texts.reasons["reception"] = "从严控制";
  const std::string text = Text(data, texts);
  EXPECT_TRUE(absl::StrContains(
      text,
      "与2024年预算相比，收入减少25.0万元，下降20.0%。主要原因："
      "项目减少；支出持平。"))
      << text;
  EXPECT_TRUE(absl::StrContains(
      text,
      "支出持平。上年数为所属单位上年预算之和，未按机构调整作可比"
      "口径调整。"))
      << text;
  EXPECT_TRUE(
      absl::StrContains(text, "一般公共预算收支预算增加20.0万元，增长25.0%。"));
  EXPECT_TRUE(absl::StrContains(
      text, "2025年“三公”经费支出预算数比2024年减少3.0万元。"));
  EXPECT_TRUE(absl::StrContains(
      text,
      "（一）因公出国（境）费0.0万元，主要用于单位工作人员公务出国"
      "（境）的住宿费、旅费、伙食补助费、杂费、培训费等支出。预算数"
      "比2024年减少1.0万元。"))
      << text;
  EXPECT_TRUE(absl::StrContains(
      text, "预算数比2024年减少2.0万元，主要原因：从严控制。"));
  EXPECT_TRUE(
      absl::StrContains(text, "公务用车购置费预算数与2024年预算持平。"));
}

TEST(PartTwoTest, StatedFiguresAndFundsAreSpelledOut) {
  PublicationData data = Minimal();
  v1::OtherDisclosures* other = data.summary.mutable_other();
  other->set_institution_operating_fen(12 * kWan);
  other->set_procurement_goods_fen(kWan);
  other->set_procurement_works_fen(2 * kWan);
  other->set_general_vehicles(2);
  other->set_special_devices_over_1m(1);
  // Table 09 as built: a 合计 row whose first amount is this year's
  // money, 5.0, as table 01 lists it; table 04 lists the 2.0 carried over.
  v1::TableRow* total = data.tables["09"].add_body_rows();
  total->set_kind(v1::ROW_KIND_TOTAL);
  total->add_cells()->set_text("合计");
  total->add_cells()->set_amount_fen(5 * kWan);
  v1::TableRow* income = data.tables["01"].add_body_rows();
  income->add_cells()->set_text(std::string(kTable01GovernmentFundIncome));
  income->add_cells()->set_amount_fen(5 * kWan);
  for (const auto& [label, wan] : std::vector<std::pair<std::string, int>>{
           {"二、上年结转", 2},
           {"（一）一般公共预算拨款", 0},
           {"（二）政府性基金预算拨款", 2}}) {
    v1::TableRow* row = data.tables["04"].add_body_rows();
    row->add_cells()->set_text(label);
    if (wan != 0) row->add_cells()->set_amount_fen(wan * kWan);
  }
  const std::string text = Text(data);
  EXPECT_TRUE(
      absl::StrContains(text, "某局2025年机构运转经费支出预算12.0万元"));
  EXPECT_TRUE(absl::StrContains(
      text,
      "某局2025年政府采购预算安排3.0万元，其中：政府采购货物预算1.0"
      "万元、政府采购工程预算2.0万元。"))
      << text;
  EXPECT_TRUE(absl::StrContains(
      text,
      "某局2025年使用本年政府性基金预算拨款安排的支出5.0万元，使用"
      "上年结转安排的支出2.0万元。"))
      << text;
  // This year's money, as 一般公共预算 in the same paragraph.
  EXPECT_TRUE(absl::StrContains(
      text,
      "某局2025年政府性基金预算收支预算5.0万元（另使用上年结转2."
      "0万元）。"))
      << text;
  EXPECT_TRUE(absl::StrContains(
      text,
      "2024年期末，某局共有车辆2辆，其中：一般公务用车2辆；无单位价值"
      "50万元以上通用设备；单位价值100万元以上专用设备1台（套）。"))
      << text;
}

// 一般公共预算 money carried over from last year and spent this year is
// named beside this year's, as for the other two funds.
TEST(PartTwoTest, GeneralBudgetCarryOverIsNamed) {
  PublicationData data = Minimal();
  // Table 04's income side as built: this year's money, then 上年结转.
  for (const auto& [label, wan] : std::vector<std::pair<std::string, int>>{
           {"一、本年收入", 100},
           {"（一）一般公共预算拨款", 100},
           {"二、上年结转", 3},
           {"（一）一般公共预算拨款", 3}}) {
    v1::TableRow* row = data.tables["04"].add_body_rows();
    row->add_cells()->set_text(label);
    row->add_cells()->set_amount_fen(wan * kWan);
  }
  const std::string text = Text(data);
  EXPECT_TRUE(absl::StrContains(
      text,
      "某局2025年一般公共预算收支预算100.0万元（另使用上年结转3."
      "0万元）。"))
      << text;
}

// The income paragraph names its whole as table 01 does: 收入总计 when
// 上年结转结余 is one of its parts.
TEST(PartTwoTest, IncomeWithCarryOverIsTheTotal) {
  PublicationData data = Minimal();
  data.summary.set_carryover_fen(10 * kWan);
  for (const auto& [label, wan] : std::vector<std::pair<std::string, int>>{
           {"一、一般公共预算", 90}, {"上年结转结余", 10}}) {
    v1::TableRow* row = data.tables["01"].add_body_rows();
    row->add_cells()->set_text(label);
    row->add_cells()->set_amount_fen(wan * kWan);
  }
  EXPECT_TRUE(absl::StrContains(
      Text(data),
      "某局2025年收入总计100.0万元，其中：一般公共预算90.0万元；上年"
      "结转结余10.0万元。"))
      << Text(data);
}

// A fund spending only what it carried over: no "收支预算0.0万元".
TEST(PartTwoTest, AFundWithCarryOverOnlySaysSo) {
  PublicationData data = Minimal();
  for (const auto& [label, wan] : std::vector<std::pair<std::string, int>>{
           {"二、上年结转", 3},
           {"（一）一般公共预算拨款", 0},
           {"（二）政府性基金预算拨款", 3}}) {
    v1::TableRow* row = data.tables["04"].add_body_rows();
    row->add_cells()->set_text(label);
    if (wan != 0) row->add_cells()->set_amount_fen(wan * kWan);
  }
  const std::string text = Text(data);
  EXPECT_TRUE(absl::StrContains(
      text, "某局2025年无政府性基金预算本年收支预算，使用上年结转3.0万元。"))
      << text;
  EXPECT_TRUE(absl::StrContains(
      text,
      "某局2025年无使用本年政府性基金预算拨款安排的支出，使用上年结"
      "转安排的支出3.0万元。"))
      << text;
}

// 用事业基金弥补收支差额 is part of 上年结转结余 in table 01; the paragraph
// says how much, as the table's note does.
TEST(PartTwoTest, IncomeNamesTheInstitutionFundInTheCarryOver) {
  PublicationData data = Minimal();
  data.summary.set_carryover_fen(10 * kWan);
  data.summary.set_institution_fund_fen(3 * kWan);
  for (const auto& [label, wan] : std::vector<std::pair<std::string, int>>{
           {"五、事业收入", 90}, {"上年结转结余", 10}}) {
    v1::TableRow* row = data.tables["01"].add_body_rows();
    row->add_cells()->set_text(label);
    row->add_cells()->set_amount_fen(wan * kWan);
  }
  EXPECT_TRUE(absl::StrContains(
      Text(data),
      "其中：事业收入90.0万元；上年结转结余10.0万元（含用事业基金"
      "弥补收支差额3.0万元）。"))
      << Text(data);
}

// Table 13 as the public reader sees it: one project with goals, one
// without, one classified (masked, not counted).
TEST(PartTwoTest, GoalCoverageCountsTheProjectsOfTable13) {
  PublicationData data = Minimal();
  v1::DisclosureTable& table = data.tables["13"];
  auto add = [&](std::vector<std::string> texts, bool masked) {
    v1::TableRow* row = table.add_body_rows();
    row->set_kind(v1::ROW_KIND_DETAIL);
    for (size_t i = 0; i < texts.size(); ++i) {
      if (masked && i >= 2 && i < 6) {
        row->add_cells()->set_masked(true);
      } else {
        row->add_cells()->set_text(texts[i]);
      }
    }
  };
  add({"1", "甲", "", "", "", "", "", "", "数量", "10 个"}, false);
  add({"", "", "", "", "", "", "", "", "", ""}, false);
  add({"2", "乙", "", "", "", "", "", "", "", ""}, false);
  add({"", "涉密项目", "", "", "", "", "", "", "", ""}, true);
  EXPECT_TRUE(absl::StrContains(
      Text(data),
      "某局2025年使用政府预算资金和财政专户管理资金安排的2个预算项"
      "目中1个编制了绩效目标。"));
  table.mutable_body_rows(0)->mutable_cells(8)->set_text("");
  table.mutable_body_rows(0)->mutable_cells(9)->set_text("");
  EXPECT_TRUE(absl::StrContains(
      Text(data),
      "某局2025年使用政府预算资金和财政专户管理资金安排的2个预算项"
      "目均未编制绩效目标。"));
  table.mutable_body_rows(0)->mutable_cells(8)->set_text("数量");
  table.mutable_body_rows(2)->mutable_cells(6)->set_text("成本");
  EXPECT_TRUE(absl::StrContains(Text(data),
                                "某局2025年预算项目均按要求编制了绩效目标"));
}

}  // namespace
}  // namespace budget
