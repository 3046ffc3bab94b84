// The reference department (fixtures/zhengzhou-iit: 021 郑州市工业和信息化局,
// 2024 and a constructed 2023) goes in through ingest_service as budget
// files and comes out of query_service: every printed cell of tables 01-08
// and 11, and the year-over-year figures of 第二部分.
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "budget/money.h"
#include "google/protobuf/util/message_differencer.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "tests/expected_tables/expected_tables.h"
#include "tests/query/two_services.h"
#include "tests/testing/reference_fixture.h"

namespace query_test {
namespace {

namespace fs = std::filesystem;

const fs::path kFixtures = GOLDEN_FIXTURES_DIR;
constexpr char kDepartment[] = "021";

class GoldenE2eTest : public TwoServices {
 protected:
  void SetUp() override {
    TwoServices::SetUp();
    for (const budget::v1::Unit& unit : e2e_testing::ReferenceUnits()) {
      Register(unit);
    }
    for (int year : {2023, 2024}) {
      for (const e2e_testing::ReferenceBudget& file :
           e2e_testing::ReferenceBudgets(year)) {
        revision_ = Submit(file.budget);
        submitted_[file.budget.unit_code()] = file.budget;
      }
    }
  }

  grpc::ClientContext* Context() {
    context_ = std::make_unique<grpc::ClientContext>();
    context_->set_deadline(std::chrono::system_clock::now() +
                           std::chrono::seconds(10));
    return context_.get();
  }

  int64_t revision_ = 0;
  // The 2024 budget of each unit, as parsed from its file.
  std::map<std::string, budget::v1::UnitBudget> submitted_;
  std::unique_ptr<grpc::ClientContext> context_;
};

// Each table its own test, so a report names the tables that differ.
class GoldenTableTest : public GoldenE2eTest,
                        public ::testing::WithParamInterface<const char*> {};

TEST_P(GoldenTableTest, PrintsEveryPublishedCell) {
  budget::v1::GetDisclosureTableRequest request;
  request.set_node_code(kDepartment);
  request.set_fiscal_year(2024);
  request.set_table_id(GetParam());
  request.mutable_read()->set_min_revision(revision_);
  budget::v1::DisclosureTable table;
  grpc::Status status =
      query_stub_->GetDisclosureTable(Context(), request, &table);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(table.revision(), revision_);
  std::vector<std::string> problems = expected_tables::CompareWithExpected(
      table, (kFixtures / "expected").string());
  EXPECT_TRUE(problems.empty()) << absl::StrJoin(problems, "\n");
}

// Table 11 lists the classified project, which the local operator of these
// tests is cleared to see (auth/README.md); tests/golden checks its masked,
// published form in process, and tests/security what uncleared callers get.
INSTANTIATE_TEST_SUITE_P(PublishedTables, GoldenTableTest,
                         ::testing::Values("01", "02", "03", "04", "05", "06",
                                           "07", "08"));

// The budgets come back exactly as the files say, so any difference in the
// tables lies in how they are built, not in the way through the services.
TEST_F(GoldenE2eTest, ExportReturnsTheBudgetsOfTheFiles) {
  budget::v1::ExportBudgetRequest request;
  request.set_node_code(kDepartment);
  request.set_fiscal_year(2024);
  request.mutable_read()->set_min_revision(revision_);
  auto reader = query_stub_->ExportBudget(Context(), request);
  budget::v1::ExportRecord record;
  int budgets = 0;
  while (reader->Read(&record)) {
    if (!record.has_budget()) continue;
    ++budgets;
    EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(
        record.budget(), submitted_[record.budget().unit_code()]))
        << record.budget().unit_code();
  }
  ASSERT_TRUE(reader->Finish().ok());
  EXPECT_EQ(budgets, static_cast<int>(submitted_.size()));
}

TEST_F(GoldenE2eTest, SummaryReproducesTheYearOverYearFigures) {
  budget::v1::GetSummaryRequest request;
  request.set_node_code(kDepartment);
  request.set_fiscal_year(2024);
  request.mutable_read()->set_min_revision(revision_);
  budget::v1::Summary summary;
  grpc::Status status = query_stub_->GetSummary(Context(), request, &summary);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(summary.compare_year(), 2023);
  EXPECT_EQ(budget::FormatWan(summary.income_change().change_fen()),
            "10,723.8");
  EXPECT_EQ(summary.income_change().change_percent(), "12.5%");
  EXPECT_EQ(
      budget::FormatWan(summary.general_public_budget_change().change_fen()),
      "10,730.9");
  EXPECT_EQ(summary.general_public_budget_change().change_percent(), "12.5%");
  EXPECT_EQ(budget::FormatWan(summary.three_public_change().change_fen()),
            "-5.4");
}

TEST_F(GoldenE2eTest, AggregateWithCompareYearReproducesTheChanges) {
  budget::v1::AggregateRequest request;
  request.set_node_code(kDepartment);
  request.set_fiscal_year(2024);
  request.set_compare_year(2023);
  request.add_drilldown(budget::v1::DIMENSION_FUNDING_SOURCE);
  request.mutable_read()->set_min_revision(revision_);
  budget::v1::AggregateResponse response;
  grpc::Status status = query_stub_->Aggregate(Context(), request, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  const budget::v1::Change& total = response.grand_total().compare();
  EXPECT_EQ(budget::FormatWan(total.change_fen()), "10,723.8");
  EXPECT_EQ(total.change_percent(), "12.5%");
  const budget::v1::AggregateRow* general = nullptr;
  int64_t sum = 0;
  for (const budget::v1::AggregateRow& row : response.rows()) {
    sum += row.amount_fen();
    if (row.members(0).value() == "GENERAL_PUBLIC_BUDGET") general = &row;
  }
  EXPECT_EQ(sum, response.grand_total().amount_fen());
  ASSERT_NE(general, nullptr);
  EXPECT_EQ(budget::FormatWan(general->compare().change_fen()), "10,730.9");
  EXPECT_EQ(general->compare().change_percent(), "12.5%");
  EXPECT_EQ(response.revision(), revision_);
}

// Without principals every caller is the local operator, who is cleared
// (auth/README.md): the classified project shows by its code here, and
// tests/security/masking_e2e_test.cc checks what uncleared readers see.
TEST_F(GoldenE2eTest, ClassifiedProjectCountsInTheAggregateTotals) {
  budget::v1::AggregateRequest request;
  request.set_node_code(kDepartment);
  request.set_fiscal_year(2024);
  request.add_drilldown(budget::v1::DIMENSION_PROJECT);
  request.set_page_size(10'000);
  request.mutable_read()->set_min_revision(revision_);
  budget::v1::AggregateResponse response;
  grpc::Status status = query_stub_->Aggregate(Context(), request, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  int classified = 0;
  int64_t sum = 0;
  for (const budget::v1::AggregateRow& row : response.rows()) {
    sum += row.amount_fen();
    if (row.members(0).value() == "410100240000000053000") {
      ++classified;
      EXPECT_GT(row.amount_fen(), 0);
    }
  }
  EXPECT_EQ(classified, 1);
  EXPECT_EQ(sum, response.grand_total().amount_fen());
  EXPECT_EQ(budget::FormatWan(response.grand_total().amount_fen()), "96,262.5");
}

}  // namespace
}  // namespace query_test
