// Tables 06 (一般公共预算基本支出), 07 (支出经济分类汇总) and 08 ("三公"经费):
// the economic classifications, 部门预算 款 paired with 政府预算 款.
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "budget/tables/expenditure_sums.h"
#include "budget/tables/funds.h"
#include "budget/tables/table_builders.h"
#include "budget/tables/table_cells.h"
#include "budget/tables/three_public.h"

namespace budget {
namespace {

// Group name of a (部门 款, 政府 款) pair; splits back at the '/'.
std::string EconomicPair(absl::string_view dept, absl::string_view gov) {
  return absl::StrCat(dept, "/", gov);
}

struct Pair {
  std::string dept;
  std::string gov;
};
Pair SplitPair(absl::string_view name) {
  const size_t slash = name.find('/');
  return {std::string(name.substr(0, slash)),
          std::string(name.substr(slash + 1))};
}

// 基本支出 is 人员经费 and 公用经费 only: 事业单位经营支出 is not in table 06
// even when 一般公共预算 money pays it.
bool IsFiscalBasic(v1::FundingSource source, v1::ExpenditureNature nature) {
  return IsGeneralPublicBudget(source) &&
         (nature == v1::EXPENDITURE_NATURE_BASIC_PERSONNEL ||
          nature == v1::EXPENDITURE_NATURE_BASIC_PUBLIC);
}

}  // namespace

absl::StatusOr<v1::DisclosureTable> BuildBasicEconomicTable(
    const TableContext& context) {
  constexpr int kColumns = 3;  // 合计, 人员经费, 公用经费.
  auto group = [](const ExpenditureKey& key) {
    return IsFiscalBasic(key.source(), key.nature())
               ? EconomicPair(key.dept_economic_code(), key.gov_economic_code())
               : "";
  };
  auto groups = SumExpenditure(
      *context.rollup, kColumns, group, [](const ExpenditureKey& key) {
        return std::vector<int>{
            0, key.nature() == v1::EXPENDITURE_NATURE_BASIC_PERSONNEL ? 1 : 2};
      });
  if (!groups.ok()) return groups.status();
  auto total = SumGroups(*groups, kColumns);
  if (!total.ok()) return total.status();

  v1::DisclosureTable table = context.NewTable("06", "一般公共预算基本支出表");
  AddHeaderRow(&table, {HeaderCell("部门预算支出经济分类科目", 2),
                        HeaderCell("政府预算支出经济分类科目编码", 2),
                        HeaderCell("本年一般公共预算基本支出", 3)});
  AddHeaderRow(&table, {HeaderCell("科目编码"), HeaderCell("科目名称"),
                        HeaderCell("科目编码"), HeaderCell("科目名称"),
                        HeaderCell("合计"), HeaderCell("人员经费"),
                        HeaderCell("公用经费")});
  v1::TableRow* total_row =
      AddRow(table.mutable_body_rows(), v1::ROW_KIND_TOTAL);
  AppendTexts(total_row, {"合计", "", "", ""});
  total->AppendTo(total_row);
  const Catalog& catalog = *context.catalog;
  for (const std::string& name : OrderByUnits(context, *groups, group)) {
    const Pair pair = SplitPair(name);
    v1::TableRow* row = AddRow(table.mutable_body_rows(), v1::ROW_KIND_DETAIL);
    AppendTexts(
        row, {pair.dept, catalog.NameOf(CodeSystem::kDeptEconomic, pair.dept),
              pair.gov, catalog.NameOf(CodeSystem::kGovEconomic, pair.gov)});
    groups->at(name).AppendTo(row);
  }
  return table;
}

namespace {

// Table 07 amount columns, in published order. The reference prints 13
// amount cells per row under 12 labels, its 4.2 of 其他收入 in the last; the
// unlabelled twelfth is taken to be 用事业基金弥补收支差额, the one source
// without a column of its own otherwise.
constexpr int kSummaryColumns = 13;
std::vector<int> SummaryColumns(v1::FundingSource source) {
  if (source == v1::FUNDING_SOURCE_INSTITUTION_FUND) return {0, 11};
  if (ClassifySource(source).carryover) return {0, 5};
  switch (source) {
    case v1::FUNDING_SOURCE_GENERAL_PUBLIC_BUDGET:
      return {0, 1, 2};
    case v1::FUNDING_SOURCE_GENERAL_PUBLIC_BUDGET_OTHER:
      return {0, 1};
    case v1::FUNDING_SOURCE_GOVERNMENT_FUND:
      return {0, 3};
    case v1::FUNDING_SOURCE_STATE_CAPITAL:
      return {0, 4};
    case v1::FUNDING_SOURCE_FISCAL_SPECIAL_ACCOUNT:
      return {0, 6};
    case v1::FUNDING_SOURCE_BUSINESS_INCOME:
      return {0, 7};
    case v1::FUNDING_SOURCE_SUBSIDY_FROM_SUPERIOR:
      return {0, 8};
    case v1::FUNDING_SOURCE_REMITTANCE_FROM_SUBORDINATE:
      return {0, 9};
    case v1::FUNDING_SOURCE_OPERATING_INCOME:
      return {0, 10};
    default:  // 其他收入.
      return {0, 12};
  }
}

}  // namespace

absl::StatusOr<v1::DisclosureTable> BuildEconomicSummaryTable(
    const TableContext& context) {
  auto group = [](const ExpenditureKey& key) {
    return EconomicPair(key.dept_economic_code(), key.gov_economic_code());
  };
  auto groups = SumExpenditure(
      *context.rollup, kSummaryColumns, group,
      [](const ExpenditureKey& key) { return SummaryColumns(key.source()); });
  if (!groups.ok()) return groups.status();
  auto total = SumGroups(*groups, kSummaryColumns);
  if (!total.ok()) return total.status();

  v1::DisclosureTable table = context.NewTable("07", "支出经济分类汇总表");
  AddHeaderRow(
      &table,
      {HeaderCell("部门预算经济分类", 3), HeaderCell("政府预算经济分类", 3),
       HeaderCell("总计", 1, 2), HeaderCell("一般公共预算", 2),
       HeaderCell("政府性基金", 1, 2), HeaderCell("国有资本经营预算", 1, 2),
       HeaderCell("上年结转结余", 1, 2),
       HeaderCell("财政专户管理资金收入", 1, 2), HeaderCell("事业收入", 1, 2),
       HeaderCell("上级补助收入", 1, 2), HeaderCell("附属单位上缴收入", 1, 2),
       HeaderCell("事业单位经营收入", 1, 2),
       HeaderCell("用事业基金弥补收支差额", 1, 2),
       HeaderCell("其他收入", 1, 2)});
  AddHeaderRow(&table,
               {HeaderCell("类"), HeaderCell("款"), HeaderCell("科目名称"),
                HeaderCell("类"), HeaderCell("款"), HeaderCell("科目名称"),
                HeaderCell("小计"), HeaderCell("其中：财政拨款")});
  v1::TableRow* total_row =
      AddRow(table.mutable_body_rows(), v1::ROW_KIND_TOTAL);
  AppendTexts(total_row, {"", "", "合计", "", "", ""});
  total->AppendTo(total_row);
  v1::TableRow* node_row =
      AddRow(table.mutable_body_rows(), v1::ROW_KIND_SUBTOTAL);
  AppendTexts(node_row,
              {context.node->code(), "", context.node->name(), "", "", ""});
  total->AppendTo(node_row);
  const Catalog& catalog = *context.catalog;
  for (const std::string& name : OrderByUnits(context, *groups, group)) {
    const Pair pair = SplitPair(name);
    const absl::string_view dept(pair.dept), gov(pair.gov);
    v1::TableRow* row = AddRow(table.mutable_body_rows(), v1::ROW_KIND_DETAIL);
    AppendTexts(
        row, {dept.substr(0, 3), dept.substr(3),
              catalog.NameOf(CodeSystem::kDeptEconomic, dept), gov.substr(0, 3),
              gov.substr(3), catalog.NameOf(CodeSystem::kGovEconomic, gov)});
    groups->at(name).AppendTo(row);
  }
  return table;
}

absl::StatusOr<v1::DisclosureTable> BuildThreePublicTable(
    const TableContext& context) {
  auto expenses = SumThreePublic(*context.rollup);
  if (!expenses.ok()) return expenses.status();
  v1::DisclosureTable table =
      context.NewTable("08", "一般公共预算“三公”经费支出情况表");
  AddHeaderRow(
      &table,
      {HeaderCell("“三公”经费合计", 1, 2), HeaderCell("因公出国（境）费", 1, 2),
       HeaderCell("公务用车购置及运行费", 3), HeaderCell("公务接待费", 1, 2)});
  AddHeaderRow(&table, {HeaderCell("小计"), HeaderCell("公务用车购置费"),
                        HeaderCell("公务用车运行费")});
  ColumnSums sums(6);
  sums.Add(0, expenses->total_fen());
  sums.Add(1, expenses->outbound_travel_fen());
  sums.Add(2, expenses->vehicle_purchase_fen());
  sums.Add(2, expenses->vehicle_operation_fen());
  sums.Add(3, expenses->vehicle_purchase_fen());
  sums.Add(4, expenses->vehicle_operation_fen());
  sums.Add(5, expenses->reception_fen());
  if (absl::Status status = sums.status(); !status.ok()) return status;
  sums.AppendTo(AddRow(table.mutable_body_rows(), v1::ROW_KIND_TOTAL));
  // The published note, verbatim (预算 08 表).
  table.add_notes(
      "注：按照党中央、国务院有关规定及部门预算管理有关规定，“三公”经费包括因"
      "公出国（境）费、公务用车购置及运行费和公务接待费。（1）因公出国（境）"
      "费，指单位工作人员公务出国（境）的住宿费、旅费、伙食补助费、杂费、培训"
      "费等支出。（2）公务用车购置及运行费，指单位公务用车购置费及租用费、燃料"
      "费、维修费、过路过桥费、保险费、安全奖励费用等支出，公务用车指用于履行公"
      "务的机动车辆，包括领导干部专车、一般公务用车和执法执勤用车。（3）公务接"
      "待费，指单位按规定开支的各类公务接待（含外宾接待）支出。");
  // As tables 09 and 10 say when they are empty: an empty row alone reads
  // like figures left out.
  if (expenses->total_fen() == 0) {
    table.add_notes("备注：本单位无一般公共预算“三公”经费支出，故本表无数据。");
  }
  return table;
}

}  // namespace budget
