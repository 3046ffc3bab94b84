// Tables 11 (项目支出) and 13 (项目绩效目标汇总): one row per declared
// project with money counted at the node (table 11 of a unit itself lists
// every project it declared), units in tree order; table 11 lists each unit's
// projects in declared order, table 13 by category, then code. A classified
// project (涉密) counts in every total but, unless the reader is cleared, shows
// only as "涉密项目按规定不予公开" with masked amounts and no code or
// indicators.
#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "budget/consolidation/rollup_change.h"
#include "budget/tables/expenditure_sums.h"
#include "budget/tables/funds.h"
#include "budget/tables/table_builders.h"
#include "budget/tables/table_cells.h"

namespace budget {
namespace {

constexpr absl::string_view kClassifiedName = "涉密项目按规定不予公开";

// A project's key in SumProjects: project codes are unique within a budget
// only (BGT-E041), so two units may declare the same code, each its own
// project with its own money. Unit codes are digits: "/" ends them.
std::string ProjectKey(absl::string_view unit_code,
                       absl::string_view project_code) {
  return absl::StrCat(unit_code, "/", project_code);
}

// Sums of every project of the node, by ProjectKey, from each unit's lines
// as they count at the node: held rollups carry no project code
// (ProjectDetail).
absl::StatusOr<GroupSums> SumProjects(
    const TableContext& context, int column_count,
    absl::FunctionRef<std::vector<int>(const ExpenditureKey&)> columns) {
  const UnitTree& tree = context.request->consolidation->tree();
  GroupSums projects;
  for (const TableContext::UnitBudgetRef& ref : context.units) {
    absl::StatusOr<NodeRollup> counted = LinesCountedAt(
        tree, *ref.budget, context.node->code(), ProjectDetail::kKept);
    if (!counted.ok()) return counted.status();
    context.internal_funding->funding.RelabelCells(
        *ref.budget, /*keep_project=*/true, &counted->expenditure);
    absl::StatusOr<GroupSums> unit_projects = SumExpenditure(
        *counted, column_count,
        [](const ExpenditureKey& key) {
          return key.nature() == v1::EXPENDITURE_NATURE_PROJECT
                     ? std::string(key.project_code())
                     : "";
        },
        columns);
    if (!unit_projects.ok()) return unit_projects.status();
    for (const auto& [code, sums] : *unit_projects) {
      projects.try_emplace(ProjectKey(ref.unit->code(), code), column_count)
          .first->second.AddAll(sums);
    }
  }
  for (const auto& [code, sums] : projects) {
    if (absl::Status status = sums.status(); !status.ok()) return status;
  }
  return projects;
}

const ColumnSums& SumsOf(const GroupSums& groups, const std::string& code,
                         const ColumnSums& zero) {
  auto it = groups.find(code);
  return it == groups.end() ? zero : it->second;
}

bool Hidden(const TableContext& context, const v1::Project& project) {
  return project.classified() && !context.request->cleared;
}

absl::string_view CategoryName(v1::ProjectCategory category) {
  switch (category) {
    case v1::PROJECT_CATEGORY_OTHER_OPERATING:
      return "其他运转类";
    case v1::PROJECT_CATEGORY_SPECIFIC_TARGET:
      return "特定目标类";
    default:
      return "";
  }
}

// Table 11 amount columns: 合计; 本年拨款 一般公共预算 / 政府性基金预算 /
// 国有资本经营预算; 财政拨款结转结余, the same three; 财政专户管理资金;
// 单位资金.
constexpr int kProjectColumns = 9;
std::vector<int> ProjectColumns(const ExpenditureKey& key) {
  const FundOf of = ClassifySource(key.source());
  const int offset = of.carryover ? 3 : 0;
  switch (of.fund) {
    case Fund::kGeneralPublic:
      return {0, 1 + offset};
    case Fund::kGovernmentFund:
      return {0, 2 + offset};
    case Fund::kStateCapital:
      return {0, 3 + offset};
    case Fund::kSpecialAccount:
      return {0, 7};
    case Fund::kUnitFunds:
      break;
  }
  return {0, 8};
}

}  // namespace

// The reference prints the 4.2 of other income one column left of 单位资金
// (counting tabs, under 财政专户管理资金); the money is 其他收入, so it goes
// under 单位资金 here. The golden test records that one-cell difference.
absl::StatusOr<v1::DisclosureTable> BuildProjectTable(
    const TableContext& context) {
  auto projects = SumProjects(context, kProjectColumns, ProjectColumns);
  if (!projects.ok()) return projects.status();
  auto total = SumGroups(*projects, kProjectColumns);
  if (!total.ok()) return total.status();

  v1::DisclosureTable table = context.NewTable("11", "项目支出预算表");
  AddHeaderRow(
      &table,
      {HeaderCell("类型", 1, 2), HeaderCell("项目名称", 1, 2),
       HeaderCell("项目单位", 1, 2), HeaderCell("合计", 1, 2),
       HeaderCell("本年拨款", 3), HeaderCell("财政拨款结转结余", 3),
       HeaderCell("财政专户管理资金", 1, 2), HeaderCell("单位资金", 1, 2)});
  AddHeaderRow(&table,
               {HeaderCell("一般公共预算"), HeaderCell("政府性基金预算"),
                HeaderCell("国有资本经营预算"), HeaderCell("一般公共预算"),
                HeaderCell("政府性基金预算"), HeaderCell("国有资本经营预算")});
  v1::TableRow* total_row =
      AddRow(table.mutable_body_rows(), v1::ROW_KIND_TOTAL);
  AppendTexts(total_row, {"", "", ""});
  total->AppendTo(total_row);
  v1::TableRow* node_row =
      AddRow(table.mutable_body_rows(), v1::ROW_KIND_SUBTOTAL);
  AppendTexts(node_row, {"", context.node->code(), context.node->name()});
  total->AppendTo(node_row);
  const ColumnSums zero(kProjectColumns);
  for (const TableContext::UnitBudgetRef& ref : context.units) {
    // A unit's own table lists every project it declared; above the unit,
    // a project with nothing counted there (its money a transfer between
    // two units below the node, eliminated) would be a blank row.
    const bool own = ref.unit->code() == context.node->code();
    for (const v1::Project& project : ref.particulars().projects()) {
      const ColumnSums& sums =
          SumsOf(*projects, ProjectKey(ref.unit->code(), project.code()), zero);
      if (!own && sums.IsZero()) continue;
      v1::TableRow* row =
          AddRow(table.mutable_body_rows(), v1::ROW_KIND_DETAIL);
      const bool hidden = Hidden(context, project);
      AppendTexts(
          row, {hidden ? "" : CategoryName(project.category()),
                hidden ? kClassifiedName : project.name(), ref.unit->name()});
      sums.AppendTo(row, ZeroCell::kBlank, hidden);
    }
  }
  return table;
}

namespace {

// Table 13 amount columns: 资金总额, 政府预算资金, 财政专户管理资金, 单位资金.
constexpr int kGoalColumns = 4;
std::vector<int> GoalColumns(const ExpenditureKey& key) {
  if (IsGovernmentBudget(key.source())) return {0, 1};
  if (ClassifySource(key.source()).fund == Fund::kSpecialAccount) return {0, 2};
  return {0, 3};
}

// Indicator column pair (0 成本, 1 产出, 2 效益, 3 满意度) of a 一级指标.
int IndicatorColumn(absl::string_view level1) {
  if (absl::StrContains(level1, "成本")) return 0;
  if (absl::StrContains(level1, "效益")) return 2;
  if (absl::StrContains(level1, "满意")) return 3;
  return 1;
}

// "41010024 00000000 51611": region and year, then the rest, as printed.
std::string GroupedProjectCode(absl::string_view code) {
  if (code.size() != 21) return std::string(code);
  return absl::StrCat(code.substr(0, 8), " ", code.substr(8, 8), " ",
                      code.substr(16));
}

// The project row and its indicator continuation rows: indicators of each
// kind stack downwards in their own column pair, side by side.
void AddProjectGoalRows(const v1::Project& project, const ColumnSums& sums,
                        v1::DisclosureTable* table) {
  std::vector<std::vector<const v1::PerformanceIndicator*>> by_kind(4);
  for (const v1::PerformanceIndicator& indicator : project.indicators()) {
    by_kind[IndicatorColumn(indicator.level1())].push_back(&indicator);
  }
  size_t depth = 1;
  for (const auto& kind : by_kind) depth = std::max(depth, kind.size());
  for (size_t i = 0; i < depth; ++i) {
    v1::TableRow* row = AddRow(table->mutable_body_rows(), v1::ROW_KIND_DETAIL);
    if (i == 0) {
      AppendTexts(row, {GroupedProjectCode(project.code()), project.name()});
      sums.AppendTo(row);
    } else {
      AppendTexts(row, {"", "", "", "", "", ""});
    }
    for (const auto& kind : by_kind) {
      if (i < kind.size()) {
        AppendTexts(row, {kind[i]->level3(), kind[i]->target()});
      } else {
        AppendTexts(row, {"", ""});
      }
    }
  }
}

}  // namespace

// Table 13 lists the projects of fiscal money: 政府预算资金 or 财政专户管理
// 资金 (教育收费 and the like, under the same 绩效管理, and a column of the
// table). A project paid from unit funds alone, like the reference's
// 退休干部财政代管资金专项经费 (4.2 of 其他收入), has no performance goal
// there and counts in no total.
absl::StatusOr<v1::DisclosureTable> BuildProjectGoalTable(
    const TableContext& context) {
  auto all_projects = SumProjects(context, kGoalColumns, GoalColumns);
  if (!all_projects.ok()) return all_projects.status();
  GroupSums projects;
  for (auto& [code, sums] : *all_projects) {
    if (sums.at(1) != 0 || sums.at(2) != 0) {
      projects.emplace(code, std::move(sums));
    }
  }
  auto total = SumGroups(projects, kGoalColumns);
  if (!total.ok()) return total.status();

  v1::DisclosureTable table =
      context.NewTable("13", "部门预算项目绩效目标汇总表");
  AddHeaderRow(
      &table, {HeaderCell("单位编码 (项目编码)", 1, 3),
               HeaderCell("项目单位 (项目名称)", 1, 3),
               HeaderCell("项目金额 (万元)", 4, 2), HeaderCell("绩效目标", 8)});
  AddHeaderRow(&table,
               {HeaderCell("成本指标", 2), HeaderCell("产出指标", 2),
                HeaderCell("效益指标", 2), HeaderCell("满意度指标", 2)});
  AddHeaderRow(&table, {HeaderCell("资金总额"), HeaderCell("政府预算资金"),
                        HeaderCell("财政专户管理资金"), HeaderCell("单位资金"),
                        HeaderCell("三级指标"), HeaderCell("指标值"),
                        HeaderCell("三级指标"), HeaderCell("指标值"),
                        HeaderCell("三级指标"), HeaderCell("指标值"),
                        HeaderCell("三级指标"), HeaderCell("指标值")});
  v1::TableRow* node_row =
      AddRow(table.mutable_body_rows(), v1::ROW_KIND_TOTAL);
  AppendTexts(node_row, {context.node->code(), ""});
  total->AppendTo(node_row);
  const ColumnSums zero(kGoalColumns);
  for (const TableContext::UnitBudgetRef& ref : context.units) {
    ColumnSums unit_total(kGoalColumns);
    for (const v1::Project& project : ref.particulars().projects()) {
      unit_total.AddAll(
          SumsOf(projects, ProjectKey(ref.unit->code(), project.code()), zero));
    }
    if (absl::Status status = unit_total.status(); !status.ok()) {
      return status;
    }
    if (unit_total.IsZero()) continue;
    // Within a unit the reference prints 其他运转类 before 特定目标类, each by
    // project code (table 11 keeps the declared order).
    std::vector<const v1::Project*> listed;
    for (const v1::Project& project : ref.particulars().projects()) {
      if (projects.contains(ProjectKey(ref.unit->code(), project.code()))) {
        listed.push_back(&project);
      }
    }
    std::sort(listed.begin(), listed.end(),
              [](const v1::Project* a, const v1::Project* b) {
                return std::make_pair(a->category(), a->code()) <
                       std::make_pair(b->category(), b->code());
              });
    v1::TableRow* unit_row =
        AddRow(table.mutable_body_rows(), v1::ROW_KIND_SUBTOTAL);
    AppendTexts(unit_row, {ref.unit->code(), ref.unit->name()});
    unit_total.AppendTo(unit_row);
    for (const v1::Project* project : listed) {
      const ColumnSums& sums =
          SumsOf(projects, ProjectKey(ref.unit->code(), project->code()), zero);
      if (!Hidden(context, *project)) {
        AddProjectGoalRows(*project, sums, &table);
        continue;
      }
      v1::TableRow* row =
          AddRow(table.mutable_body_rows(), v1::ROW_KIND_DETAIL);
      AppendTexts(row, {"", kClassifiedName});
      sums.AppendTo(row, ZeroCell::kBlank, /*masked=*/true);
      AppendTexts(row, {"", "", "", "", "", "", "", ""});
    }
  }
  return table;
}

}  // namespace budget
