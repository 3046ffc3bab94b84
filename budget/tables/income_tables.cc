// Tables 01 (收支总体), 02 (收入总体) and 04 (财政拨款收支总体).
#include <string>
#include <vector>

#include "absl/container/btree_map.h"
#include "absl/container/flat_hash_map.h"
#include "budget/consolidation/packed_budget.h"
#include "budget/money.h"
#include "budget/tables/disclosure_tables.h"
#include "budget/tables/expenditure_sums.h"
#include "budget/tables/function_classes.h"
#include "budget/tables/funds.h"
#include "budget/tables/table_builders.h"
#include "budget/tables/table_cells.h"

namespace budget {
namespace {

using v1::FundingSource;

// Income per source summed per row, each source adding to the rows
// `rows_of` names.
template <typename RowsOf>
absl::StatusOr<ColumnSums> SumIncome(
    const absl::btree_map<FundingSource, int64_t>& income, int rows,
    RowsOf rows_of) {
  ColumnSums sums(rows);
  for (const auto& [source, fen] : income) {
    for (int row : rows_of(source)) sums.Add(row, fen);
  }
  if (absl::Status status = sums.status(); !status.ok()) return status;
  return sums;
}
template <typename RowsOf>
absl::StatusOr<ColumnSums> SumIncome(const NodeRollup& rollup, int rows,
                                     RowsOf rows_of) {
  return SumIncome(rollup.income, rows, rows_of);
}

// A unit's own (本级) income per source: what its row of table 02 shows even
// when units are registered below it, whose income and the transfers with
// them its subtree's rollup would fold in.
absl::StatusOr<absl::btree_map<FundingSource, int64_t>> OwnIncome(
    const PackedBudget& budget) {
  absl::btree_map<FundingSource, int64_t> income;
  for (const v1::IncomeLine& line : budget.income()) {
    auto sum = CheckedAdd(income[line.source()], line.amount_fen());
    if (!sum.ok()) return sum.status();
    income[line.source()] = *sum;
  }
  return income;
}

std::string FunctionClassOf(const ExpenditureKey& key) {
  return std::string(key.function_code().substr(0, 3));
}

// One amount cell, blank when zero.
v1::TableCell AmountOrBlank(int64_t fen) {
  return fen == 0 ? EmptyCell() : AmountCell(fen);
}

// The 类 rows of tables 01 and 04 in published order, then any 类 the node
// spends on that the published list lacks, so that rows add up to totals.
std::vector<std::pair<std::string, std::string>> ClassRows(
    const TableContext& context, const GroupSums& spent, bool table_04) {
  std::vector<std::pair<std::string, std::string>> rows;
  for (const FunctionClassRow& row : FunctionClassRows()) {
    rows.emplace_back(std::string(row.code),
                      std::string(table_04 ? row.label_04 : row.label_01));
  }
  for (const auto& [code, sums] : spent) {
    bool listed = false;
    for (const auto& row : rows) listed = listed || row.first == code;
    if (!listed) {
      rows.emplace_back(code, std::string(context.catalog->NameOf(
                                  CodeSystem::kFunction, code)));
    }
  }
  return rows;
}

// 01 income rows: label and the sources adding to it.
constexpr int kIncomeRows01 = 10;
std::vector<int> IncomeRows01(FundingSource source) {
  switch (source) {
    case v1::FUNDING_SOURCE_GENERAL_PUBLIC_BUDGET:
      return {0, 1};
    case v1::FUNDING_SOURCE_GENERAL_PUBLIC_BUDGET_OTHER:
      return {0};
    case v1::FUNDING_SOURCE_GOVERNMENT_FUND:
      return {2};
    case v1::FUNDING_SOURCE_STATE_CAPITAL:
      return {3};
    case v1::FUNDING_SOURCE_FISCAL_SPECIAL_ACCOUNT:
      return {4};
    case v1::FUNDING_SOURCE_BUSINESS_INCOME:
      return {5};
    case v1::FUNDING_SOURCE_OPERATING_INCOME:
      return {6};
    case v1::FUNDING_SOURCE_SUBSIDY_FROM_SUPERIOR:
      return {7};
    case v1::FUNDING_SOURCE_REMITTANCE_FROM_SUBORDINATE:
      return {8};
    case v1::FUNDING_SOURCE_OTHER_INCOME:
      return {9};
    default:
      // Money of earlier years (上年结转结余, 用事业基金弥补收支差额): below
      // 本年收入合计, as CarriedOver.
      return {};
  }
}
constexpr absl::string_view kIncomeLabels01[kIncomeRows01] = {
    "一、一般公共预算",           "其中：财政拨款",
    kTable01GovernmentFundIncome, kTable01StateCapitalIncome,
    "四、财政专户管理资金收入",   "五、事业收入",
    "六、事业单位经营收入",       "七、上级补助收入",
    "八、附属单位上缴收入",       "九、其他收入"};

// Tables 01 and 02 show 用事业基金弥补收支差额 with the money of earlier
// years (neither has a row or column for it; table 07 has); the note says
// how much of that is 事业基金, so the three tables read alike.
void AddInstitutionFundNote(const NodeRollup& rollup,
                            v1::DisclosureTable* table) {
  const int64_t fund = rollup.IncomeFrom(v1::FUNDING_SOURCE_INSTITUTION_FUND);
  if (fund == 0) return;
  table->add_notes(absl::StrCat("注：上年结转结余含用事业基金弥补收支差额",
                                FormatWan(fund), "万元。"));
}

int64_t CarriedOver(const NodeRollup& rollup) {
  int64_t fen = 0;
  for (const auto& [source, amount] : rollup.income) {
    if (ClassifySource(source).carryover) fen += amount;
  }
  return fen;
}

}  // namespace

absl::StatusOr<v1::DisclosureTable> BuildIncomeExpenditureTable(
    const TableContext& context) {
  const NodeRollup& rollup = *context.rollup;
  auto income = SumIncome(rollup, kIncomeRows01, IncomeRows01);
  if (!income.ok()) return income.status();
  auto spent =
      SumExpenditure(rollup, 1, FunctionClassOf,
                     [](const ExpenditureKey&) { return std::vector<int>{0}; });
  if (!spent.ok()) return spent.status();

  v1::DisclosureTable table = context.NewTable("01", "部门收支总体情况表");
  AddHeaderRow(&table, {HeaderCell("收入", 2), HeaderCell("支出", 2)});
  AddHeaderRow(&table, {HeaderCell("项目"), HeaderCell("金额"),
                        HeaderCell("项目"), HeaderCell("金额")});
  const auto classes = ClassRows(context, *spent, /*table_04=*/false);
  for (size_t i = 0; i < classes.size(); ++i) {
    v1::TableRow* row = AddRow(table.mutable_body_rows(), v1::ROW_KIND_DETAIL);
    if (i < kIncomeRows01) {
      AppendTexts(row, {kIncomeLabels01[i]});
      *row->add_cells() = AmountOrBlank(income->at(i));
    } else {
      AppendTexts(row, {"", ""});
    }
    AppendTexts(row, {classes[i].second});
    auto it = spent->find(classes[i].first);
    *row->add_cells() =
        AmountOrBlank(it == spent->end() ? 0 : it->second.at(0));
  }
  const int64_t carried_over = CarriedOver(rollup);
  const int64_t this_year_income = rollup.income_fen - carried_over;
  const int64_t carried_forward = rollup.income_fen - rollup.expenditure_fen;
  auto add_pair = [&](v1::RowKind kind, absl::string_view left, int64_t a,
                      absl::string_view right, int64_t b) {
    v1::TableRow* row = AddRow(table.mutable_body_rows(), kind);
    AppendTexts(row, {left});
    *row->add_cells() = AmountOrBlank(a);
    AppendTexts(row, {right});
    *row->add_cells() = AmountOrBlank(b);
  };
  add_pair(v1::ROW_KIND_SUBTOTAL, "本年收入合计", this_year_income,
           "本年支出合计", rollup.expenditure_fen);
  add_pair(v1::ROW_KIND_DETAIL, "上年结转结余", carried_over, "年终结转结余",
           carried_forward);
  add_pair(v1::ROW_KIND_TOTAL, "收入总计", rollup.income_fen, "支出总计",
           rollup.expenditure_fen + carried_forward);
  AddInstitutionFundNote(rollup, &table);
  return table;
}

namespace {

// Table 02 amount columns.
constexpr int kIncomeColumns02 = 18;
std::vector<int> IncomeColumns02(FundingSource source) {
  switch (source) {
    case v1::FUNDING_SOURCE_GENERAL_PUBLIC_BUDGET:
      return {0, 1, 2, 3};
    case v1::FUNDING_SOURCE_GENERAL_PUBLIC_BUDGET_OTHER:
      return {0, 1, 2};
    case v1::FUNDING_SOURCE_GOVERNMENT_FUND:
      return {0, 1, 4};
    case v1::FUNDING_SOURCE_STATE_CAPITAL:
      return {0, 1, 5};
    case v1::FUNDING_SOURCE_FISCAL_SPECIAL_ACCOUNT:
      return {0, 1, 6};
    case v1::FUNDING_SOURCE_BUSINESS_INCOME:
      return {0, 1, 7};
    case v1::FUNDING_SOURCE_OPERATING_INCOME:
      return {0, 1, 8};
    case v1::FUNDING_SOURCE_SUBSIDY_FROM_SUPERIOR:
      return {0, 1, 9};
    case v1::FUNDING_SOURCE_REMITTANCE_FROM_SUBORDINATE:
      return {0, 1, 10};
    case v1::FUNDING_SOURCE_CARRYOVER_GENERAL_PUBLIC_BUDGET:
      return {0, 12, 13};
    case v1::FUNDING_SOURCE_CARRYOVER_GOVERNMENT_FUND:
      return {0, 12, 14};
    case v1::FUNDING_SOURCE_CARRYOVER_STATE_CAPITAL:
      return {0, 12, 15};
    case v1::FUNDING_SOURCE_CARRYOVER_FISCAL_SPECIAL_ACCOUNT:
      return {0, 12, 16};
    case v1::FUNDING_SOURCE_CARRYOVER_UNIT_FUNDS:
    case v1::FUNDING_SOURCE_INSTITUTION_FUND:  // No column of its own: money
                                               // of earlier years.
      return {0, 12, 17};
    default:  // 其他收入.
      return {0, 1, 11};
  }
}

}  // namespace

absl::StatusOr<v1::DisclosureTable> BuildIncomeTable(
    const TableContext& context) {
  v1::DisclosureTable table = context.NewTable("02", "部门收入总体情况表");
  AddHeaderRow(&table,
               {HeaderCell("部门(单位)代码", 1, 3),
                HeaderCell("部门(单位)名称", 1, 3), HeaderCell("总计", 1, 3),
                HeaderCell("本年收入", 11), HeaderCell("上年结转结余", 6)});
  AddHeaderRow(
      &table,
      {HeaderCell("合计", 1, 2), HeaderCell("一般公共预算", 2),
       HeaderCell("政府性基金", 1, 2), HeaderCell("国有资本经营预算", 1, 2),
       HeaderCell("财政专户管理资金收入", 1, 2), HeaderCell("事业收入", 1, 2),
       HeaderCell("事业单位经营收入", 1, 2), HeaderCell("上级补助收入", 1, 2),
       HeaderCell("附属单位上缴收入", 1, 2), HeaderCell("其他收入", 1, 2),
       HeaderCell("合计", 1, 2), HeaderCell("一般公共预算", 1, 2),
       HeaderCell("政府性基金", 1, 2), HeaderCell("国有资本经营预算", 1, 2),
       HeaderCell("财政专户管理资金", 1, 2), HeaderCell("单位资金", 1, 2)});
  AddHeaderRow(&table, {HeaderCell("小计"), HeaderCell("其中：财政拨款")});

  auto total = SumIncome(*context.rollup, kIncomeColumns02, IncomeColumns02);
  if (!total.ok()) return total.status();
  v1::TableRow* total_row =
      AddRow(table.mutable_body_rows(), v1::ROW_KIND_TOTAL);
  AppendTexts(total_row, {"", "合计"});
  total->AppendTo(total_row);
  absl::flat_hash_map<absl::string_view, const PackedBudget*> budgets;
  for (const TableContext::UnitBudgetRef& ref : context.units) {
    budgets[ref.unit->code()] = ref.budget.get();
  }
  const UnitTree& tree = context.request->consolidation->tree();
  MoneySum unit_rows;  // What the units' own rows add up to.
  for (const UnitTree::Visit& visit : tree.Subtree(context.node->code())) {
    const bool is_group = visit.unit->kind() == v1::UNIT_KIND_GROUP;
    absl::StatusOr<ColumnSums> sums;  // Each branch sets it or continues.
    if (is_group) {
      std::shared_ptr<const NodeRollup> rollup =
          context.RollupOf(visit.unit->code());
      if (rollup == nullptr) continue;
      sums = SumIncome(*rollup, kIncomeColumns02, IncomeColumns02);
    } else {
      auto budget = budgets.find(visit.unit->code());
      if (budget == budgets.end()) continue;
      auto own = OwnIncome(*budget->second);
      if (!own.ok()) return own.status();
      sums = SumIncome(*own, kIncomeColumns02, IncomeColumns02);
    }
    if (!sums.ok()) return sums.status();
    if (!is_group) unit_rows.Add(sums->at(0));
    v1::TableRow* row =
        AddRow(table.mutable_body_rows(),
               is_group ? v1::ROW_KIND_SUBTOTAL : v1::ROW_KIND_DETAIL);
    AppendTexts(row, {visit.unit->code(), visit.unit->name()});
    sums->AppendTo(row);
  }
  // Money passed between units below the node is each unit's own income
  // but not the node's: say why the rows add up to more than 合计.
  if (unit_rows.ok() && unit_rows.value() != total->at(0)) {
    table.add_notes(
        "注：单位行为各单位本级收入，含本部门内单位之间的上级补助收入、"
        "附属单位上缴收入；合计已将其抵消。");
  }
  AddInstitutionFundNote(*context.rollup, &table);
  return table;
}

namespace {

// Table 04 amount columns: 合计, 一般公共预算 小计 / 其中：财政拨款,
// 政府性基金, 国有资本经营预算. Only 财政拨款 money counts.
constexpr int kFiscalColumns = 5;
std::vector<int> FiscalColumns(FundingSource source) {
  switch (ClassifySource(source).fund) {
    case Fund::kGeneralPublic:
      if (source == v1::FUNDING_SOURCE_GENERAL_PUBLIC_BUDGET_OTHER) {
        return {0, 1};
      }
      return {0, 1, 2};
    case Fund::kGovernmentFund:
      return {0, 3};
    case Fund::kStateCapital:
      return {0, 4};
    default:
      return {};
  }
}

// 04 income rows.
constexpr int kIncomeRows04 = 9;
std::vector<int> IncomeRows04(FundingSource source) {
  const FundOf of = ClassifySource(source);
  const int head = of.carryover ? 5 : 0;
  switch (of.fund) {
    case Fund::kGeneralPublic:
      if (!of.carryover && source == v1::FUNDING_SOURCE_GENERAL_PUBLIC_BUDGET) {
        return {0, 1, 2};
      }
      return {head, head + 1};
    case Fund::kGovernmentFund:
      return {head, of.carryover ? 7 : 3};
    case Fund::kStateCapital:
      return {head, of.carryover ? 8 : 4};
    default:
      return {};
  }
}
constexpr absl::string_view kIncomeLabels04[kIncomeRows04] = {
    "一、本年收入",
    "（一）一般公共预算拨款",
    "其中：财政拨款",
    "（二）政府性基金预算拨款",
    "（三）国有资本经营预算拨款",
    "二、上年结转",
    "（一）一般公共预算拨款",
    "（二）政府性基金预算拨款",
    "（三）国有资本经营预算拨款"};

}  // namespace

int64_t Table04CarryOverFen(const v1::DisclosureTable& table04,
                            FiscalFundRow fund) {
  constexpr int kCarryOver = 5;  // 二、上年结转, then a row per fund.
  const int offset = 1 + static_cast<int>(fund);
  const auto& rows = table04.body_rows();
  for (int i = 0; i + offset < rows.size(); ++i) {
    if (rows[i].cells_size() == 0 ||
        rows[i].cells(0).text() != kIncomeLabels04[kCarryOver]) {
      continue;
    }
    const v1::TableRow& row = rows[i + offset];
    return row.cells_size() >= 2 &&
                   row.cells(0).text() ==
                       kIncomeLabels04[kCarryOver + offset] &&
                   row.cells(1).has_amount_fen()
               ? row.cells(1).amount_fen()
               : 0;
  }
  return 0;
}

absl::StatusOr<v1::DisclosureTable> BuildFiscalTable(
    const TableContext& context) {
  const NodeRollup& rollup = *context.rollup;
  auto income = SumIncome(rollup, kIncomeRows04, IncomeRows04);
  if (!income.ok()) return income.status();
  auto spent = SumExpenditure(
      rollup, kFiscalColumns, FunctionClassOf,
      [](const ExpenditureKey& key) { return FiscalColumns(key.source()); });
  if (!spent.ok()) return spent.status();
  auto spent_total = SumGroups(*spent, kFiscalColumns);
  if (!spent_total.ok()) return spent_total.status();

  v1::DisclosureTable table = context.NewTable("04", "财政拨款收支总体情况表");
  AddHeaderRow(&table, {HeaderCell("收入", 2), HeaderCell("支出", 6)});
  AddHeaderRow(&table,
               {HeaderCell("项 目", 1, 2), HeaderCell("金 额", 1, 2),
                HeaderCell("项 目", 1, 2), HeaderCell("合 计", 1, 2),
                HeaderCell("一般公共预算", 2), HeaderCell("政府性基金", 1, 2),
                HeaderCell("国有资本经营 预算", 1, 2)});
  AddHeaderRow(&table, {HeaderCell("小 计"), HeaderCell("其中：财政拨款")});

  // Expenditure side: 一、本年支出, the 类 rows, 二、年终结转结余.
  const int64_t income_total = income->at(0) + income->at(5);
  const int64_t carried_forward = income_total - spent_total->at(0);
  std::vector<std::pair<std::string, const ColumnSums*>> right;
  right.emplace_back("一、本年支出", &*spent_total);
  for (const auto& [code, label] : ClassRows(context, *spent, true)) {
    auto it = spent->find(code);
    right.emplace_back(label, it == spent->end() ? nullptr : &it->second);
  }
  ColumnSums forward(kFiscalColumns);
  forward.Add(0, carried_forward);
  right.emplace_back("二、年终结转结余", &forward);
  for (size_t i = 0; i < right.size(); ++i) {
    v1::TableRow* row =
        AddRow(table.mutable_body_rows(),
               i == 0 ? v1::ROW_KIND_SUBTOTAL : v1::ROW_KIND_DETAIL);
    if (i < kIncomeRows04) {
      AppendTexts(row, {kIncomeLabels04[i]});
      *row->add_cells() = AmountOrBlank(income->at(i));
    } else {
      AppendTexts(row, {"", ""});
    }
    AppendTexts(row, {right[i].first});
    (right[i].second ? *right[i].second : ColumnSums(kFiscalColumns))
        .AppendTo(row);
  }
  ColumnSums expenditure_total = *spent_total;
  expenditure_total.AddAll(forward);
  v1::TableRow* row = AddRow(table.mutable_body_rows(), v1::ROW_KIND_TOTAL);
  AppendTexts(row, {"收入合计："});
  *row->add_cells() = AmountOrBlank(income_total);
  AppendTexts(row, {"支出合计"});
  expenditure_total.AppendTo(row);
  return table;
}

}  // namespace budget
