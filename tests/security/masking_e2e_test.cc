// A public reader of the reference department's published 2024 budget
// (fixtures/zhengzhou-iit: the classified project 410100240000000053000 of
// 021001) reads every read RPC and finds the project's name and code
// nowhere, and its amount nowhere but in export lines (which issue 8 keeps
// so totals can be checked), while the totals still include it. Aggregate
// rows standing for it are masked with the amount withheld.
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "budget/aggregation/dimension.h"
#include "google/protobuf/text_format.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "tests/security/security_fixture.h"

namespace security_test {
namespace {

constexpr char kName[] = "涉密项目（占位名称）";
constexpr char kCode[] = "410100240000000053000";
// 66,319,580.00 yuan: the sum of the project's seven lines in 021001.budget.
constexpr int64_t kAmountFen = 6631958000;

std::string Text(const google::protobuf::Message& message) {
  google::protobuf::TextFormat::Printer printer;
  printer.SetUseUtf8StringEscaping(true);
  std::string text;
  printer.PrintToString(message, &text);
  return text;
}

class MaskingE2eTest : public SecurityFixture {
 protected:
  // Drilled by `drilldown` unless UNSPECIFIED; cut to `project` if given.
  budget::v1::AggregateResponse Aggregate(const std::string& who,
                                          budget::v1::Dimension drilldown,
                                          const std::string& project = "") {
    budget::v1::AggregateRequest request;
    request.set_node_code("021");
    request.set_fiscal_year(2024);
    if (drilldown != budget::v1::DIMENSION_UNSPECIFIED) {
      request.add_drilldown(drilldown);
    }
    if (!project.empty()) {
      budget::v1::Cut* cut = request.add_cuts();
      cut->set_dimension(budget::v1::DIMENSION_PROJECT);
      cut->add_values(project);
    }
    budget::v1::AggregateResponse response;
    grpc::Status status =
        query_stub_->Aggregate(As(who).get(), request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response;
  }
};

TEST_F(MaskingE2eTest, PublicReadsNeverShowTheClassifiedProject) {
  std::vector<std::string> outputs;      // Every answer's text.
  std::vector<std::string> amount_free;  // Those that must not hold it.
  for (int table = 1; table <= 13; ++table) {
    budget::v1::GetDisclosureTableRequest request;
    request.set_node_code("021");
    request.set_fiscal_year(2024);
    request.set_table_id(absl::StrCat(table < 10 ? "0" : "", table));
    budget::v1::DisclosureTable response;
    grpc::Status status =
        query_stub_->GetDisclosureTable(As("").get(), request, &response);
    ASSERT_TRUE(status.ok()) << table << ": " << status.error_message();
    amount_free.push_back(Text(response));
  }
  {
    budget::v1::GetSummaryRequest request;
    request.set_node_code("021");
    request.set_fiscal_year(2024);
    budget::v1::Summary response;
    ASSERT_TRUE(query_stub_->GetSummary(As("").get(), request, &response).ok());
    amount_free.push_back(Text(response));
  }
  {
    budget::v1::ListMembersRequest request;
    request.set_dimension(budget::v1::DIMENSION_PROJECT);
    request.set_node_code("021");
    request.set_fiscal_year(2024);
    budget::v1::ListMembersResponse response;
    ASSERT_TRUE(
        query_stub_->ListMembers(As("").get(), request, &response).ok());
    amount_free.push_back(Text(response));
  }
  amount_free.push_back(
      Text(Aggregate("", budget::v1::DIMENSION_PROJECT, kCode)));
  // A cut on the masked value must not isolate the project's lines under
  // another member.
  amount_free.push_back(
      Text(Aggregate("", budget::v1::DIMENSION_UNIT, budget::kMaskedProject)));
  budget::v1::AggregateResponse by_project =
      Aggregate("", budget::v1::DIMENSION_PROJECT);
  bool masked_row = false;
  for (const budget::v1::AggregateRow& row : by_project.rows()) {
    if (row.masked()) {
      masked_row = true;
      EXPECT_EQ(row.amount_fen(), 0);
    }
  }
  EXPECT_TRUE(masked_row);
  amount_free.push_back(Text(by_project));
  {
    budget::v1::ExportBudgetRequest request;
    request.set_node_code("021");
    request.set_fiscal_year(2024);
    grpc::ClientContext context;
    auto reader = query_stub_->ExportBudget(&context, request);
    budget::v1::ExportRecord record;
    while (reader->Read(&record)) outputs.push_back(Text(record));
    ASSERT_TRUE(reader->Finish().ok());
  }
  {
    budget::v1::WatchRequest request;
    request.set_node_code("021");
    request.set_fiscal_year(2024);
    request.set_after_revision(1);
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() +
                         std::chrono::milliseconds(500));
    auto reader = query_stub_->Watch(&context, request);
    budget::v1::RevisionEvent event;
    while (reader->Read(&event)) amount_free.push_back(Text(event));
    reader->Finish();
  }
  outputs.insert(outputs.end(), amount_free.begin(), amount_free.end());
  for (const std::string& output : outputs) {
    EXPECT_EQ(output.find(kName), std::string::npos) << output;
    EXPECT_EQ(output.find(kCode), std::string::npos) << output;
  }
  for (const std::string& output : amount_free) {
    EXPECT_EQ(output.find(absl::StrCat(kAmountFen)), std::string::npos)
        << output;
  }
}

TEST_F(MaskingE2eTest, TotalsStillIncludeTheClassifiedProject) {
  // The auditor, cleared, sees the project and its amount...
  budget::v1::AggregateResponse cleared =
      Aggregate("auditor", budget::v1::DIMENSION_PROJECT);
  bool seen = false;
  for (const budget::v1::AggregateRow& row : cleared.rows()) {
    if (row.members(0).value() == kCode) {
      EXPECT_EQ(row.amount_fen(), kAmountFen);
      seen = true;
    }
  }
  EXPECT_TRUE(seen);
  // ...and the public total is the same.
  EXPECT_EQ(Aggregate("", budget::v1::DIMENSION_UNSPECIFIED)
                .grand_total()
                .amount_fen(),
            cleared.grand_total().amount_fen());
}

TEST_F(MaskingE2eTest, StoredSubmissionsAreMaskedForUnclearedReaders) {
  budget::v1::GetSubmissionRequest request;
  request.set_unit_code("021001");
  request.set_fiscal_year(2024);
  budget::v1::Submission masked;
  ASSERT_TRUE(
      ingest_stub_->GetSubmission(As("submitter").get(), request, &masked)
          .ok());
  EXPECT_EQ(Text(masked).find(kCode), std::string::npos);
  EXPECT_EQ(Text(masked).find(kName), std::string::npos);
  budget::v1::Submission clear;
  ASSERT_TRUE(
      ingest_stub_->GetSubmission(As("auditor").get(), request, &clear).ok());
  EXPECT_NE(Text(clear).find(kCode), std::string::npos);
  int64_t masked_sum = 0, clear_sum = 0;
  for (const auto& line : masked.budget().expenditures()) {
    masked_sum += line.amount_fen();
  }
  for (const auto& line : clear.budget().expenditures()) {
    clear_sum += line.amount_fen();
  }
  EXPECT_EQ(masked_sum, clear_sum);
}

}  // namespace
}  // namespace security_test
