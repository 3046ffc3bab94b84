// The crash behaviour of the ingest service holds for the budget cycle's
// writes: control figures, an approval and an adjustment it acknowledged
// survive SIGKILL exactly, the restarted service continues the
// consolidated revisions after them, still holds the approved budget frozen
// and answers retries of the same request ids with the first answers.
#include <signal.h>
#include <sys/wait.h>

#include <memory>
#include <string>

#include "budget/v1/ingest_service.grpc.pb.h"
#include "grpcpp/client_context.h"
#include "gtest/gtest.h"
#include "tests/ingest/test_budgets.h"
#include "tests/testing/scratch_dir.h"
#include "tests/testing/service_process.h"

namespace ingest_test {
namespace {

using budget::v1::IngestService;

class CycleCrashE2eTest : public ::testing::Test {
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

  budget::v1::ControlFigures Control() const {
    budget::v1::ControlFigures figures;
    figures.set_unit_code("021014");
    figures.set_fiscal_year(kYear);
    budget::v1::ControlAmount* amount = figures.add_amounts();
    amount->set_nature(budget::v1::EXPENDITURE_NATURE_BASIC_PERSONNEL);
    amount->set_amount_fen(1'000'000);
    return figures;
  }

  budget::v1::Adjustment Increase() const {
    budget::v1::Adjustment adjustment;
    adjustment.set_node_code(kDepartment);
    adjustment.set_fiscal_year(kYear);
    adjustment.set_kind(budget::v1::ADJUSTMENT_KIND_INCREASE);
    adjustment.set_reason("追加人员经费");
    adjustment.set_document_number("郑财预〔2024〕9号");
    const budget::v1::UnitBudget budget = Budget();
    budget::v1::IncomeDelta* income = adjustment.add_income();
    income->set_unit_code("021014");
    income->set_source(budget.income(0).source());
    income->set_delta_fen(50'000);
    const budget::v1::ExpenditureLine& line = budget.expenditures(0);
    budget::v1::ExpenditureDelta* delta = adjustment.add_expenditures();
    delta->set_unit_code("021014");
    delta->set_function_code(line.function_code());
    delta->set_dept_economic_code(line.dept_economic_code());
    delta->set_gov_economic_code(line.gov_economic_code());
    delta->set_funding_source(line.funding_source());
    delta->set_nature(line.nature());
    delta->set_delta_fen(50'000);
    return adjustment;
  }

  static budget::v1::UnitBudget Budget() {
    return SalaryBudget(UnitBelowDepartment("021014", "郑州市中小企业服务中心"),
                        900'000);
  }

  // Issues, submits, approves and adjusts; every write acknowledged.
  void RunCycle(budget::v1::IssueControlFiguresResponse* issued,
                budget::v1::SubmitBudgetResponse* approved,
                budget::v1::AdjustBudgetResponse* adjusted) {
    {
      grpc::ClientContext context;
      budget::v1::IssueControlFiguresRequest request;
      request.set_request_id("control");
      *request.mutable_figures() = Control();
      grpc::Status status =
          stub_->IssueControlFigures(&context, request, issued);
      ASSERT_TRUE(status.ok()) << status.error_message();
    }
    {
      grpc::ClientContext context;
      budget::v1::SubmitBudgetRequest request;
      request.set_request_id("submission");
      *request.mutable_budget() = Budget();
      request.set_stage(budget::v1::BUDGET_STAGE_SUBMISSION);
      budget::v1::SubmitBudgetResponse response;
      grpc::Status status = stub_->SubmitBudget(&context, request, &response);
      ASSERT_TRUE(status.ok()) << status.error_message();
    }
    {
      grpc::ClientContext context;
      grpc::Status status =
          stub_->ApproveBudget(&context, Approval(), approved);
      ASSERT_TRUE(status.ok()) << status.error_message();
    }
    {
      grpc::ClientContext context;
      grpc::Status status = stub_->AdjustBudget(&context, Adjust(), adjusted);
      ASSERT_TRUE(status.ok()) << status.error_message();
    }
  }

  static budget::v1::ApproveBudgetRequest Approval() {
    budget::v1::ApproveBudgetRequest request;
    request.set_request_id("approval");
    request.set_unit_code("021014");
    request.set_fiscal_year(kYear);
    return request;
  }

  budget::v1::AdjustBudgetRequest Adjust() const {
    budget::v1::AdjustBudgetRequest request;
    request.set_request_id("adjustment");
    *request.mutable_adjustment() = Increase();
    return request;
  }

  std::string store_path_;
  std::unique_ptr<e2e_testing::ServiceProcess> server_;
  std::unique_ptr<IngestService::Stub> stub_;
};

TEST_F(CycleCrashE2eTest, AcknowledgedCycleWritesSurviveSigkill) {
  for (const budget::v1::Unit& unit :
       {Department(),
        UnitBelowDepartment("021014", "郑州市中小企业服务中心")}) {
    grpc::ClientContext context;
    budget::v1::RegisterUnitRequest request;
    *request.mutable_unit() = unit;
    budget::v1::RegisterUnitResponse response;
    ASSERT_TRUE(stub_->RegisterUnit(&context, request, &response).ok());
  }
  budget::v1::IssueControlFiguresResponse issued;
  budget::v1::SubmitBudgetResponse approved;
  budget::v1::AdjustBudgetResponse adjusted;
  RunCycle(&issued, &approved, &adjusted);
  ASSERT_FALSE(HasFatalFailure());
  EXPECT_EQ(issued.consolidated_revision(), 1);
  EXPECT_EQ(approved.consolidated_revision(), 3);
  EXPECT_EQ(adjusted.consolidated_revision(), 4);
  EXPECT_EQ(adjusted.adjusted_totals(0).expenditure_fen(), 950'000);

  ASSERT_TRUE(WIFSIGNALED(server_->Stop(SIGKILL)));
  Start();

  // The records, byte for byte as acknowledged.
  grpc::ClientContext list_context;
  budget::v1::ListCycleRecordsRequest list;
  list.set_node_code(kDepartment);
  list.set_fiscal_year(kYear);
  budget::v1::ListCycleRecordsResponse records;
  ASSERT_TRUE(stub_->ListCycleRecords(&list_context, list, &records).ok());
  ASSERT_EQ(records.records_size(), 2);
  EXPECT_EQ(records.records(0).control_figures().SerializeAsString(),
            issued.figures().SerializeAsString());
  EXPECT_EQ(records.records(0).consolidated_revision(), 1);
  EXPECT_EQ(records.records(1).adjustment().SerializeAsString(),
            adjusted.adjustment().SerializeAsString());
  EXPECT_EQ(records.records(1).consolidated_revision(), 4);

  // The approval: the latest revision, APPROVED, the submission's bytes.
  grpc::ClientContext get_context;
  budget::v1::GetSubmissionRequest get;
  get.set_unit_code("021014");
  get.set_fiscal_year(kYear);
  budget::v1::Submission latest;
  ASSERT_TRUE(stub_->GetSubmission(&get_context, get, &latest).ok());
  EXPECT_EQ(latest.stage(), budget::v1::BUDGET_STAGE_APPROVED);
  EXPECT_EQ(latest.revision(), approved.revision());
  EXPECT_EQ(latest.budget().SerializeAsString(), Budget().SerializeAsString());

  // Retries get the first answers; nothing new is stored.
  {
    grpc::ClientContext context;
    budget::v1::SubmitBudgetResponse again;
    ASSERT_TRUE(stub_->ApproveBudget(&context, Approval(), &again).ok());
    EXPECT_TRUE(again.replayed());
    EXPECT_EQ(again.consolidated_revision(), 3);
  }
  {
    grpc::ClientContext context;
    budget::v1::AdjustBudgetResponse again;
    ASSERT_TRUE(stub_->AdjustBudget(&context, Adjust(), &again).ok());
    EXPECT_TRUE(again.replayed());
    EXPECT_EQ(again.consolidated_revision(), 4);
  }
  // Still frozen, and the next adjustment starts from the adjusted budget
  // and the next consolidated revision.
  {
    grpc::ClientContext context;
    budget::v1::SubmitBudgetRequest request;
    request.set_request_id("late");
    *request.mutable_budget() = Budget();
    request.set_stage(budget::v1::BUDGET_STAGE_SUBMISSION);
    budget::v1::SubmitBudgetResponse response;
    EXPECT_EQ(stub_->SubmitBudget(&context, request, &response).error_code(),
              grpc::StatusCode::FAILED_PRECONDITION);
  }
  {
    grpc::ClientContext context;
    budget::v1::AdjustBudgetRequest request = Adjust();
    request.set_request_id("adjustment-2");
    budget::v1::AdjustBudgetResponse response;
    ASSERT_TRUE(stub_->AdjustBudget(&context, request, &response).ok());
    EXPECT_EQ(response.consolidated_revision(), 5);
    EXPECT_EQ(response.adjusted_totals(0).expenditure_fen(), 1'000'000);
  }
}

}  // namespace
}  // namespace ingest_test
