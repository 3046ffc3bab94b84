// Tables 03 (支出总体), 09 (政府性基金), 10 (国有资本经营) — one layout by
// unit and 项 — and 05 (一般公共预算支出) by 类/款/项. All share the nature
// columns: 合计, 基本支出 (小计, 工资福利, 对个人和家庭的补助, 商品和服务,
// 资本性), 项目支出 (小计, 其他运转类, 特定目标类), and 事业单位经营支出
// when the table holds any.
#include <string>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/strings/str_cat.h"
#include "budget/money.h"
#include "budget/tables/expenditure_sums.h"
#include "budget/tables/funds.h"
#include "budget/tables/table_builders.h"
#include "budget/tables/table_cells.h"

namespace budget {
namespace {

// The nature columns of a table. 事业单位经营支出 is neither 基本支出 nor
// 项目支出 (the 名词解释 of every 部门预算公开; the 公开规程 部门支出总表 gives
// it a column of its own), so it gets a last column, printed only when the
// table holds operating lines: a department without them (most, the
// reference among them) keeps the published nine columns.
class NatureLayout {
 public:
  // The layout of a table summing the cells `in_table` keeps.
  static NatureLayout Of(
      const NodeRollup& rollup,
      absl::FunctionRef<bool(const ExpenditureKey&)> in_table) {
    for (const auto& [key, cell] : rollup.expenditure) {
      if (key.nature() == v1::EXPENDITURE_NATURE_OPERATING && in_table(key)) {
        return NatureLayout(true);
      }
    }
    return NatureLayout(false);
  }

  int columns() const { return operating_ ? kOperating + 1 : kOperating; }

  // The columns a cell adds to. Basic lines split first by nature, then by
  // the 部门预算 economic 类: personnel is 对个人和家庭的补助 on 303xx and
  // 工资福利 otherwise, so 30239 其他交通费用, which the reference books as
  // personnel, prints under 工资福利支出 (table 03's 6,431.2 counts it);
  // public money is 资本性 on 310xx and 商品和服务 otherwise.
  std::vector<int> Columns(const ExpenditureKey& key) const {
    const absl::string_view kind =
        absl::string_view(key.dept_economic_code()).substr(0, 3);
    switch (key.nature()) {
      case v1::EXPENDITURE_NATURE_PROJECT:
        return {0, 6,
                key.project_category() == v1::PROJECT_CATEGORY_OTHER_OPERATING
                    ? 7
                    : 8};
      case v1::EXPENDITURE_NATURE_BASIC_PERSONNEL:
        return {0, 1, kind == "303" ? 3 : 2};
      case v1::EXPENDITURE_NATURE_BASIC_PUBLIC:
        return {0, 1, kind == "310" ? 5 : 4};
      case v1::EXPENDITURE_NATURE_OPERATING:
        // Without the column (Of found no operating cell the table keeps)
        // a cell it does not keep, such as the unit's own money beside
        // table 05, counts in 合计 alone.
        if (!operating_) return {0};
        return {0, kOperating};
      default:
        return {0, 1};
    }
  }

  // The three header rows of the nature columns, after `leading` header
  // cells that span all three rows.
  void AddHeader(v1::DisclosureTable* table, std::vector<v1::TableCell> leading,
                 std::vector<v1::TableCell> third_row_leading) const;

 private:
  static constexpr int kOperating = 9;  // Its column; the count without it.

  explicit NatureLayout(bool operating) : operating_(operating) {}

  bool operating_;
};

void NatureLayout::AddHeader(
    v1::DisclosureTable* table, std::vector<v1::TableCell> leading,
    std::vector<v1::TableCell> third_row_leading) const {
  v1::TableRow* first =
      AddRow(table->mutable_header_rows(), v1::ROW_KIND_HEADING);
  for (const v1::TableCell& cell : leading) *first->add_cells() = cell;
  *first->add_cells() = HeaderCell("合计", 1, 3);
  *first->add_cells() = HeaderCell("基本支出", 5);
  *first->add_cells() = HeaderCell("项目支出", 3);
  if (operating_) *first->add_cells() = HeaderCell("事业单位经营支出", 1, 3);
  AddHeaderRow(
      table, {HeaderCell("小计", 1, 2), HeaderCell("人员经费", 2),
              HeaderCell("公用经费", 2), HeaderCell("小计", 1, 2),
              HeaderCell("其他运转类", 1, 2), HeaderCell("特定目标类", 1, 2)});
  v1::TableRow* third =
      AddRow(table->mutable_header_rows(), v1::ROW_KIND_HEADING);
  for (const v1::TableCell& cell : third_row_leading) {
    *third->add_cells() = cell;
  }
  AppendTexts(third, {"工资福利支出", "对个人和家庭的补助", "商品和服务支出",
                      "资本性支出"});
}

// The fund whose money tables 09 and 10 show.
Fund FundOfScope(FunctionTableScope scope) {
  return scope == FunctionTableScope::kGovernmentFund ? Fund::kGovernmentFund
                                                      : Fund::kStateCapital;
}

// Tables 09 and 10 show the fund's money of this year only, as table 05
// does for 一般公共预算 (its note: 本表仅含当年财政拨款安排的支出): so tables
// 05, 09 and 10 add up to table 04's 本年支出, and table 04 alone shows what
// each fund's 上年结转 pays for.
bool InScope(FunctionTableScope scope, v1::FundingSource source) {
  if (scope == FunctionTableScope::kAll) return true;
  const FundOf of = ClassifySource(source);
  return of.fund == FundOfScope(scope) && !of.carryover;
}

// What the fund's 上年结转 pays for at the node (table 04 shows it).
absl::StatusOr<int64_t> CarryOverSpent(const NodeRollup& rollup,
                                       FunctionTableScope scope) {
  MoneySum spent;
  for (const auto& [key, cell] : rollup.expenditure) {
    const FundOf of = ClassifySource(key.source());
    if (of.fund == FundOfScope(scope) && of.carryover) spent.Add(cell.fen);
  }
  if (!spent.ok()) return spent.status();
  return spent.value();
}

}  // namespace

absl::StatusOr<v1::DisclosureTable> BuildFunctionByUnitTable(
    const TableContext& context, FunctionTableScope scope) {
  auto item = [&](const ExpenditureKey& key) {
    return InScope(scope, key.source()) ? std::string(key.function_code()) : "";
  };
  const NatureLayout layout = NatureLayout::Of(
      *context.rollup,
      [&](const ExpenditureKey& key) { return InScope(scope, key.source()); });
  auto items = SumExpenditure(
      *context.rollup, layout.columns(), item,
      [&](const ExpenditureKey& key) { return layout.Columns(key); });
  if (!items.ok()) return items.status();
  auto total = SumGroups(*items, layout.columns());
  if (!total.ok()) return total.status();

  const char* id = "03";
  const char* name = "部门支出总体情况表";
  const char* fund_name = "";
  if (scope == FunctionTableScope::kGovernmentFund) {
    id = "09";
    name = "政府性基金预算支出情况表";
    fund_name = "政府性基金预算";
  } else if (scope == FunctionTableScope::kStateCapital) {
    id = "10";
    name = "国有资本经营预算支出情况表";
    fund_name = "国有资本经营预算";
  }
  v1::DisclosureTable table = context.NewTable(id, name);
  layout.AddHeader(&table,
                   {HeaderCell("科目编码", 3, 2), HeaderCell("单位代码", 1, 3),
                    HeaderCell("单位（科目名称）", 1, 3)},
                   {HeaderCell("类"), HeaderCell("款"), HeaderCell("项")});

  v1::TableRow* total_row =
      AddRow(table.mutable_body_rows(), v1::ROW_KIND_TOTAL);
  AppendTexts(total_row, {"", "", "", "", "合计"});
  total->AppendTo(total_row);
  if (scope != FunctionTableScope::kAll) {
    auto carried = CarryOverSpent(*context.rollup, scope);
    if (!carried.ok()) return carried.status();
    if (items->empty() && *carried == 0) {
      table.add_notes(
          absl::StrCat("备注：本单位无", fund_name, "支出，故本表无数据。"));
      return table;
    }
    table.add_notes("备注：本表仅含当年财政拨款安排的支出。");
    if (*carried != 0) {
      table.add_notes(absl::StrCat("使用", fund_name, "上年结转安排的支出",
                                   FormatWan(*carried),
                                   "万元，见财政拨款收支总体情况表。"));
    }
    if (items->empty()) return table;
  }
  v1::TableRow* node_row =
      AddRow(table.mutable_body_rows(), v1::ROW_KIND_SUBTOTAL);
  AppendTexts(node_row,
              {"", "", "", context.node->code(), context.node->name()});
  total->AppendTo(node_row);
  for (const std::string& code : OrderByUnits(context, *items, item)) {
    v1::TableRow* row = AddRow(table.mutable_body_rows(), v1::ROW_KIND_DETAIL);
    const absl::string_view view(code);
    AppendTexts(row, {view.substr(0, 3), view.substr(3, 2), view.substr(5), "",
                      context.catalog->NameOf(CodeSystem::kFunction, code)});
    items->at(code).AppendTo(row);
  }
  return table;
}

namespace {

// Sums per 类, 款 and 项 code in one map: prefix order is hierarchy order
// ("208" < "20805" < "2080501" < "20899").
absl::StatusOr<GroupSums> SumHierarchy(const NodeRollup& rollup,
                                       const NatureLayout& layout,
                                       bool general_public_only) {
  auto items = SumExpenditure(
      rollup, layout.columns(),
      [&](const ExpenditureKey& key) {
        return !general_public_only || IsGeneralPublicBudget(key.source())
                   ? std::string(key.function_code())
                   : "";
      },
      [&](const ExpenditureKey& key) { return layout.Columns(key); });
  if (!items.ok()) return items.status();
  GroupSums all = *items;
  for (const auto& [code, sums] : *items) {
    for (size_t length : {3, 5}) {
      all.try_emplace(code.substr(0, length), layout.columns())
          .first->second.AddAll(sums);
    }
  }
  for (const auto& [code, sums] : all) {
    if (absl::Status status = sums.status(); !status.ok()) return status;
  }
  return all;
}

// Table 05 prints zeros as "0.0", except where money from outside the
// general public budget filled the cell in table 03: the published 2150501
// row leaves 项目支出 小计 and 其他运转类 blank (the 4.2 of other income went
// there) but prints 0.0 under 特定目标类.
void AppendGeneralPublicAmounts(const ColumnSums& fiscal,
                                const ColumnSums* all_sources,
                                v1::TableRow* row) {
  for (int i = 0; i < fiscal.size(); ++i) {
    const bool filled_elsewhere =
        all_sources != nullptr && all_sources->at(i) != 0;
    if (fiscal.at(i) == 0 && filled_elsewhere) {
      *row->add_cells() = EmptyCell();
    } else {
      *row->add_cells() = AmountCell(fiscal.at(i));
    }
  }
}

}  // namespace

absl::StatusOr<v1::DisclosureTable> BuildGeneralPublicTable(
    const TableContext& context) {
  // Table 05 gets the operating column for 一般公共预算 money on operating
  // lines (BGT-E037 warns of it), not for the unit's own money there.
  const NatureLayout layout =
      NatureLayout::Of(*context.rollup, [](const ExpenditureKey& key) {
        return IsGeneralPublicBudget(key.source());
      });
  auto fiscal = SumHierarchy(*context.rollup, layout, true);
  if (!fiscal.ok()) return fiscal.status();
  auto all_sources = SumHierarchy(*context.rollup, layout, false);
  if (!all_sources.ok()) return all_sources.status();
  ColumnSums fiscal_total(layout.columns()), all_total(layout.columns());
  for (const auto& [code, sums] : *fiscal) {
    if (code.size() == 3) fiscal_total.AddAll(sums);
  }
  for (const auto& [code, sums] : *all_sources) {
    if (code.size() == 3) all_total.AddAll(sums);
  }
  if (absl::Status status = FirstError({&fiscal_total, &all_total});
      !status.ok()) {
    return status;
  }

  v1::DisclosureTable table = context.NewTable("05", "一般公共预算支出情况表");
  layout.AddHeader(
      &table, {HeaderCell("科目编码", 1, 3), HeaderCell("科目名称", 1, 3)}, {});
  v1::TableRow* total_row =
      AddRow(table.mutable_body_rows(), v1::ROW_KIND_TOTAL);
  AppendTexts(total_row, {"", "合计"});
  AppendGeneralPublicAmounts(fiscal_total, &all_total, total_row);
  for (const auto& [code, sums] : *fiscal) {
    v1::TableRow* row =
        AddRow(table.mutable_body_rows(),
               code.size() == 7 ? v1::ROW_KIND_DETAIL : v1::ROW_KIND_SUBTOTAL);
    AppendTexts(row,
                {code, context.catalog->NameOf(CodeSystem::kFunction, code)});
    auto other = all_sources->find(code);
    AppendGeneralPublicAmounts(
        sums, other == all_sources->end() ? nullptr : &other->second, row);
  }
  table.add_notes("备注：本表仅含当年财政拨款安排的支出。");
  return table;
}

}  // namespace budget
