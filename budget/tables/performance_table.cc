// Table 12 (部门（单位）整体绩效目标表): the overall performance goal whose
// scope is the node, submitted with any unit budget below it, and the
// budget figures (预算情况) derived from the consolidated rollup.
#include <string>

#include "absl/strings/str_cat.h"
#include "budget/money.h"
#include "budget/tables/funds.h"
#include "budget/tables/nature_split.h"
#include "budget/tables/table_builders.h"
#include "budget/tables/table_cells.h"

namespace budget {
namespace {

const v1::OverallPerformanceGoal* FindGoal(const TableContext& context) {
  for (const TableContext::UnitBudgetRef& ref : context.units) {
    const v1::UnitBudget& particulars = ref.particulars();
    if (particulars.has_overall_goal() &&
        particulars.overall_goal().scope_code() == context.node->code()) {
      return &particulars.overall_goal();
    }
  }
  return nullptr;
}

// A five-column row: texts, then an amount in the fourth column.
void AddBudgetRow(v1::DisclosureTable* table, absl::string_view a,
                  absl::string_view b, absl::string_view c, int64_t fen) {
  v1::TableRow* row = AddRow(table->mutable_body_rows(), v1::ROW_KIND_DETAIL);
  AppendTexts(row, {a, b, c});
  *row->add_cells() = fen == 0 ? EmptyCell() : AmountCell(fen);
  *row->add_cells() = EmptyCell();
}

}  // namespace

absl::StatusOr<v1::DisclosureTable> BuildOverallGoalTable(
    const TableContext& context) {
  const NodeRollup& rollup = *context.rollup;
  MoneySum government, special, unit_funds;
  NatureSplit spent;
  for (const auto& [source, fen] : rollup.income) {
    if (IsGovernmentBudget(source)) {
      government.Add(fen);
    } else if (ClassifySource(source).fund == Fund::kSpecialAccount) {
      special.Add(fen);
    } else {
      unit_funds.Add(fen);
    }
  }
  for (const auto& [key, cell] : rollup.expenditure) {
    spent.Add(key.nature(), cell.fen);
  }
  for (const MoneySum* sum : {&government, &special, &unit_funds}) {
    if (!sum->ok()) return sum->status();
  }
  if (absl::Status status = spent.status(); !status.ok()) return status;

  v1::DisclosureTable table =
      context.NewTable("12", "部门（单位）整体绩效目标表");
  table.set_title(absl::StrCat("部门（单位）整体绩效目标表 (",
                               context.request->fiscal_year, " 年度)"));
  const v1::OverallPerformanceGoal* goal = FindGoal(context);
  v1::OverallPerformanceGoal none;
  if (goal == nullptr) goal = &none;

  v1::TableRow* objective =
      AddRow(table.mutable_body_rows(), v1::ROW_KIND_DETAIL);
  AppendTexts(objective, {"年度履职目标"});
  *objective->add_cells() = HeaderCell(goal->annual_objective(), 4);
  v1::TableRow* tasks = AddRow(table.mutable_body_rows(), v1::ROW_KIND_HEADING);
  AppendTexts(tasks, {"年度主要任务", "任务名称"});
  *tasks->add_cells() = HeaderCell("主要内容", 3);
  for (const v1::PerformanceTask& task : goal->tasks()) {
    v1::TableRow* row = AddRow(table.mutable_body_rows(), v1::ROW_KIND_DETAIL);
    AppendTexts(row, {"", task.name()});
    *row->add_cells() = HeaderCell(task.content(), 3);
  }
  AddBudgetRow(&table, "预算情况", "部门预算总额（万元）", "",
               rollup.income_fen);
  AddBudgetRow(&table, "", "1、资金来源：", "（1）政府预算资金",
               government.value());
  AddBudgetRow(&table, "", "", "（2）财政专户管理资金", special.value());
  AddBudgetRow(&table, "", "", "（3）单位资金", unit_funds.value());
  AddBudgetRow(&table, "", "2、资金结构：", "（1）基本支出",
               spent.basic.value());
  AddBudgetRow(&table, "", "", "（2）项目支出", spent.project.value());
  // 事业单位经营支出 is neither (the 公开规程 部门支出总表 column of its
  // own); a node without it keeps the published two rows.
  if (spent.any_operating) {
    AddBudgetRow(&table, "", "", "（3）事业单位经营支出",
                 spent.operating.value());
  }
  AppendTexts(AddRow(table.mutable_body_rows(), v1::ROW_KIND_HEADING),
              {"一级指标", "二级指标", "三级指标", "指标值", "指标值说明"});
  // Like the published table, a 一级/二级指标 prints only where it changes.
  const v1::PerformanceIndicator* previous = nullptr;
  for (const v1::PerformanceIndicator& indicator : goal->indicators()) {
    const bool new_level1 =
        previous == nullptr || previous->level1() != indicator.level1();
    const bool new_level2 =
        new_level1 || previous->level2() != indicator.level2();
    AppendTexts(AddRow(table.mutable_body_rows(), v1::ROW_KIND_DETAIL),
                {new_level1 ? indicator.level1() : "",
                 new_level2 ? indicator.level2() : "", indicator.level3(),
                 indicator.target(), indicator.explanation()});
    previous = &indicator;
  }
  return table;
}

}  // namespace budget
