// End-to-end tests of the ingest_service binary through a generated client.
#include <signal.h>
#include <sys/wait.h>

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "budget/v1/ingest_service.grpc.pb.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "grpcpp/client_context.h"
#include "gtest/gtest.h"
#include "tests/ingest/test_budgets.h"
#include "tests/testing/scratch_dir.h"
#include "tests/testing/service_process.h"
#include "tests/testing/test_store.h"

namespace ingest_test {
namespace {

using budget::v1::IngestService;
using budget::v1::SubmitBudgetRequest;
using budget::v1::SubmitBudgetResponse;
using budget::v1::Unit;
using budget::v1::UnitBudget;

class IngestE2eTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_path_ = (e2e_testing::MakeScratchDir() / "budget.db").string();
    Start();
  }

  void Start() {
    server_ = std::make_unique<e2e_testing::ServiceProcess>(
        INGEST_SERVICE_BINARY, e2e_testing::StoreArgs(store_path_));
    ASSERT_FALSE(server_->address().empty());
    stub_ = IngestService::NewStub(server_->Channel());
  }

  void Register(const Unit& unit) {
    grpc::ClientContext context;
    budget::v1::RegisterUnitRequest request;
    *request.mutable_unit() = unit;
    budget::v1::RegisterUnitResponse response;
    grpc::Status status = stub_->RegisterUnit(&context, request, &response);
    ASSERT_TRUE(status.ok()) << status.error_message();
  }

  grpc::Status Submit(const std::string& request_id, const UnitBudget& budget,
                      SubmitBudgetResponse* response,
                      bool validate_only = false) {
    grpc::ClientContext context;
    SubmitBudgetRequest request;
    request.set_request_id(request_id);
    *request.mutable_budget() = budget;
    request.set_submitted_by("e2e");
    request.set_validate_only(validate_only);
    return stub_->SubmitBudget(&context, request, response);
  }

  void Approve(const std::string& unit, int64_t revision) {
    grpc::ClientContext context;
    budget::v1::ReviewSubmissionRequest review;
    review.set_unit_code(unit);
    review.set_fiscal_year(kYear);
    review.set_revision(revision);
    review.set_decision(budget::v1::REVIEW_DECISION_APPROVED);
    budget::v1::Review stored;
    grpc::Status status = stub_->ReviewSubmission(&context, review, &stored);
    ASSERT_TRUE(status.ok()) << status.error_message();
  }

  std::vector<budget::v1::Submission> List(const std::string& unit) {
    grpc::ClientContext context;
    budget::v1::ListSubmissionsRequest request;
    request.set_unit_code(unit);
    request.set_fiscal_year(kYear);
    budget::v1::ListSubmissionsResponse response;
    grpc::Status status = stub_->ListSubmissions(&context, request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return {response.submissions().begin(), response.submissions().end()};
  }

  std::string store_path_;
  std::unique_ptr<e2e_testing::ServiceProcess> server_;
  std::unique_ptr<IngestService::Stub> stub_;
};

TEST_F(IngestE2eTest, EveryRevisionSurvivesSigkillByteForByte) {
  const Unit office = UnitBelowDepartment("021001", "郑州市工业和信息化局机关");
  const Unit centre = UnitBelowDepartment("021014", "郑州市中小企业服务中心");
  Register(Department());
  Register(office);
  Register(centre);
  // 3,108.2 and 1,227.8 万元: the reference's 30101 rows of table 06.
  std::vector<std::pair<std::string, UnitBudget>> sent = {
      {"office-1", SalaryBudget(office, 3'108'200'000)},
      {"office-2", SalaryBudget(office, 3'108'200'017)},
      {"centre-1", SalaryBudget(centre, 1'227'800'000)}};
  for (const auto& [id, budget] : sent) {
    SubmitBudgetResponse response;
    grpc::Status status = Submit(id, budget, &response);
    ASSERT_TRUE(status.ok()) << id << ": " << status.error_message();
  }

  ASSERT_TRUE(WIFSIGNALED(server_->Stop(SIGKILL)));
  Start();

  std::vector<budget::v1::Submission> office_revisions = List("021001");
  ASSERT_EQ(office_revisions.size(), 2u);
  std::vector<budget::v1::Submission> centre_revisions = List("021014");
  ASSERT_EQ(centre_revisions.size(), 1u);
  const budget::v1::Submission* read[] = {
      &office_revisions[0], &office_revisions[1], &centre_revisions[0]};
  for (size_t i = 0; i < sent.size(); ++i) {
    EXPECT_EQ(read[i]->request_id(), sent[i].first);
    EXPECT_EQ(read[i]->submitted_by(), "e2e");
    EXPECT_GT(read[i]->submitted_at().seconds(), 0);
    EXPECT_EQ(read[i]->budget().SerializeAsString(),
              sent[i].second.SerializeAsString())
        << sent[i].first;
  }
  EXPECT_EQ(office_revisions[1].revision(), 2);

  // The restarted server continues the history and the totals.
  SubmitBudgetResponse response;
  ASSERT_TRUE(Submit("centre-2", SalaryBudget(centre, 5), &response).ok());
  EXPECT_EQ(response.revision(), 2);
  EXPECT_EQ(response.consolidated_revision(), 4);
  ASSERT_EQ(response.totals_size(), 2);
  EXPECT_EQ(response.totals(0).node_code(), "021014");
  EXPECT_EQ(response.totals(1).node_code(), kDepartment);
  EXPECT_EQ(response.totals(1).income_fen(), 3'108'200'017 + 5);
  EXPECT_EQ(response.totals(1).expenditure_fen(), 3'108'200'017 + 5);
}

TEST_F(IngestE2eTest, RetryWithSameRequestIdStoresNothingNew) {
  const Unit office = UnitBelowDepartment("021001", "郑州市工业和信息化局机关");
  Register(Department());
  Register(office);
  SubmitBudgetResponse first;
  ASSERT_TRUE(Submit("once", SalaryBudget(office, 100), &first).ok());
  SubmitBudgetResponse retry;
  ASSERT_TRUE(Submit("once", SalaryBudget(office, 100), &retry).ok());
  EXPECT_TRUE(retry.replayed());
  EXPECT_FALSE(first.replayed());
  EXPECT_EQ(retry.revision(), first.revision());
  EXPECT_EQ(retry.consolidated_revision(), first.consolidated_revision());
  EXPECT_EQ(List("021001").size(), 1u);

  SubmitBudgetResponse other;
  grpc::Status reused = Submit("once", SalaryBudget(office, 200), &other);
  EXPECT_EQ(reused.error_code(), grpc::StatusCode::ALREADY_EXISTS);
  EXPECT_EQ(List("021001").size(), 1u);

  // The same budget under the same id for another stage is another
  // request: not told it was stored. (Before: replayed, OK.)
  {
    grpc::ClientContext context;
    SubmitBudgetRequest request;
    request.set_request_id("once");
    *request.mutable_budget() = SalaryBudget(office, 100);
    request.set_stage(budget::v1::BUDGET_STAGE_PROPOSAL);
    SubmitBudgetResponse staged;
    grpc::Status status = stub_->SubmitBudget(&context, request, &staged);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::ALREADY_EXISTS);
    EXPECT_EQ(status.error_message(),
              "request_id once was used for the same budget as stage "
              "BUDGET_STAGE_UNSPECIFIED; this request is stage "
              "BUDGET_STAGE_PROPOSAL");
  }
  EXPECT_EQ(List("021001").size(), 1u);

  SubmitBudgetResponse checked;
  ASSERT_TRUE(
      Submit("dry-run", SalaryBudget(office, 300), &checked, true).ok());
  EXPECT_EQ(checked.revision(), 0);
  EXPECT_EQ(List("021001").size(), 1u);
}

TEST_F(IngestE2eTest, HistoryOfAnUnknownUnitIsNotFound) {
  Register(Department());
  grpc::ClientContext context;
  budget::v1::ListSubmissionsRequest request;
  request.set_unit_code("999");
  request.set_fiscal_year(kYear);
  budget::v1::ListSubmissionsResponse response;
  grpc::Status status = stub_->ListSubmissions(&context, request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(status.error_message(), "no unit 999");
}

TEST_F(IngestE2eTest, SixteenConcurrentClientsGiveExactDepartmentTotals) {
  Register(Department());
  std::vector<Unit> units;
  for (int i = 1; i <= 16; ++i) {
    units.push_back(UnitBelowDepartment(
        absl::StrCat("0210", i < 10 ? "0" : "", i), absl::StrCat("单位", i)));
    Register(units.back());
  }
  std::vector<SubmitBudgetResponse> responses(units.size());
  std::vector<grpc::Status> statuses(units.size());
  std::vector<std::thread> clients;
  int64_t expected = 0;
  for (size_t i = 0; i < units.size(); ++i) {
    const int64_t fen = 123'456'789 * static_cast<int64_t>(i + 1) + 7;
    expected += fen;
    clients.emplace_back([&, i, fen] {
      auto stub = IngestService::NewStub(server_->Channel());
      grpc::ClientContext context;
      SubmitBudgetRequest request;
      request.set_request_id(absl::StrCat("client-", i));
      *request.mutable_budget() = SalaryBudget(units[i], fen);
      statuses[i] = stub->SubmitBudget(&context, request, &responses[i]);
    });
  }
  for (std::thread& client : clients) client.join();

  std::vector<bool> seen(units.size() + 1, false);
  const SubmitBudgetResponse* last = nullptr;
  for (size_t i = 0; i < units.size(); ++i) {
    ASSERT_TRUE(statuses[i].ok()) << statuses[i].error_message();
    int64_t revision = responses[i].consolidated_revision();
    ASSERT_GE(revision, 1);
    ASSERT_LE(revision, 16);
    EXPECT_FALSE(seen[revision]) << "consolidated revision reused";
    seen[revision] = true;
    if (revision == 16) last = &responses[i];
  }
  ASSERT_NE(last, nullptr);
  EXPECT_EQ(last->totals(1).income_fen(), expected);
  EXPECT_EQ(last->totals(1).expenditure_fen(), expected);

  // A clean stop, then the store itself holds the same total.
  int status = server_->Stop(SIGTERM);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
  std::unique_ptr<storage::BudgetStore> store =
      e2e_testing::OpenTestStore(store_path_);
  ASSERT_NE(store, nullptr);
  absl::StatusOr<budget::v1::NodeTotals> totals =
      store->GetNodeTotals(kDepartment, kYear);
  ASSERT_TRUE(totals.ok()) << totals.status();
  EXPECT_EQ(totals->income_fen(), expected);
  EXPECT_EQ(totals->revision(), 16);
}

// Concurrent submissions are committed in shared transactions; every one
// acknowledged must be on disk, in a gap-free revision order, after SIGKILL.
TEST_F(IngestE2eTest, GroupCommittedRevisionsSurviveSigkill) {
  Register(Department());
  constexpr int kUnits = 4;
  constexpr int kClients = 32;
  constexpr int kRounds = 5;
  std::vector<Unit> units;
  for (int u = 1; u <= kUnits; ++u) {
    units.push_back(
        UnitBelowDepartment(absl::StrCat("02100", u), absl::StrCat("单位", u)));
    Register(units.back());
  }
  // Acknowledged (consolidated revision -> request id), from every client.
  std::vector<std::map<int64_t, std::string>> acknowledged(kClients);
  std::vector<std::thread> clients;
  for (int c = 0; c < kClients; ++c) {
    clients.emplace_back([&, c] {
      auto stub = IngestService::NewStub(server_->Channel());
      for (int round = 0; round < kRounds; ++round) {
        grpc::ClientContext context;
        SubmitBudgetRequest request;
        request.set_request_id(absl::StrCat("client-", c, "-", round));
        *request.mutable_budget() =
            SalaryBudget(units[c % kUnits], 1'000 * c + round);
        SubmitBudgetResponse response;
        grpc::Status status = stub->SubmitBudget(&context, request, &response);
        EXPECT_TRUE(status.ok()) << status.error_message();
        if (status.ok()) {
          acknowledged[c][response.consolidated_revision()] =
              request.request_id();
        }
      }
    });
  }
  for (std::thread& client : clients) client.join();
  std::map<int64_t, std::string> all;
  for (const auto& mine : acknowledged) all.insert(mine.begin(), mine.end());
  ASSERT_EQ(all.size(), static_cast<size_t>(kClients * kRounds));

  ASSERT_TRUE(WIFSIGNALED(server_->Stop(SIGKILL)));
  Start();

  std::map<int64_t, std::string> stored;
  for (const Unit& unit : units) {
    int64_t expected_revision = 1;
    for (const budget::v1::Submission& read : List(unit.code())) {
      EXPECT_EQ(read.revision(), expected_revision++) << unit.code();
      stored[read.consolidated_revision()] = read.request_id();
    }
  }
  // Revisions 1..N, each the request acknowledged with it.
  EXPECT_EQ(stored, all);
  EXPECT_EQ(stored.begin()->first, 1);
  EXPECT_EQ(stored.rbegin()->first, kClients * kRounds);
}

TEST_F(IngestE2eTest, BrokenBudgetGetsEveryRuleBack) {
  const Unit office = UnitBelowDepartment("021001", "郑州市工业和信息化局机关");
  Register(Department());
  Register(office);
  UnitBudget budget = SalaryBudget(office, 1'000);
  budget::v1::ExpenditureLine* line = budget.mutable_expenditures(0);
  line->set_function_code("21505");               // 款, not 项: malformed.
  line->set_gov_economic_code("50501");           // An institution's code.
  budget.mutable_income(0)->set_amount_fen(999);  // Unbalanced.

  SubmitBudgetResponse response;
  grpc::Status status = Submit("broken", budget, &response);
  ASSERT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  google::rpc::Status details;
  ASSERT_TRUE(details.ParseFromString(status.error_details()));
  google::rpc::BadRequest bad_request;
  budget::v1::ValidationReport report;
  for (const google::protobuf::Any& any : details.details()) {
    if (any.Is<google::rpc::BadRequest>()) any.UnpackTo(&bad_request);
    if (any.Is<budget::v1::ValidationReport>()) any.UnpackTo(&report);
  }
  ASSERT_GE(bad_request.field_violations_size(), 3);
  int fatal = 0;
  for (const budget::v1::Violation& v : report.violations()) {
    if (v.severity() == budget::v1::SEVERITY_FATAL) ++fatal;
  }
  EXPECT_EQ(fatal, bad_request.field_violations_size());
  bool function_code_named = false;
  bool gov_code_named = false;
  for (const auto& violation : bad_request.field_violations()) {
    EXPECT_TRUE(absl::StartsWith(violation.description(), "[BGT-"))
        << violation.description();
    EXPECT_TRUE(absl::StrContains(violation.description(), "(given: "))
        << violation.description();
    function_code_named |= violation.field() == "expenditures[0].function_code";
    gov_code_named |= violation.field() == "expenditures[0].gov_economic_code";
  }
  EXPECT_TRUE(function_code_named);
  EXPECT_TRUE(gov_code_named);
  EXPECT_TRUE(List("021001").empty());
}

TEST_F(IngestE2eTest, StreamAnswersEachBudgetOnItsOwn) {
  const Unit office = UnitBelowDepartment("021001", "郑州市工业和信息化局机关");
  const Unit centre = UnitBelowDepartment("021014", "郑州市中小企业服务中心");
  Register(Department());
  Register(office);
  Register(centre);
  UnitBudget broken = SalaryBudget(centre, 10);
  broken.mutable_income(0)->set_amount_fen(9);
  std::vector<std::pair<std::string, UnitBudget>> batch = {
      {"s1", SalaryBudget(office, 10)},
      {"s2", broken},
      {"s3", SalaryBudget(centre, 20)}};

  grpc::ClientContext context;
  auto stream = stub_->SubmitBudgets(&context);
  std::vector<budget::v1::SubmitBudgetResult> results;
  for (const auto& [id, budget] : batch) {
    SubmitBudgetRequest request;
    request.set_request_id(id);
    *request.mutable_budget() = budget;
    ASSERT_TRUE(stream->Write(request));
    ASSERT_TRUE(stream->Read(&results.emplace_back()));
  }
  stream->WritesDone();
  ASSERT_TRUE(stream->Finish().ok());
  EXPECT_EQ(results[0].code(), grpc::StatusCode::OK);
  EXPECT_EQ(results[1].request_id(), "s2");
  EXPECT_EQ(results[1].code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_GT(results[1].report().violations_size(), 0);
  EXPECT_EQ(results[2].code(), grpc::StatusCode::OK);
  EXPECT_EQ(results[2].response().totals(1).income_fen(), 30);
}

// A bulk client writes budgets back to back, more than the stream reads
// ahead (IngestService::kSubmitBudgetsReadAhead), before reading any
// answer: every budget is still answered, in the order written, each with
// its own code, and every accepted one is stored. That the stream reads no
// further than that is ingest_service_read_ahead_test's.
TEST_F(IngestE2eTest, PipelinedStreamAnswersInOrderBeyondItsReadAhead) {
  const Unit office = UnitBelowDepartment("021001", "郑州市工业和信息化局机关");
  Register(Department());
  Register(office);
  constexpr int kBudgets = 60;  // Over the read-ahead.
  grpc::ClientContext context;
  auto stream = stub_->SubmitBudgets(&context);
  for (int i = 0; i < kBudgets; ++i) {
    SubmitBudgetRequest request;
    request.set_request_id(absl::StrCat("p", i));
    *request.mutable_budget() = SalaryBudget(office, 10 + i);
    // Every seventh does not balance: rejected, the others not affected.
    if (i % 7 == 3)
      request.mutable_budget()->mutable_income(0)->set_amount_fen(1);
    ASSERT_TRUE(stream->Write(request));
  }
  stream->WritesDone();
  int accepted = 0;
  for (int i = 0; i < kBudgets; ++i) {
    budget::v1::SubmitBudgetResult result;
    ASSERT_TRUE(stream->Read(&result)) << i;
    EXPECT_EQ(result.request_id(), absl::StrCat("p", i));
    if (i % 7 == 3) {
      EXPECT_EQ(result.code(), grpc::StatusCode::INVALID_ARGUMENT) << i;
    } else {
      ASSERT_EQ(result.code(), grpc::StatusCode::OK) << i << result.message();
      EXPECT_EQ(result.response().revision(), ++accepted);
    }
  }
  budget::v1::SubmitBudgetResult extra;
  EXPECT_FALSE(stream->Read(&extra));
  ASSERT_TRUE(stream->Finish().ok());
  EXPECT_EQ(List("021001").size(), static_cast<size_t>(accepted));
}

TEST_F(IngestE2eTest, LockedYearRefusesNewSubmissions) {
  const Unit office = UnitBelowDepartment("021001", "郑州市工业和信息化局机关");
  Register(Department());
  Register(office);
  SubmitBudgetResponse response;
  ASSERT_TRUE(Submit("v1", SalaryBudget(office, 10), &response).ok());

  budget::v1::LockYearRequest lock;
  lock.set_node_code(kDepartment);
  lock.set_fiscal_year(kYear);
  budget::v1::LockYearResponse locked;
  {
    grpc::ClientContext context;
    EXPECT_EQ(stub_->LockYear(&context, lock, &locked).error_code(),
              grpc::StatusCode::FAILED_PRECONDITION);  // Not approved yet.
  }
  Approve("021001", 1);
  {
    grpc::ClientContext context;
    ASSERT_TRUE(stub_->LockYear(&context, lock, &locked).ok());
    EXPECT_EQ(locked.consolidated_revision(), 1);
  }
  grpc::Status refused = Submit("v2", SalaryBudget(office, 11), &response);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(List("021001").size(), 1u);
}

TEST_F(IngestE2eTest, LockWaitsUntilInternalTransfersAgree) {
  const Unit office = UnitBelowDepartment("021001", "郑州市工业和信息化局机关");
  const Unit centre = UnitBelowDepartment("021014", "郑州市中小企业服务中心");
  Register(Department());
  Register(office);
  Register(centre);
  // The office subsidises the centre with 5.00 yuan (对附属单位补助支出) of
  // its 其他收入: a subsidy is never paid with 财政拨款 (BGT-E063).
  UnitBudget paying = SalaryBudget(office, 1000);
  budget::v1::IncomeLine* own = paying.add_income();
  own->set_source(budget::v1::FUNDING_SOURCE_OTHER_INCOME);
  own->set_amount_fen(500);
  budget::v1::ExpenditureLine* subsidy = paying.add_expenditures();
  *subsidy = paying.expenditures(0);
  subsidy->set_funding_source(budget::v1::FUNDING_SOURCE_OTHER_INCOME);
  subsidy->set_dept_economic_code("30299");
  subsidy->set_gov_economic_code("50299");
  subsidy->set_nature(budget::v1::EXPENDITURE_NATURE_BASIC_PUBLIC);
  subsidy->set_amount_fen(500);
  subsidy->set_transfer_kind(budget::v1::TRANSFER_KIND_SUBSIDY_TO_SUBORDINATE);
  subsidy->set_counterpart_unit("021014");
  // The centre books `fen` of it as 上级补助收入 and spends that.
  auto receiving = [&](int64_t fen) {
    UnitBudget budget = SalaryBudget(centre, fen);
    budget.mutable_income(0)->set_source(
        budget::v1::FUNDING_SOURCE_SUBSIDY_FROM_SUPERIOR);
    budget.mutable_income(0)->set_counterpart_unit("021001");
    budget.mutable_expenditures(0)->set_funding_source(
        budget::v1::FUNDING_SOURCE_SUBSIDY_FROM_SUPERIOR);
    return budget;
  };
  budget::v1::LockYearRequest lock;
  lock.set_node_code(kDepartment);
  lock.set_fiscal_year(kYear);
  budget::v1::LockYearResponse locked;

  SubmitBudgetResponse response;
  ASSERT_TRUE(Submit("office", paying, &response).ok());
  ASSERT_TRUE(Submit("centre-1", receiving(400), &response).ok());
  Approve("021001", 1);
  Approve("021014", 1);
  {
    grpc::ClientContext context;
    grpc::Status refused = stub_->LockYear(&context, lock, &locked);
    EXPECT_EQ(refused.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
    EXPECT_EQ(refused.error_message(),
              "internal transfers disagree, so 021 2024 does not balance: "
              "021001 pays 021014 5.00 yuan (对附属单位补助支出) and 021014 "
              "books 4.00 yuan received");
  }
  // The centre's corrected budget, approved, lets the year lock.
  ASSERT_TRUE(Submit("centre-2", receiving(500), &response).ok());
  Approve("021014", 2);
  grpc::ClientContext context;
  grpc::Status status = stub_->LockYear(&context, lock, &locked);
  EXPECT_TRUE(status.ok()) << status.error_message();
}

}  // namespace
}  // namespace ingest_test
