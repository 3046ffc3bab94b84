// Reads "as of" a past consolidated revision or time (ReadOptions
// as_of_revision, as_of_time) through the running services: the reference
// department is taken through proposals, control figures, submissions and
// approval, and every read an auditor may make is kept; then it is adjusted
// twice, locked and a prior-year budget resubmitted; the same reads as of
// the first revision, and as of a time between the commits, answer exactly
// what they answered then, and as of the newest revision what the live
// view answers now. Bad points and the limits are refused with their
// codes; a public caller sees a year only as of its lock.
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "tests/cycle/reference_adjustments.h"
#include "tests/query/two_services.h"
#include "tests/security/security_fixture.h"
#include "tests/testing/reference_fixture.h"

namespace query_test {
namespace {

using budget::v1::BudgetStage;
using budget::v1::ReadOptions;

constexpr char kDepartment[] = "021";
constexpr int kYear = 2024;

std::unique_ptr<grpc::ClientContext> Context() {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(std::chrono::system_clock::now() +
                        std::chrono::seconds(30));
  return context;
}

// An answer or the refusal, as comparable bytes: the answer's encoding, or
// the status code and message.
template <typename Message>
std::string Bytes(const grpc::Status& status, const Message& message) {
  if (!status.ok()) {
    return absl::StrCat("status ", status.error_code(), ": ",
                        status.error_message());
  }
  return message.SerializeAsString();
}

// Every read of the department an auditor makes, answered through `stub`
// with `read` (its stage replaced per read), as bytes by name.
std::vector<std::pair<std::string, std::string>> ReadAll(
    budget::v1::QueryService::Stub& stub, const ReadOptions& read) {
  std::vector<std::pair<std::string, std::string>> answers;
  auto with_stage = [&](BudgetStage stage) {
    ReadOptions staged = read;
    staged.set_stage(stage);
    return staged;
  };
  for (int table = 1; table <= 13; ++table) {
    for (BudgetStage stage : {budget::v1::BUDGET_STAGE_ADJUSTED,
                              budget::v1::BUDGET_STAGE_PROPOSAL}) {
      budget::v1::GetDisclosureTableRequest request;
      request.set_node_code(kDepartment);
      request.set_fiscal_year(kYear);
      request.set_table_id(absl::StrFormat("%02d", table));
      *request.mutable_read() = with_stage(stage);
      budget::v1::DisclosureTable answer;
      grpc::Status status =
          stub.GetDisclosureTable(Context().get(), request, &answer);
      answers.emplace_back(
          absl::StrCat("table ", table, " ", BudgetStage_Name(stage)),
          Bytes(status, answer));
    }
  }
  {
    budget::v1::GetSummaryRequest request;
    request.set_node_code(kDepartment);
    request.set_fiscal_year(kYear);
    *request.mutable_read() = with_stage(budget::v1::BUDGET_STAGE_ADJUSTED);
    budget::v1::Summary answer;
    grpc::Status status = stub.GetSummary(Context().get(), request, &answer);
    answers.emplace_back("summary", Bytes(status, answer));
  }
  {
    // Requested (一上) against adjusted, per function class.
    budget::v1::AggregateRequest request;
    request.set_node_code(kDepartment);
    request.set_fiscal_year(kYear);
    request.add_drilldown(budget::v1::DIMENSION_FUNCTION_CLASS);
    request.add_drilldown(budget::v1::DIMENSION_PROJECT);
    request.set_page_size(1000);
    request.set_compare_stage(budget::v1::BUDGET_STAGE_PROPOSAL);
    *request.mutable_read() = with_stage(budget::v1::BUDGET_STAGE_ADJUSTED);
    budget::v1::AggregateResponse answer;
    grpc::Status status = stub.Aggregate(Context().get(), request, &answer);
    answers.emplace_back("aggregate by stage", Bytes(status, answer));
    // Year over year, per economic class.
    request.clear_drilldown();
    request.add_drilldown(budget::v1::DIMENSION_DEPT_ECONOMIC_SECTION);
    request.set_compare_stage(budget::v1::BUDGET_STAGE_UNSPECIFIED);
    request.set_compare_year(kYear - 1);
    *request.mutable_read() = with_stage(budget::v1::BUDGET_STAGE_APPROVED);
    status = stub.Aggregate(Context().get(), request, &answer);
    answers.emplace_back("aggregate by year", Bytes(status, answer));
    // Requested, control figures, approved and adjusted per project.
    request.clear_drilldown();
    request.add_drilldown(budget::v1::DIMENSION_PROJECT);
    request.set_compare_year(0);
    for (BudgetStage stage : {budget::v1::BUDGET_STAGE_PROPOSAL,
                              budget::v1::BUDGET_STAGE_UNSPECIFIED,
                              budget::v1::BUDGET_STAGE_APPROVED}) {
      budget::v1::CompareColumn* column = request.add_compare_columns();
      column->set_stage(stage);
      column->set_control_figures(stage ==
                                  budget::v1::BUDGET_STAGE_UNSPECIFIED);
    }
    *request.mutable_read() = with_stage(budget::v1::BUDGET_STAGE_ADJUSTED);
    status = stub.Aggregate(Context().get(), request, &answer);
    answers.emplace_back("aggregate by columns", Bytes(status, answer));
  }
  {
    budget::v1::ExportBudgetRequest request;
    request.set_node_code(kDepartment);
    request.set_fiscal_year(kYear);
    *request.mutable_read() = with_stage(budget::v1::BUDGET_STAGE_ADJUSTED);
    std::unique_ptr<grpc::ClientContext> context = Context();
    auto stream = stub.ExportBudget(context.get(), request);
    std::string records;
    budget::v1::ExportRecord record;
    while (stream->Read(&record)) records += record.SerializeAsString();
    grpc::Status status = stream->Finish();
    answers.emplace_back("export",
                         status.ok() ? records : Bytes(status, record));
  }
  return answers;
}

google::protobuf::Timestamp ToTimestamp(absl::Time time) {
  google::protobuf::Timestamp timestamp;
  const int64_t micros = absl::ToUnixMicros(time);
  timestamp.set_seconds(micros / 1'000'000);
  timestamp.set_nanos(static_cast<int32_t>(micros % 1'000'000) * 1000);
  return timestamp;
}

class AsOfE2eTest : public TwoServices {
 protected:
  void SetUp() override {
    TwoServices::SetUp();
    for (const budget::v1::Unit& unit : e2e_testing::ReferenceUnits()) {
      Register(unit);
    }
    for (const auto& file : e2e_testing::ReferenceBudgets(kYear - 1)) {
      revision_ = Submit(file.budget);
    }
  }

  void SubmitAt(const budget::v1::UnitBudget& budget, BudgetStage stage,
                const std::string& request_id,
                budget::v1::SubmitBudgetResponse* response) {
    budget::v1::SubmitBudgetRequest request;
    request.set_request_id(request_id);
    *request.mutable_budget() = budget;
    request.set_stage(stage);
    grpc::Status status =
        ingest_stub_->SubmitBudget(Context().get(), request, response);
    ASSERT_TRUE(status.ok()) << request_id << ": " << status.error_message();
    revision_ = response->consolidated_revision();
  }

  // 一上, 一下, 二上 and 二下 of 2024.
  void ApproveTheReferenceYear() {
    for (const auto& file : e2e_testing::ReferenceBudgetsIn("cycle/proposal")) {
      budget::v1::SubmitBudgetResponse response;
      SubmitAt(file.budget, budget::v1::BUDGET_STAGE_PROPOSAL,
               "proposal-" + file.budget.unit_code(), &response);
    }
    budget::v1::ControlFiguresFile control =
        e2e_testing::ReferenceJson<budget::v1::ControlFiguresFile>(
            "cycle/control-2024.json");
    for (const budget::v1::ControlFigures& figures : control.figures()) {
      budget::v1::IssueControlFiguresRequest request;
      request.set_request_id("control-" + figures.unit_code());
      *request.mutable_figures() = figures;
      budget::v1::IssueControlFiguresResponse response;
      grpc::Status status = ingest_stub_->IssueControlFigures(
          Context().get(), request, &response);
      ASSERT_TRUE(status.ok()) << status.error_message();
      revision_ = response.consolidated_revision();
    }
    for (const auto& file : e2e_testing::ReferenceBudgets(kYear)) {
      budget::v1::SubmitBudgetResponse submitted;
      SubmitAt(file.budget, budget::v1::BUDGET_STAGE_SUBMISSION,
               "submission-" + file.budget.unit_code(), &submitted);
      budget::v1::ApproveBudgetRequest request;
      request.set_request_id("approve-" + file.budget.unit_code());
      request.set_unit_code(file.budget.unit_code());
      request.set_fiscal_year(kYear);
      request.set_revision(submitted.revision());
      budget::v1::SubmitBudgetResponse approved;
      grpc::Status status =
          ingest_stub_->ApproveBudget(Context().get(), request, &approved);
      ASSERT_TRUE(status.ok()) << status.error_message();
      revision_ = approved.consolidated_revision();
    }
  }

  // Two adjustments, the year locked, a prior-year budget resubmitted.
  void ChangeEverything() {
    revision_ = e2e_testing::PostReferenceAdjustments(*ingest_stub_,
                                                      [] { return Context(); });
    ASSERT_FALSE(HasFailure());
    budget::v1::LockYearRequest lock;
    lock.set_node_code(kDepartment);
    lock.set_fiscal_year(kYear);
    budget::v1::LockYearResponse locked;
    grpc::Status status =
        ingest_stub_->LockYear(Context().get(), lock, &locked);
    ASSERT_TRUE(status.ok()) << status.error_message();
    revision_ = Submit(e2e_testing::ReferenceBudgets(kYear - 1)[0].budget);
  }

  ReadOptions AtRevision(int64_t revision) {
    ReadOptions read;
    read.set_min_revision(revision_);
    read.set_as_of_revision(revision);
    return read;
  }

  ReadOptions AtTime(absl::Time time) {
    ReadOptions read;
    read.set_min_revision(revision_);
    *read.mutable_as_of_time() = ToTimestamp(time);
    return read;
  }

  // The code of a table read with `read`.
  grpc::StatusCode TableCode(const ReadOptions& read) {
    budget::v1::GetDisclosureTableRequest request;
    request.set_node_code(kDepartment);
    request.set_fiscal_year(kYear);
    request.set_table_id("01");
    *request.mutable_read() = read;
    budget::v1::DisclosureTable answer;
    return query_stub_->GetDisclosureTable(Context().get(), request, &answer)
        .error_code();
  }

  int64_t revision_ = 0;
};

TEST_F(AsOfE2eTest, PastReadsAnswerWhatTheServiceAnsweredThen) {
  ApproveTheReferenceYear();
  const int64_t approved = revision_;
  ReadOptions live;
  live.set_min_revision(approved);
  const auto then = ReadAll(*query_stub_, live);
  // Every read answered (table 01 of the proposals too).
  for (const auto& [name, bytes] : then) {
    EXPECT_FALSE(absl::StartsWith(bytes, "status ")) << name << ": " << bytes;
  }
  const absl::Time between = absl::Now();
  // The next commit is stamped after `between` (microsecond clock).
  std::this_thread::sleep_for(std::chrono::milliseconds(2));

  ChangeEverything();
  live.set_min_revision(revision_);
  const auto now = ReadAll(*query_stub_, live);
  EXPECT_NE(now, then);  // The adjustments changed the adjusted figures.

  EXPECT_EQ(ReadAll(*query_stub_, AtRevision(approved)), then);
  EXPECT_EQ(ReadAll(*query_stub_, AtTime(between)), then);
  EXPECT_EQ(ReadAll(*query_stub_, AtRevision(revision_)), now);
  EXPECT_EQ(ReadAll(*query_stub_, AtTime(absl::Now())), now);
  // Again, now from the cache of past states.
  EXPECT_EQ(ReadAll(*query_stub_, AtRevision(approved)), then);
}

TEST_F(AsOfE2eTest, BadPointsAreRefusedWithTheirCodes) {
  ApproveTheReferenceYear();
  ReadOptions both = AtRevision(revision_);
  *both.mutable_as_of_time() = ToTimestamp(absl::Now());
  EXPECT_EQ(TableCode(both), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(TableCode(AtRevision(-1)), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(TableCode(AtRevision(revision_ + 1)),
            grpc::StatusCode::OUT_OF_RANGE);
  EXPECT_EQ(TableCode(AtTime(absl::FromUnixSeconds(1000))),
            grpc::StatusCode::OUT_OF_RANGE);  // Before the first commit.
  EXPECT_EQ(TableCode(AtTime(absl::Now() + absl::Hours(1))),
            grpc::StatusCode::OUT_OF_RANGE);
  ReadOptions malformed = AtRevision(0);
  malformed.mutable_as_of_time()->set_nanos(-1);
  EXPECT_EQ(TableCode(malformed), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(TableCode(AtRevision(revision_)), grpc::StatusCode::OK);
  // The export refuses in its stream.
  budget::v1::ExportBudgetRequest request;
  request.set_node_code(kDepartment);
  request.set_fiscal_year(kYear);
  *request.mutable_read() = AtRevision(revision_ + 1);
  std::unique_ptr<grpc::ClientContext> context = Context();
  auto stream = query_stub_->ExportBudget(context.get(), request);
  budget::v1::ExportRecord record;
  while (stream->Read(&record)) {
  }
  EXPECT_EQ(stream->Finish().error_code(), grpc::StatusCode::OUT_OF_RANGE);
}

TEST_F(AsOfE2eTest, LimitsOfPastStatesAreEnforced) {
  ApproveTheReferenceYear();
  const std::vector<std::string> args = e2e_testing::StoreArgs(store_path());
  auto limited = [&](const std::string& flag) {
    std::vector<std::string> with = args;
    with.push_back(flag);
    return std::make_unique<e2e_testing::ServiceProcess>(QUERY_SERVICE_BINARY,
                                                         with);
  };
  // No build may run: past reads are refused at once, live ones served.
  {
    auto service = limited("--max_as_of_builds=0");
    auto stub = budget::v1::QueryService::NewStub(service->Channel());
    auto answers = ReadAll(*stub, AtRevision(revision_));
    EXPECT_TRUE(absl::StartsWith(
        answers[0].second,
        absl::StrCat("status ", grpc::StatusCode::RESOURCE_EXHAUSTED)))
        << answers[0].second;
    ReadOptions live;
    live.set_min_revision(revision_);
    EXPECT_FALSE(absl::StartsWith(ReadAll(*stub, live)[0].second, "status "));
  }
  // The department's 2023 and 2024 budgets hold more than 100 lines.
  {
    auto service = limited("--max_as_of_lines=100");
    auto stub = budget::v1::QueryService::NewStub(service->Channel());
    budget::v1::GetSummaryRequest request;
    request.set_node_code(kDepartment);
    request.set_fiscal_year(kYear);
    *request.mutable_read() = AtRevision(revision_);
    budget::v1::Summary answer;
    EXPECT_EQ(stub->GetSummary(Context().get(), request, &answer).error_code(),
              grpc::StatusCode::RESOURCE_EXHAUSTED);
  }
}

}  // namespace
}  // namespace query_test

namespace security_test {
namespace {

// Public readers see a year as of its lock, not before.
class AsOfPublicTest : public SecurityFixture {};

TEST_F(AsOfPublicTest, APublicReaderSeesAYearOnlyAsOfItsLock) {
  auto table = [&](int64_t as_of, budget::v1::DisclosureTable* answer) {
    budget::v1::GetDisclosureTableRequest request;
    request.set_node_code("021");
    request.set_fiscal_year(2024);
    request.set_table_id("01");
    request.mutable_read()->set_min_revision(loaded_revision());
    request.mutable_read()->set_as_of_revision(as_of);
    return query_stub_->GetDisclosureTable(As("public").get(), request, answer);
  };
  budget::v1::DisclosureTable before, at, live;
  EXPECT_EQ(table(loaded_revision() - 1, &before).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  ASSERT_TRUE(table(loaded_revision(), &at).ok());
  ASSERT_TRUE(table(0, &live).ok());
  EXPECT_EQ(at.SerializeAsString(), live.SerializeAsString());
}

}  // namespace
}  // namespace security_test
