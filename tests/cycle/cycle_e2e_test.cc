// The reference department (fixtures/zhengzhou-iit, 021 郑州市工业和信息化局)
// through a whole budget cycle (fixtures/zhengzhou-iit/cycle) by way of the
// running ingest_service and query_service: proposals (一上) above the final
// figures, control figures (一下), a 二上 over control rejected with its
// buckets named, the 二上 within control accepted, approval (二下) whose
// tables equal the published reference, then a 追加 and a 调剂 and the
// adjusted (调整后) tables, summary and aggregates reflecting them exactly,
// with the control figures beside the stages.
//
// The caller is a principal with submitter and reviewer roles everywhere
// but no clearance: like the published document, it sees the classified
// project of tables 11 and 13 masked, so all thirteen tables compare with
// the reference as printed.
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "auth/token_hash.h"
#include "budget/money.h"
#include "budget/v1/ingest_service.grpc.pb.h"
#include "budget/v1/query_service.grpc.pb.h"
#include "gmock/gmock.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "tests/cycle/reference_adjustments.h"
#include "tests/expected_tables/expected_tables.h"
#include "tests/testing/reference_fixture.h"
#include "tests/testing/service_process.h"

namespace query_test {
namespace {

using budget::v1::BudgetStage;

constexpr char kDepartment[] = "021";
constexpr int kYear = 2024;

budget::v1::ValidationReport ReportOf(const grpc::Status& status) {
  google::rpc::Status details;
  budget::v1::ValidationReport report;
  if (!details.ParseFromString(status.error_details())) return report;
  for (const google::protobuf::Any& any : details.details()) {
    if (any.Is<budget::v1::ValidationReport>()) any.UnpackTo(&report);
  }
  return report;
}

// The operator's token: the hash in the principals file, the secret here.
// Cheap parameters: the test makes hundreds of calls.
const std::string& OperatorHash() {
  static const std::string hash =
      auth::HashTokenWithSalt("token-operator", "salt-operator", 1000);
  return hash;
}

class CycleE2eTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char dir[] = "/tmp/cycle_e2e_XXXXXX";
    ASSERT_NE(mkdtemp(dir), nullptr);
    dir_ = dir;
    std::ofstream(dir_ + "/principals.txt")
        << "operator token=" << OperatorHash() << " submitter@* reviewer@*\n";
    std::vector<std::string> args = e2e_testing::StoreArgs(dir_ + "/budget.db");
    args.push_back("--principals=" + dir_ + "/principals.txt");
    args.push_back("--allow_anonymous_reads");
    ingest_ = std::make_unique<e2e_testing::ServiceProcess>(
        INGEST_SERVICE_BINARY, args);
    query_ = std::make_unique<e2e_testing::ServiceProcess>(QUERY_SERVICE_BINARY,
                                                           args);
    ingest_stub_ = budget::v1::IngestService::NewStub(ingest_->Channel());
    query_stub_ = budget::v1::QueryService::NewStub(query_->Channel());

    for (const budget::v1::Unit& unit : e2e_testing::ReferenceUnits()) {
      budget::v1::RegisterUnitRequest request;
      *request.mutable_unit() = unit;
      budget::v1::RegisterUnitResponse response;
      grpc::Status status =
          ingest_stub_->RegisterUnit(Context().get(), request, &response);
      ASSERT_TRUE(status.ok()) << unit.code() << ": " << status.error_message();
    }
    // The prior year as stored before the cycle existed (no stage): it
    // reads as approved, so the summary compares with it.
    for (const auto& file : e2e_testing::ReferenceBudgets(2023)) {
      budget::v1::SubmitBudgetResponse response;
      grpc::Status status =
          SubmitAt(file.budget, budget::v1::BUDGET_STAGE_UNSPECIFIED,
                   "prior-" + file.budget.unit_code(), &response);
      ASSERT_TRUE(status.ok()) << file.path << ": " << status.error_message();
    }
  }

  void TearDown() override {
    query_.reset();
    ingest_.reset();
    std::system(("rm -rf " + dir_).c_str());
  }

  // The operator's call; an anonymous (public) one when `anonymous`.
  std::unique_ptr<grpc::ClientContext> Context(bool anonymous = false) {
    auto context = std::make_unique<grpc::ClientContext>();
    context->set_deadline(std::chrono::system_clock::now() +
                          std::chrono::seconds(20));
    if (!anonymous) {
      context->AddMetadata(
          "authorization",
          "Bearer " + auth::MintToken(OperatorHash(), "token-operator"));
    }
    return context;
  }

  grpc::Status SubmitAt(const budget::v1::UnitBudget& budget, BudgetStage stage,
                        const std::string& request_id,
                        budget::v1::SubmitBudgetResponse* response) {
    budget::v1::SubmitBudgetRequest request;
    request.set_request_id(request_id);
    *request.mutable_budget() = budget;
    request.set_stage(stage);
    grpc::Status status =
        ingest_stub_->SubmitBudget(Context().get(), request, response);
    if (status.ok()) revision_ = response->consolidated_revision();
    return status;
  }

  absl::StatusOr<budget::v1::DisclosureTable> Table(const std::string& id,
                                                    BudgetStage stage) {
    budget::v1::GetDisclosureTableRequest request;
    request.set_node_code(kDepartment);
    request.set_fiscal_year(kYear);
    request.set_table_id(id);
    request.mutable_read()->set_min_revision(revision_);
    request.mutable_read()->set_stage(stage);
    budget::v1::DisclosureTable table;
    grpc::Status status =
        query_stub_->GetDisclosureTable(Context().get(), request, &table);
    if (!status.ok()) {
      return absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                          status.error_message());
    }
    return table;
  }

  budget::v1::Summary SummaryAt(BudgetStage stage) {
    budget::v1::GetSummaryRequest request;
    request.set_node_code(kDepartment);
    request.set_fiscal_year(kYear);
    request.mutable_read()->set_min_revision(revision_);
    request.mutable_read()->set_stage(stage);
    budget::v1::Summary summary;
    grpc::Status status =
        query_stub_->GetSummary(Context().get(), request, &summary);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return summary;
  }

  // Project rows of the department at `stage`, compared with `compare`.
  std::map<std::string, budget::v1::AggregateRow> ByProject(
      BudgetStage stage, BudgetStage compare, int64_t* grand_total = nullptr) {
    budget::v1::AggregateRequest request;
    request.set_node_code(kDepartment);
    request.set_fiscal_year(kYear);
    request.add_drilldown(budget::v1::DIMENSION_PROJECT);
    request.set_page_size(10'000);
    request.set_compare_stage(compare);
    request.mutable_read()->set_min_revision(revision_);
    request.mutable_read()->set_stage(stage);
    budget::v1::AggregateResponse response;
    grpc::Status status =
        query_stub_->Aggregate(Context().get(), request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    std::map<std::string, budget::v1::AggregateRow> rows;
    for (const auto& row : response.rows()) rows[row.members(0).value()] = row;
    if (grand_total != nullptr)
      *grand_total = response.grand_total().amount_fen();
    if (compare != budget::v1::BUDGET_STAGE_UNSPECIFIED) {
      rows["(total)"] = response.grand_total();
    }
    return rows;
  }

  // Aggregate of the department at `stage` by `drilldown` with a column per
  // entry of `columns` (BUDGET_STAGE_UNSPECIFIED: the control figures).
  grpc::Status Columns(BudgetStage stage,
                       const std::vector<budget::v1::Dimension>& drilldown,
                       const std::vector<BudgetStage>& columns,
                       budget::v1::AggregateResponse* response,
                       bool anonymous = false) {
    budget::v1::AggregateRequest request;
    request.set_node_code(kDepartment);
    request.set_fiscal_year(kYear);
    for (budget::v1::Dimension dimension : drilldown) {
      request.add_drilldown(dimension);
    }
    request.set_page_size(10'000);
    for (BudgetStage column : columns) {
      budget::v1::CompareColumn* added = request.add_compare_columns();
      if (column == budget::v1::BUDGET_STAGE_UNSPECIFIED) {
        added->set_control_figures(true);
      } else {
        added->set_stage(column);
      }
    }
    request.mutable_read()->set_min_revision(revision_);
    request.mutable_read()->set_stage(stage);
    return query_stub_->Aggregate(Context(anonymous).get(), request, response);
  }

  std::string dir_;
  std::unique_ptr<e2e_testing::ServiceProcess> ingest_;
  std::unique_ptr<e2e_testing::ServiceProcess> query_;
  std::unique_ptr<budget::v1::IngestService::Stub> ingest_stub_;
  std::unique_ptr<budget::v1::QueryService::Stub> query_stub_;
  int64_t revision_ = 0;
};

TEST_F(CycleE2eTest, ReferenceDepartmentThroughTheWholeCycle) {
  // 一上: the proposals, 10 % above the final budgets.
  for (const auto& file : e2e_testing::ReferenceBudgetsIn("cycle/proposal")) {
    budget::v1::SubmitBudgetResponse response;
    grpc::Status status =
        SubmitAt(file.budget, budget::v1::BUDGET_STAGE_PROPOSAL,
                 "proposal-" + file.budget.unit_code(), &response);
    ASSERT_TRUE(status.ok()) << file.path << ": " << status.error_message();
  }
  int64_t proposed = 0;
  ByProject(budget::v1::BUDGET_STAGE_PROPOSAL,
            budget::v1::BUDGET_STAGE_UNSPECIFIED, &proposed);
  EXPECT_EQ(budget::FormatWan(proposed), "105,888.8");  // 96,262.5 × 1.1
  // Nothing of 2024 is approved yet.
  EXPECT_EQ(Table("01", budget::v1::BUDGET_STAGE_APPROVED).status().code(),
            absl::StatusCode::kNotFound);

  // A 二上 before control figures were issued: BGT-E103.
  std::vector<e2e_testing::ReferenceBudget> finals =
      e2e_testing::ReferenceBudgets(kYear);
  {
    budget::v1::SubmitBudgetResponse response;
    grpc::Status early =
        SubmitAt(finals.back().budget, budget::v1::BUDGET_STAGE_SUBMISSION,
                 "early", &response);
    ASSERT_EQ(early.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_EQ(ReportOf(early).violations(0).rule_id(), "BGT-E103");
  }

  // 一下: control figures per unit.
  budget::v1::ControlFiguresFile control =
      e2e_testing::ReferenceJson<budget::v1::ControlFiguresFile>(
          "cycle/control-2024.json");
  ASSERT_EQ(control.figures_size(), 6);
  for (const budget::v1::ControlFigures& figures : control.figures()) {
    budget::v1::IssueControlFiguresRequest request;
    request.set_request_id("control-" + figures.unit_code());
    *request.mutable_figures() = figures;
    budget::v1::IssueControlFiguresResponse response;
    grpc::Status status =
        ingest_stub_->IssueControlFigures(Context().get(), request, &response);
    ASSERT_TRUE(status.ok())
        << figures.unit_code() << ": " << status.error_message();
    EXPECT_FALSE(response.figures().issued_by().empty());
    revision_ = response.consolidated_revision();
  }

  // 二上 over control: rejected, each bucket over named with given and
  // expected.
  {
    std::vector<e2e_testing::ReferenceBudget> over =
        e2e_testing::ReferenceBudgetsIn("cycle/over-control");
    ASSERT_EQ(over.size(), 1u);
    budget::v1::SubmitBudgetResponse response;
    grpc::Status status =
        SubmitAt(over[0].budget, budget::v1::BUDGET_STAGE_SUBMISSION,
                 "over-021017", &response);
    ASSERT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    std::vector<std::string> over_buckets;
    const budget::v1::ValidationReport report = ReportOf(status);
    for (const budget::v1::Violation& v : report.violations()) {
      if (v.rule_id() != "BGT-E101") continue;
      over_buckets.push_back(
          absl::StrCat(v.message(), " | ", v.given(), " | ", v.expected()));
    }
    EXPECT_EQ(over_buckets,
              (std::vector<std::string>{
                  "funding_source GENERAL_PUBLIC_BUDGET spends 100000.00 yuan "
                  "over its control figure | 8470529.00 | <= 8370529.00",
                  "nature PROJECT spends 100000.00 yuan over its control "
                  "figure | 450000.00 | <= 350000.00",
                  "project 410100240000000022812 spends 100000.00 yuan over "
                  "its control figure | 450000.00 | <= 350000.00"}));
  }

  // 二上 within control: accepted; 021002 is told what it leaves unused.
  std::map<std::string, int64_t> submission_revision;
  for (const auto& file : finals) {
    budget::v1::SubmitBudgetResponse response;
    grpc::Status status =
        SubmitAt(file.budget, budget::v1::BUDGET_STAGE_SUBMISSION,
                 "submission-" + file.budget.unit_code(), &response);
    ASSERT_TRUE(status.ok()) << file.path << ": " << status.error_message();
    submission_revision[file.budget.unit_code()] = response.revision();
    bool unused = false;
    for (const budget::v1::Violation& w : response.warnings()) {
      if (w.rule_id() == "BGT-E102") {
        unused = true;
        EXPECT_EQ(w.message(),
                  "funding_source GENERAL_PUBLIC_BUDGET leaves 50000.00 yuan "
                  "of its control figure unused");
      }
    }
    EXPECT_EQ(unused, file.budget.unit_code() == "021002");
  }
  // The submission stage already prints the reference; the approved not.
  absl::StatusOr<budget::v1::DisclosureTable> submitted =
      Table("01", budget::v1::BUDGET_STAGE_SUBMISSION);
  ASSERT_TRUE(submitted.ok()) << submitted.status();
  EXPECT_TRUE(expected_tables::CompareWithExpected(
                  *submitted, std::string(GOLDEN_FIXTURES_DIR) + "/expected")
                  .empty());

  // 二下: approval of each unit's 二上.
  const int64_t before_approval = revision_;
  for (const auto& [unit, revision] : submission_revision) {
    budget::v1::ApproveBudgetRequest request;
    request.set_request_id("approve-" + unit);
    request.set_unit_code(unit);
    request.set_fiscal_year(kYear);
    request.set_revision(revision);
    budget::v1::SubmitBudgetResponse response;
    grpc::Status status =
        ingest_stub_->ApproveBudget(Context().get(), request, &response);
    ASSERT_TRUE(status.ok()) << unit << ": " << status.error_message();
    EXPECT_EQ(response.revision(), revision + 1);
    revision_ = response.consolidated_revision();
  }
  // Approval froze the budgets.
  {
    budget::v1::SubmitBudgetResponse response;
    grpc::Status late =
        SubmitAt(finals[0].budget, budget::v1::BUDGET_STAGE_SUBMISSION, "late",
                 &response);
    EXPECT_EQ(late.error_code(), grpc::StatusCode::FAILED_PRECONDITION)
        << late.error_message();
  }
  // The approved tables are the published ones: every printed cell of all
  // thirteen, the classified project of 11 and 13 masked as printed.
  for (const char* id : {"01", "02", "03", "04", "05", "06", "07", "08", "09",
                         "10", "11", "12", "13"}) {
    SCOPED_TRACE(id);
    absl::StatusOr<budget::v1::DisclosureTable> table =
        Table(id, budget::v1::BUDGET_STAGE_UNSPECIFIED);  // default: approved
    ASSERT_TRUE(table.ok()) << table.status();
    std::vector<std::string> problems = expected_tables::CompareWithExpected(
        *table, std::string(GOLDEN_FIXTURES_DIR) + "/expected");
    EXPECT_TRUE(problems.empty()) << absl::StrJoin(problems, "\n");
  }
  budget::v1::Summary approved = SummaryAt(budget::v1::BUDGET_STAGE_APPROVED);
  EXPECT_EQ(budget::FormatWan(approved.income_change().change_fen()),
            "10,723.8");

  // 调整: a 追加 with new money for 021017, a 调剂 between two projects of
  // 021001.
  revision_ = e2e_testing::PostReferenceAdjustments(*ingest_stub_,
                                                    [&] { return Context(); });
  ASSERT_FALSE(HasFailure());

  // Watch reports each change with its stage: six approvals, then two
  // adjustments.
  {
    budget::v1::WatchRequest request;
    request.set_node_code(kDepartment);
    request.set_fiscal_year(kYear);
    request.set_after_revision(before_approval);
    std::unique_ptr<grpc::ClientContext> context = Context();
    auto stream = query_stub_->Watch(context.get(), request);
    std::vector<std::string> stages;
    budget::v1::RevisionEvent event;
    while (stages.size() < 8 && stream->Read(&event)) {
      stages.push_back(budget::v1::BudgetStage_Name(event.stage()));
    }
    context->TryCancel();
    stream->Finish().IgnoreError();
    std::vector<std::string> expected(6, "BUDGET_STAGE_APPROVED");
    expected.insert(expected.end(), 2, "BUDGET_STAGE_ADJUSTED");
    EXPECT_EQ(stages, expected);
  }

  // The adjusted stage: the approved figures plus exactly the deltas.
  std::map<std::string, budget::v1::AggregateRow> change = ByProject(
      budget::v1::BUDGET_STAGE_ADJUSTED, budget::v1::BUDGET_STAGE_APPROVED);
  EXPECT_EQ(change["(total)"].compare().change_fen(), 20'000'000);
  EXPECT_EQ(change["410100240000000022812"].compare().change_fen(), 20'000'000);
  EXPECT_EQ(change["410100240000000054019"].compare().change_fen(),
            -50'000'000);
  EXPECT_EQ(change["410100240000000051604"].compare().change_fen(), 50'000'000);
  int changed_rows = 0;
  for (const auto& [project, row] : change) {
    if (row.compare().change_fen() != 0 && project != "(total)") ++changed_rows;
  }
  EXPECT_EQ(changed_rows, 3);
  absl::StatusOr<budget::v1::DisclosureTable> adjusted01 =
      Table("01", budget::v1::BUDGET_STAGE_ADJUSTED);
  ASSERT_TRUE(adjusted01.ok()) << adjusted01.status();
  std::vector<std::string> differences = expected_tables::CompareWithExpected(
      *adjusted01, std::string(GOLDEN_FIXTURES_DIR) + "/expected");
  EXPECT_FALSE(differences.empty());  // 20.0 万元 more income and spending.
  budget::v1::Summary adjusted = SummaryAt(budget::v1::BUDGET_STAGE_ADJUSTED);
  EXPECT_EQ(adjusted.income_change().change_fen(),
            approved.income_change().change_fen() + 20'000'000);
  // Control figures beside the stages, per cell, with the differences: by
  // funding source, the adjusted amount against the control figures (summed
  // over the six units from the file issued) and the approved budget.
  constexpr BudgetStage kControl = budget::v1::BUDGET_STAGE_UNSPECIFIED;
  std::map<std::string, int64_t> controlled;  // "UNIT/BUCKET" -> fen.
  for (const budget::v1::ControlFigures& figures : control.figures()) {
    for (const budget::v1::ControlAmount& amount : figures.amounts()) {
      std::string bucket =
          amount.has_funding_source()
              ? budget::v1::FundingSource_Name(amount.funding_source())
                    .substr(sizeof("FUNDING_SOURCE_") - 1)
          : amount.has_nature()
              ? budget::v1::ExpenditureNature_Name(amount.nature())
                    .substr(sizeof("EXPENDITURE_NATURE_") - 1)
              : amount.project_code();
      controlled[figures.unit_code() + "/" + bucket] += amount.amount_fen();
      controlled[bucket] += amount.amount_fen();
    }
  }
  {
    budget::v1::AggregateResponse response;
    grpc::Status status = Columns(budget::v1::BUDGET_STAGE_ADJUSTED,
                                  {budget::v1::DIMENSION_FUNDING_SOURCE},
                                  {budget::v1::BUDGET_STAGE_PROPOSAL, kControl,
                                   budget::v1::BUDGET_STAGE_APPROVED},
                                  &response);
    ASSERT_TRUE(status.ok()) << status.error_message();
    std::map<std::string, budget::v1::AggregateRow> rows;
    for (const auto& row : response.rows()) {
      ASSERT_EQ(row.columns_size(), 3);
      rows[row.members(0).value()] = row;
    }
    ASSERT_EQ(rows.size(), 2u);  // General budget and other income.
    const budget::v1::AggregateRow& general = rows["GENERAL_PUBLIC_BUDGET"];
    // 021002 left 5.0 万元 of its control unused; the 追加 added 20.0.
    EXPECT_EQ(general.columns(1).amount_fen(),
              controlled["GENERAL_PUBLIC_BUDGET"]);
    EXPECT_EQ(general.columns(2).amount_fen(),
              controlled["GENERAL_PUBLIC_BUDGET"] - 5'000'000);
    EXPECT_EQ(general.amount_fen(),
              controlled["GENERAL_PUBLIC_BUDGET"] + 15'000'000);
    EXPECT_EQ(general.columns(1).difference_fen(), 15'000'000);
    EXPECT_EQ(general.columns(2).difference_fen(), 20'000'000);
    EXPECT_EQ(general.columns(0).difference_fen(),
              general.amount_fen() - general.columns(0).amount_fen());
    const budget::v1::AggregateRow& other = rows["OTHER_INCOME"];
    EXPECT_EQ(other.amount_fen(), controlled["OTHER_INCOME"]);
    EXPECT_EQ(other.columns(1).difference_fen(), 0);
    EXPECT_EQ(other.columns(2).difference_fen(), 0);
    // The proposals' column holds what the proposal stage read.
    EXPECT_EQ(response.grand_total().columns(0).amount_fen(), proposed);
    EXPECT_EQ(response.grand_total().columns(1).amount_fen(),
              controlled["GENERAL_PUBLIC_BUDGET"] + controlled["OTHER_INCOME"]);
  }
  // By unit and nature: every controlled cell of every unit; the 二上 was
  // within control, so approved equals control wherever the nature was
  // spent in full, and adjusted differs only by the 追加 of 021017.
  {
    budget::v1::AggregateResponse response;
    grpc::Status status =
        Columns(budget::v1::BUDGET_STAGE_ADJUSTED,
                {budget::v1::DIMENSION_UNIT, budget::v1::DIMENSION_NATURE},
                {kControl, budget::v1::BUDGET_STAGE_APPROVED}, &response);
    ASSERT_TRUE(status.ok()) << status.error_message();
    int checked = 0;
    for (const auto& row : response.rows()) {
      const std::string cell =
          row.members(0).value() + "/" + row.members(1).value();
      SCOPED_TRACE(cell);
      auto control_of = controlled.find(cell);
      ASSERT_EQ(row.columns(0).uncontrolled(), control_of == controlled.end());
      if (control_of == controlled.end()) continue;
      ++checked;
      EXPECT_EQ(row.columns(0).amount_fen(), control_of->second);
      EXPECT_EQ(row.columns(1).amount_fen(), control_of->second);
      EXPECT_EQ(row.columns(1).difference_fen(),
                cell == "021017/PROJECT" ? 20'000'000 : 0);
      EXPECT_EQ(row.columns(0).difference_fen(),
                row.columns(1).difference_fen());
    }
    EXPECT_EQ(checked, 17);  // Natures in control-2024.json.
  }
  // By project: only 021017's 410100240000000022812 is fixed by the bureau.
  {
    budget::v1::AggregateResponse response;
    grpc::Status status = Columns(
        budget::v1::BUDGET_STAGE_ADJUSTED, {budget::v1::DIMENSION_PROJECT},
        {kControl, budget::v1::BUDGET_STAGE_APPROVED}, &response);
    ASSERT_TRUE(status.ok()) << status.error_message();
    int controlled_rows = 0;
    for (const auto& row : response.rows()) {
      // The classified project's row is withheld, its columns too.
      if (row.masked() || row.columns(0).uncontrolled()) continue;
      ++controlled_rows;
      EXPECT_EQ(row.members(0).value(), "410100240000000022812");
      EXPECT_EQ(row.columns(0).amount_fen(), 35'000'000);
      EXPECT_EQ(row.columns(1).amount_fen(), 35'000'000);
      EXPECT_EQ(row.amount_fen(), 55'000'000);
      EXPECT_EQ(row.columns(0).difference_fen(), 20'000'000);
    }
    EXPECT_EQ(controlled_rows, 1);
  }
  // Control figures are per bucket, not per classification.
  {
    budget::v1::AggregateResponse response;
    grpc::Status status =
        Columns(budget::v1::BUDGET_STAGE_ADJUSTED,
                {budget::v1::DIMENSION_FUNCTION_CLASS}, {kControl}, &response);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_THAT(status.error_message(),
                ::testing::HasSubstr("drilldown[0]: dimension FUNCTION_CLASS"));
  }

  // At most the four stages and the control figures, each once.
  for (const std::vector<BudgetStage>& columns :
       {std::vector<BudgetStage>{budget::v1::BUDGET_STAGE_APPROVED,
                                 budget::v1::BUDGET_STAGE_APPROVED},
        std::vector<BudgetStage>{kControl, budget::v1::BUDGET_STAGE_PROPOSAL,
                                 budget::v1::BUDGET_STAGE_SUBMISSION,
                                 budget::v1::BUDGET_STAGE_APPROVED,
                                 budget::v1::BUDGET_STAGE_ADJUSTED,
                                 kControl}}) {
    budget::v1::AggregateResponse response;
    grpc::Status status =
        Columns(budget::v1::BUDGET_STAGE_ADJUSTED,
                {budget::v1::DIMENSION_NATURE}, columns, &response);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
        << columns.size();
  }

  // The approved stage itself is unchanged by the adjustments.
  for (const char* id : {"01", "05"}) {
    absl::StatusOr<budget::v1::DisclosureTable> table =
        Table(id, budget::v1::BUDGET_STAGE_APPROVED);
    ASSERT_TRUE(table.ok());
    EXPECT_TRUE(expected_tables::CompareWithExpected(
                    *table, std::string(GOLDEN_FIXTURES_DIR) + "/expected")
                    .empty())
        << id;
  }

  // Once the year is locked the public reads the approved and adjusted
  // figures side by side, but never the control figures nor proposals.
  {
    budget::v1::LockYearRequest request;
    request.set_node_code(kDepartment);
    request.set_fiscal_year(kYear);
    request.set_locked_by("cycle e2e");
    budget::v1::LockYearResponse response;
    grpc::Status status =
        ingest_stub_->LockYear(Context().get(), request, &response);
    ASSERT_TRUE(status.ok()) << status.error_message();
  }
  // The lock reaches the query service through its feed: the public may
  // read once it has applied it.
  budget::v1::AggregateResponse published;
  grpc::Status approved_column;
  for (int attempt = 0; attempt < 200; ++attempt) {
    approved_column = Columns(
        budget::v1::BUDGET_STAGE_ADJUSTED, {budget::v1::DIMENSION_NATURE},
        {budget::v1::BUDGET_STAGE_APPROVED}, &published, /*anonymous=*/true);
    if (approved_column.ok()) break;
    usleep(20000);
  }
  ASSERT_TRUE(approved_column.ok()) << approved_column.error_message();
  EXPECT_EQ(published.grand_total().columns(0).difference_fen(), 20'000'000);
  for (BudgetStage column : {kControl, budget::v1::BUDGET_STAGE_PROPOSAL}) {
    budget::v1::AggregateResponse response;
    grpc::Status status = Columns(budget::v1::BUDGET_STAGE_ADJUSTED,
                                  {budget::v1::DIMENSION_NATURE}, {column},
                                  &response, /*anonymous=*/true);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED)
        << budget::v1::BudgetStage_Name(column) << ": "
        << status.error_message();
  }
}

}  // namespace
}  // namespace query_test
