// Examples of what the property test does not pin down: masking, the prior
// year, ordering and rejected queries.
#include "budget/aggregation/aggregator.h"

#include <memory>

#include "budget/consolidation/consolidation_test_util.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace budget {
namespace {

class AggregatorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<UnitTree> tree =
        UnitTree::Build({MakeUnit("021", "", v1::UNIT_KIND_ADMINISTRATIVE),
                         MakeUnit("021001", "021"), MakeUnit("021002", "021")});
    ASSERT_TRUE(tree.ok());
    tree_ = *std::move(tree);
  }

  void Submit(const v1::UnitBudget& budget) {
    ASSERT_TRUE(consolidator_
                    .ReplaceUnitBudget(std::make_shared<v1::UnitBudget>(budget))
                    .ok());
  }

  // 021001 books a classified and a public project, 300 and 200 fen.
  void SubmitProjects(int32_t year) {
    v1::UnitBudget budget = MakeBudget("021001", year);
    for (auto [code, classified] : {std::pair("S1", true), {"P1", false}}) {
      v1::Project* project = budget.add_projects();
      project->set_code(code);
      project->set_name(std::string("name of ") + code);
      project->set_classified(classified);
      v1::ExpenditureLine* line = AddSpending(&budget, classified ? 300 : 200);
      line->set_nature(v1::EXPENDITURE_NATURE_PROJECT);
      line->set_project_code(code);
    }
    Submit(budget);
  }

  absl::StatusOr<AggregateResult> Run(const AggregateQuery& query) {
    return Aggregate(consolidator_, Catalog::Default(), query);
  }

  UnitTree tree_;
  Consolidator consolidator_{&tree_};
};

TEST_F(AggregatorTest, ClassifiedProjectIsMaskedWithheldButCounted) {
  SubmitProjects(2023);
  SubmitProjects(2024);
  AggregateQuery query{"021", 2024, 2023};
  query.drilldown = {Dimension::kProject};
  absl::StatusOr<AggregateResult> result = Run(query);
  ASSERT_TRUE(result.ok()) << result.status();
  ASSERT_EQ(result->rows.size(), 2u);
  EXPECT_EQ(result->member(result->rows[0], 0).value, "P1");
  EXPECT_EQ(result->member(result->rows[0], 0).name, "name of P1");
  EXPECT_EQ(result->rows[0].amount.fen, 200);
  EXPECT_FALSE(result->rows[0].masked);
  EXPECT_EQ(result->member(result->rows[1], 0).value, kMaskedProject);
  EXPECT_EQ(result->member(result->rows[1], 0).name, kMaskedProject);
  EXPECT_TRUE(result->rows[1].masked);
  EXPECT_EQ(result->rows[1].amount.fen, 0);
  EXPECT_EQ(result->rows[1].amount.lines, 0);
  EXPECT_EQ(result->rows[1].prior.fen, 0);
  EXPECT_EQ(result->grand_total.amount.fen, 500);
  EXPECT_EQ(result->grand_total.prior.fen, 500);
  EXPECT_FALSE(result->grand_total.masked);

  query.cuts = {{Dimension::kProject, {"S1"}}};
  result = Run(query);
  ASSERT_TRUE(result.ok());
  EXPECT_TRUE(result->rows.empty()) << "a cut must not reveal a masked code";

  // Cutting on the masked value and drilling elsewhere would show the
  // classified amount under another member.
  query.cuts = {{Dimension::kProject, {kMaskedProject}}};
  query.drilldown = {Dimension::kUnit};
  result = Run(query);
  ASSERT_TRUE(result.ok());
  EXPECT_TRUE(result->rows.empty());
  EXPECT_EQ(result->grand_total.amount.fen, 0);

  query.cuts.clear();
  query.drilldown = {Dimension::kProject};
  query.cleared = true;
  result = Run(query);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->member(result->rows[1], 0).value, "S1");
  EXPECT_EQ(result->rows[1].amount.fen, 300);
  EXPECT_EQ(result->rows[1].prior.fen, 300);
  EXPECT_FALSE(result->rows[1].masked);
}

TEST_F(AggregatorTest, MaskedRowsWithheldUnderTheirSubtotal) {
  SubmitProjects(2024);
  AggregateQuery query{"021", 2024};
  query.drilldown = {Dimension::kNature, Dimension::kProject};
  query.subtotals = true;
  absl::StatusOr<AggregateResult> result = Run(query);
  ASSERT_TRUE(result.ok()) << result.status();
  ASSERT_EQ(result->rows.size(), 3u);
  EXPECT_TRUE(result->rows[0].subtotal);
  EXPECT_FALSE(result->rows[0].masked);
  EXPECT_EQ(result->rows[0].amount.fen, 500) << "the enclosing subtotal";
  EXPECT_EQ(result->member(result->rows[2], 1).value, kMaskedProject);
  EXPECT_TRUE(result->rows[2].masked);
  EXPECT_EQ(result->rows[2].amount.fen, 0);

  query.drilldown = {Dimension::kProject, Dimension::kNature};
  result = Run(query);
  ASSERT_TRUE(result.ok()) << result.status();
  ASSERT_EQ(result->rows.size(), 4u);
  for (const AggregateRow& row : result->rows) {
    EXPECT_EQ(row.masked, result->member(row, 0).value == kMaskedProject);
    if (row.masked) {
      EXPECT_EQ(row.amount.fen, 0);
    }
  }
}

TEST_F(AggregatorTest, PriorYearSitsBesideEachCellAndOnlyPriorRowsStay) {
  SubmitProjects(2023);
  v1::UnitBudget budget = MakeBudget("021002", 2024);
  AddSpending(&budget, 1000);
  Submit(budget);
  AggregateQuery query{"021", 2024, 2023};
  query.drilldown = {Dimension::kUnit};
  absl::StatusOr<AggregateResult> result = Run(query);
  ASSERT_TRUE(result.ok()) << result.status();
  ASSERT_EQ(result->rows.size(), 2u);
  EXPECT_EQ(result->member(result->rows[0], 0).value, "021001");
  EXPECT_EQ(result->rows[0].amount.fen, 0);
  EXPECT_EQ(result->rows[0].prior.fen, 500);
  EXPECT_EQ(result->member(result->rows[1], 0).value, "021002");
  EXPECT_EQ(result->rows[1].prior.fen, 0);
  EXPECT_EQ(result->grand_total.amount.fen, 1000);
  EXPECT_EQ(result->grand_total.prior.fen, 500);
}

TEST_F(AggregatorTest, OrdersByAmountWithSubtotalsAsATree) {
  SubmitProjects(2024);
  v1::UnitBudget budget = MakeBudget("021002", 2024);
  AddSpending(&budget, 100)
      ->set_funding_source(v1::FUNDING_SOURCE_BUSINESS_INCOME);
  Submit(budget);
  AggregateQuery query{"021", 2024};
  query.drilldown = {Dimension::kUnit, Dimension::kProject};
  query.subtotals = true;
  query.order = RowOrder::kAmountAsc;
  absl::StatusOr<AggregateResult> result = Run(query);
  ASSERT_TRUE(result.ok()) << result.status();
  std::vector<std::pair<std::string, int64_t>> rows;
  for (const AggregateRow& row : result->rows) {
    rows.emplace_back(result->member(row, row.members.size() - 1).value,
                      row.amount.fen);
  }
  EXPECT_THAT(rows, ::testing::ElementsAre(
                        std::pair<std::string, int64_t>("021002", 100),
                        std::pair<std::string, int64_t>("", 100),
                        std::pair<std::string, int64_t>("021001", 500),
                        std::pair<std::string, int64_t>("P1", 200),
                        // Withheld, so last whatever the direction.
                        std::pair<std::string, int64_t>(kMaskedProject, 0)));
  EXPECT_TRUE(result->rows[0].subtotal);
  EXPECT_FALSE(result->rows[1].subtotal);
}

// Basic lines are one member of both project dimensions, named alike.
TEST_F(AggregatorTest, BasicSpendingIsNamedInBothProjectDimensions) {
  SubmitProjects(2024);
  v1::UnitBudget budget = MakeBudget("021002", 2024);
  AddSpending(&budget, 100);
  Submit(budget);
  for (Dimension dimension :
       {Dimension::kProject, Dimension::kProjectCategory}) {
    AggregateQuery query{"021", 2024};
    query.drilldown = {dimension};
    absl::StatusOr<AggregateResult> result = Run(query);
    ASSERT_TRUE(result.ok()) << result.status();
    bool basic = false;
    for (const AggregateRow& row : result->rows) {
      const std::string& value = result->member(row, 0).value;
      if (!value.empty()) continue;
      basic = true;
      EXPECT_GT(row.amount.fen, 0);
      EXPECT_EQ(NameOf(dimension, value, {&Catalog::Default(), &tree_}),
                "基本支出");
    }
    EXPECT_TRUE(basic);
  }
}

TEST_F(AggregatorTest, RejectsRepeatedDimensionAndUnknownNode) {
  SubmitProjects(2024);
  AggregateQuery query{"021", 2024};
  query.drilldown = {Dimension::kNature, Dimension::kNature};
  EXPECT_EQ(Run(query).status().code(), absl::StatusCode::kInvalidArgument);
  query.drilldown.clear();
  query.node_code = "099";
  EXPECT_EQ(Run(query).status().code(), absl::StatusCode::kNotFound);
  query.node_code = "021";
  absl::StatusOr<AggregateResult> total = Run(query);
  ASSERT_TRUE(total.ok());
  EXPECT_TRUE(total->rows.empty());
  EXPECT_EQ(total->grand_total.amount.fen, 500);
}

}  // namespace
}  // namespace budget
