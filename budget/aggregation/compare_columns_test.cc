// Columns beside each cell (AggregateQuery::columns): other stages' budgets
// and the control figures, summed over the units, masked like the cells,
// and refused on queries control figures are not defined on.
#include <map>
#include <memory>
#include <string>
#include <utility>

#include "budget/aggregation/aggregator.h"
#include "budget/consolidation/consolidation_test_util.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace budget {
namespace {

using ::testing::HasSubstr;

class CompareColumnsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<UnitTree> tree =
        UnitTree::Build({MakeUnit("021", "", v1::UNIT_KIND_ADMINISTRATIVE),
                         MakeUnit("021001", "021"), MakeUnit("021002", "021")});
    ASSERT_TRUE(tree.ok());
    tree_ = *std::move(tree);
    // Approved: 021001 spends 300 on classified S1 and 200 on P1, from the
    // general budget. Proposed: 021001 asks for 20 % more of each.
    Submit(&approved_, ProjectBudget(300, 200));
    Submit(&proposed_, ProjectBudget(360, 240));
    AddControl("021001", v1::FUNDING_SOURCE_GENERAL_PUBLIC_BUDGET, 600);
    AddControl("021001", v1::EXPENDITURE_NATURE_PROJECT, 550);
    AddControl("021001", "P1", 250);
    AddControl("021001", "S1", 280);
    // A project nobody's budget declares: masked for uncleared readers.
    AddControl("021001", "X9", 7);
    // 021002 has control figures but no budget yet.
    AddControl("021002", v1::EXPENDITURE_NATURE_BASIC_PUBLIC, 40);
    AddControl("021002", v1::FUNDING_SOURCE_GENERAL_PUBLIC_BUDGET, 40);
  }

  static v1::UnitBudget ProjectBudget(int64_t classified, int64_t open) {
    v1::UnitBudget budget = MakeBudget("021001", 2024);
    for (auto [code, fen] : {std::pair("S1", classified), {"P1", open}}) {
      v1::Project* project = budget.add_projects();
      project->set_code(code);
      project->set_name(std::string("name of ") + code);
      project->set_classified(std::string(code) == "S1");
      v1::ExpenditureLine* line = AddSpending(&budget, fen);
      line->set_nature(v1::EXPENDITURE_NATURE_PROJECT);
      line->set_project_code(code);
    }
    return budget;
  }

  void Submit(Consolidator* stage, const v1::UnitBudget& budget) {
    ASSERT_TRUE(
        stage->ReplaceUnitBudget(std::make_shared<v1::UnitBudget>(budget))
            .ok());
  }

  template <typename Bucket>
  void AddControl(const std::string& unit, Bucket bucket, int64_t fen) {
    v1::ControlFigures& figures = control_[unit];
    figures.set_unit_code(unit);
    figures.set_fiscal_year(2024);
    v1::ControlAmount* amount = figures.add_amounts();
    if constexpr (std::is_same_v<Bucket, v1::FundingSource>) {
      amount->set_funding_source(bucket);
    } else if constexpr (std::is_same_v<Bucket, v1::ExpenditureNature>) {
      amount->set_nature(bucket);
    } else {
      amount->set_project_code(bucket);
    }
    amount->set_amount_fen(fen);
  }

  CompareColumn ControlColumn() {
    return {nullptr, [this](absl::string_view unit, int32_t year) {
              auto it = control_.find(std::string(unit));
              return year == 2024 && it != control_.end() ? &it->second
                                                          : nullptr;
            }};
  }

  absl::StatusOr<AggregateResult> Run(const AggregateQuery& query) {
    return Aggregate(approved_, Catalog::Default(), query);
  }

  // Row label ("021001/GENERAL_PUBLIC_BUDGET") -> amount and columns.
  static std::map<std::string, std::vector<int64_t>> Rows(
      const AggregateResult& result) {
    std::map<std::string, std::vector<int64_t>> rows;
    for (const AggregateRow& row : result.rows) {
      std::string label;
      for (size_t level = 0; level < row.members.size(); ++level) {
        label += (label.empty() ? "" : "/") + result.member(row, level).value;
      }
      std::vector<int64_t>& amounts = rows[label];
      amounts.push_back(row.amount.fen);
      for (const CellAmount& column : row.columns) {
        amounts.push_back(column.fen);
        amounts.push_back(column.lines > 0);
      }
    }
    return rows;
  }

  UnitTree tree_;
  Consolidator approved_{&tree_};
  Consolidator proposed_{&tree_};
  std::map<std::string, v1::ControlFigures> control_;
};

using Amounts = std::vector<int64_t>;

TEST_F(CompareColumnsTest, StagesAndControlByUnitAndFundingSource) {
  AggregateQuery query{"021", 2024};
  query.drilldown = {Dimension::kUnit, Dimension::kFundingSource};
  query.subtotals = true;
  query.columns = {{&proposed_, nullptr}, ControlColumn()};
  absl::StatusOr<AggregateResult> result = Run(query);
  ASSERT_TRUE(result.ok()) << result.status();
  // Each: amount, then per column its amount and whether it has one.
  EXPECT_EQ(Rows(*result),
            (std::map<std::string, Amounts>{
                {"021001", {500, 600, 1, 600, 1}},
                {"021001/GENERAL_PUBLIC_BUDGET", {500, 600, 1, 600, 1}},
                // Controlled before it has any budget.
                {"021002", {0, 0, 0, 40, 1}},
                {"021002/GENERAL_PUBLIC_BUDGET", {0, 0, 0, 40, 1}},
            }));
  ASSERT_EQ(result->grand_total.columns.size(), 2u);
  EXPECT_EQ(result->grand_total.amount.fen, 500);
  EXPECT_EQ(result->grand_total.columns[0].fen, 600);
  EXPECT_EQ(result->grand_total.columns[1].fen, 640);  // Summed over units.
}

TEST_F(CompareColumnsTest, NatureBucketsAndUncontrolledCells) {
  AggregateQuery query{"021", 2024};
  query.drilldown = {Dimension::kNature};
  query.columns = {ControlColumn()};
  absl::StatusOr<AggregateResult> result = Run(query);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(Rows(*result), (std::map<std::string, Amounts>{
                               {"BASIC_PUBLIC", {0, 40, 1}},
                               {"PROJECT", {500, 550, 1}},
                           }));
  // A cut on a bucket keeps its control figures only.
  query.drilldown = {Dimension::kChild};
  query.cuts = {{Dimension::kNature, {"BASIC_PERSONNEL", "PROJECT"}}};
  result = Run(query);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(Rows(*result), (std::map<std::string, Amounts>{
                               {"021001", {500, 550, 1}},
                           }));
  EXPECT_EQ(result->grand_total.columns[0].fen, 550);
}

TEST_F(CompareColumnsTest, ControlledProjectsAreMaskedLikeTheCells) {
  AggregateQuery query{"021", 2024};
  query.drilldown = {Dimension::kProject};
  query.columns = {ControlColumn(), {&proposed_, nullptr}};
  absl::StatusOr<AggregateResult> result = Run(query);
  ASSERT_TRUE(result.ok()) << result.status();
  ASSERT_EQ(result->rows.size(), 2u);
  EXPECT_EQ(result->member(result->rows[0], 0).value, "P1");
  EXPECT_EQ(result->rows[0].columns[0].fen, 250);
  EXPECT_EQ(result->rows[0].columns[1].fen, 240);
  // S1 and the undeclared X9 both read as the masked project, withheld.
  EXPECT_EQ(result->member(result->rows[1], 0).value, kMaskedProject);
  EXPECT_TRUE(result->rows[1].masked);
  EXPECT_TRUE(result->rows[1].columns.empty());
  EXPECT_EQ(result->grand_total.columns[0].fen, 250 + 280 + 7);

  query.cleared = true;
  result = Run(query);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(Rows(*result), (std::map<std::string, Amounts>{
                               {"P1", {200, 250, 1, 240, 1}},
                               {"S1", {300, 280, 1, 360, 1}},
                               {"X9", {0, 7, 1, 0, 0}},
                           }));
}

TEST_F(CompareColumnsTest, ControlRefusedWhereItIsNotDefined) {
  AggregateQuery query{"021", 2024};
  query.columns = {ControlColumn()};
  query.drilldown = {Dimension::kUnit, Dimension::kFunctionClass};
  absl::StatusOr<AggregateResult> result = Run(query);
  EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(result.status().message(),
              HasSubstr("drilldown[1]: dimension FUNCTION_CLASS given"));

  query.drilldown = {Dimension::kFundingSource};
  query.cuts = {{Dimension::kNature, {"PROJECT"}}};
  result = Run(query);
  EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(result.status().message(),
              HasSubstr("cuts[0].dimension: dimension NATURE given beside "
                        "FUNDING_SOURCE of drilldown[0]"));

  query.drilldown = {Dimension::kUnit};
  query.cuts.clear();
  result = Run(query);
  EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(result.status().message(),
              HasSubstr("no FUNDING_SOURCE, NATURE or PROJECT"));

  // Stage columns fit any query.
  query.columns = {{&proposed_, nullptr}};
  query.drilldown = {Dimension::kFunctionClass, Dimension::kNature};
  EXPECT_TRUE(Run(query).ok());
}

}  // namespace
}  // namespace budget
