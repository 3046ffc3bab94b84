#include "ingest_service/ingest_service.h"

#include <utility>

#include "absl/time/time.h"
#include "auth/budget_masking.h"
#include "budget/validation/limits.h"
#include "budget/validation/validator.h"
#include "server_common/call_log.h"
#include "server_common/request_bytes.h"
#include "server_common/status_translation.h"
#include "server_common/unary_bytes.h"

namespace ingest {
namespace {

using budget::v1::SubmitBudgetRequest;
using budget::v1::SubmitBudgetResult;
using server_common::AccessGate;
using server_common::CallLog;
using server_common::CallSubject;
using server_common::Logged;
using server_common::ServeUnaryBytes;

// The gRPC form of a submission's (or a cycle write's) outcome.
template <typename Outcome>
grpc::Status ToGrpc(const Outcome& outcome) {
  if (absl::IsInvalidArgument(outcome.status) &&
      outcome.report.violations_size() > 0) {
    return server_common::RejectionStatus(outcome.report);
  }
  return server_common::ToGrpcStatus(outcome.status);
}

absl::Time Deadline(const grpc::CallbackServerContext& context) {
  return absl::FromChrono(context.deadline());
}

// Moves `result` into `response` when OK; logs and returns its status.
template <typename T>
grpc::Status LoggedResult(const CallLog& log, absl::StatusOr<T> result,
                          T* response) {
  if (result.ok()) *response = std::move(*result);
  return Logged(log, server_common::ToGrpcStatus(result.status()));
}

CallLog LogFor(absl::string_view method, absl::string_view unit, int32_t year) {
  CallLog log(method);
  log.set_unit(unit);
  log.set_year(year);
  return log;
}

}  // namespace

// Answers each budget of the stream in order: read one, answer it, read
// the next. A rejected budget is an answer, not a stream error; a message
// that does not parse ends the stream with INVALID_ARGUMENT naming what was
// wrong (the client cannot be trusted to frame the next one).
class IngestService::SubmitStream
    : public grpc::ServerBidiReactor<grpc::ByteBuffer, grpc::ByteBuffer> {
 public:
  SubmitStream(const IngestService* service,
               grpc::CallbackServerContext* context)
      : service_(service), context_(context), log_("SubmitBudgets") {
    StartRead(&raw_request_);
  }

  void OnReadDone(bool ok) override {
    if (!ok) {
      Finish(grpc::Status::OK);
      return;
    }
    SubmitBudgetRequest request;
    grpc::Status parsed = server_common::ParseRequestBytes(
        raw_request_, &request, service_->max_request_messages_);
    raw_request_.Clear();
    if (!parsed.ok()) {
      CallLog("SubmitBudgets.budget").Write(parsed);
      Finish(parsed);
      return;
    }
    CallLog log = LogFor("SubmitBudgets.budget", request.budget().unit_code(),
                         request.budget().fiscal_year());
    const budget::v1::UnitBudget& budget = request.budget();
    CallSubject subject{budget.unit_code(), budget.fiscal_year(),
                        request.request_id()};
    absl::StatusOr<std::shared_ptr<Ingestor>> ingestor =
        service_->role_->Current();
    AccessGate::Access access;
    if (ingestor.ok()) {
      access = service_->Check(*context_, auth::Method::kSubmitBudget,
                               budget.unit_code(), subject);
    } else {
      access.status = server_common::ToGrpcStatus(ingestor.status());
    }
    SubmitOutcome outcome;
    if (access.status.ok()) {
      outcome = (*ingestor)->Submit(request,
                                    access.Attribution(request.submitted_by()),
                                    Deadline(*context_));
    } else {
      outcome.status = absl::Status(
          static_cast<absl::StatusCode>(access.status.error_code()),
          access.status.error_message());
    }
    grpc::Status status = ToGrpc(outcome);
    if (access.status.ok()) {
      service_->gate_->RecordWrite(access, auth::Method::kSubmitBudget, subject,
                                   status);
    }
    log.Write(status);
    SubmitBudgetResult result;
    result.set_request_id(request.request_id());
    result.set_code(status.error_code());
    result.set_message(status.error_message());
    if (outcome.status.ok()) {
      service_->KeepReadableTotals(access, outcome.response);
      *result.mutable_response() = std::move(outcome.response);
    }
    *result.mutable_report() =
        budget::ReportWindow(outcome.report, 0, budget::kMaxFindingsPerReply);
    // The previous answer's write is done: its buffer is free again.
    raw_result_.Clear();
    bool own_buffer = false;
    grpc::SerializationTraits<SubmitBudgetResult>::Serialize(
        result, &raw_result_, &own_buffer);
    StartWrite(&raw_result_);
  }

  void OnWriteDone(bool ok) override {
    if (!ok) {
      Finish(grpc::Status(grpc::StatusCode::CANCELLED, "client went away"));
      return;
    }
    StartRead(&raw_request_);
  }

  void OnDone() override {
    log_.Write(grpc::Status::OK);
    delete this;
  }

 private:
  const IngestService* const service_;
  grpc::CallbackServerContext* const context_;
  CallLog log_;
  grpc::ByteBuffer raw_request_;
  grpc::ByteBuffer raw_result_;
};

template <typename Request, typename Response>
grpc::ServerUnaryReactor* IngestService::Serve(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer& request,
    grpc::ByteBuffer* response, absl::string_view method,
    grpc::Status (IngestService::*handle)(const grpc::CallbackServerContext&,
                                          const Request&, Response*)) {
  return ServeUnaryBytes<Request, Response>(
      context, request, response, method, max_request_messages_,
      [this, context, handle, method](const Request& typed, Response* out) {
        if (absl::Status writer = role_->Current().status(); !writer.ok()) {
          return Logged(CallLog(method), server_common::ToGrpcStatus(writer));
        }
        return (this->*handle)(*context, typed, out);
      });
}

AccessGate::Access IngestService::Check(
    const grpc::CallbackServerContext& context, auth::Method method,
    absl::string_view node, const CallSubject& subject) const {
  return gate_->Check(context, method, {ingestor()->Lineage(node), false},
                      subject);
}

void IngestService::KeepReadableTotals(
    const AccessGate::Access& access,
    budget::v1::SubmitBudgetResponse& response) const {
  google::protobuf::RepeatedPtrField<budget::v1::NodeTotals> readable;
  for (budget::v1::NodeTotals& totals : *response.mutable_totals()) {
    if (gate_->Permits(access, auth::Method::kGetSummary,
                       {ingestor()->Lineage(totals.node_code()), false})) {
      *readable.Add() = std::move(totals);
    }
  }
  response.mutable_totals()->Swap(&readable);
}

grpc::ServerUnaryReactor* IngestService::RegisterUnit(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
    grpc::ByteBuffer* response) {
  return Serve(context, *request, response, "RegisterUnit",
               &IngestService::DoRegisterUnit);
}

grpc::ServerUnaryReactor* IngestService::ListUnits(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
    grpc::ByteBuffer* response) {
  return Serve(context, *request, response, "ListUnits",
               &IngestService::DoListUnits);
}

grpc::ServerUnaryReactor* IngestService::SubmitBudget(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
    grpc::ByteBuffer* response) {
  return Serve(context, *request, response, "SubmitBudget",
               &IngestService::DoSubmitBudget);
}

grpc::ServerBidiReactor<grpc::ByteBuffer, grpc::ByteBuffer>*
IngestService::SubmitBudgets(grpc::CallbackServerContext* context) {
  return new SubmitStream(this, context);
}

grpc::ServerUnaryReactor* IngestService::GetSubmission(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
    grpc::ByteBuffer* response) {
  return Serve(context, *request, response, "GetSubmission",
               &IngestService::DoGetSubmission);
}

grpc::ServerUnaryReactor* IngestService::ListSubmissions(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
    grpc::ByteBuffer* response) {
  return Serve(context, *request, response, "ListSubmissions",
               &IngestService::DoListSubmissions);
}

grpc::ServerUnaryReactor* IngestService::ReviewSubmission(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
    grpc::ByteBuffer* response) {
  return Serve(context, *request, response, "ReviewSubmission",
               &IngestService::DoReviewSubmission);
}

grpc::ServerUnaryReactor* IngestService::LockYear(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
    grpc::ByteBuffer* response) {
  return Serve(context, *request, response, "LockYear",
               &IngestService::DoLockYear);
}

grpc::ServerUnaryReactor* IngestService::ValidateBudget(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
    grpc::ByteBuffer* response) {
  return Serve(context, *request, response, "ValidateBudget",
               &IngestService::DoValidateBudget);
}

grpc::Status IngestService::DoRegisterUnit(
    const grpc::CallbackServerContext& context,
    const budget::v1::RegisterUnitRequest& request,
    budget::v1::RegisterUnitResponse* response) {
  CallLog log = LogFor("RegisterUnit", request.unit().code(), 0);
  CallSubject subject{request.unit().code()};
  AccessGate::Access access = Check(context, auth::Method::kRegisterUnit,
                                    request.unit().parent_code(), subject);
  if (!access.status.ok()) return Logged(log, access.status);
  absl::StatusOr<budget::v1::Unit> unit =
      ingestor()->RegisterUnit(request.unit());
  if (unit.ok()) *response->mutable_unit() = std::move(*unit);
  grpc::Status status = server_common::ToGrpcStatus(unit.status());
  gate_->RecordWrite(access, auth::Method::kRegisterUnit, subject, status);
  return Logged(log, status);
}

grpc::Status IngestService::DoListUnits(
    const grpc::CallbackServerContext& context,
    const budget::v1::ListUnitsRequest& request,
    budget::v1::ListUnitsResponse* response) {
  CallLog log = LogFor("ListUnits", request.root_code(), 0);
  AccessGate::Access access = Check(context, auth::Method::kListUnits,
                                    request.root_code(), {request.root_code()});
  if (!access.status.ok()) return Logged(log, access.status);
  absl::StatusOr<std::vector<budget::v1::Unit>> units =
      ingestor()->ListUnits(request.root_code());
  if (units.ok()) {
    for (budget::v1::Unit& unit : *units) {
      *response->add_units() = std::move(unit);
    }
  }
  return Logged(log, server_common::ToGrpcStatus(units.status()));
}

grpc::Status IngestService::DoSubmitBudget(
    const grpc::CallbackServerContext& context,
    const SubmitBudgetRequest& request,
    budget::v1::SubmitBudgetResponse* response) {
  const budget::v1::UnitBudget& budget = request.budget();
  CallLog log =
      LogFor("SubmitBudget", budget.unit_code(), budget.fiscal_year());
  CallSubject subject{budget.unit_code(), budget.fiscal_year(),
                      request.request_id()};
  AccessGate::Access access =
      Check(context, auth::Method::kSubmitBudget, budget.unit_code(), subject);
  if (!access.status.ok()) return Logged(log, access.status);
  SubmitOutcome outcome = ingestor()->Submit(
      request, access.Attribution(request.submitted_by()), Deadline(context));
  if (outcome.status.ok()) {
    KeepReadableTotals(access, outcome.response);
    *response = std::move(outcome.response);
  }
  grpc::Status status = ToGrpc(outcome);
  gate_->RecordWrite(access, auth::Method::kSubmitBudget, subject, status);
  return Logged(log, status);
}

grpc::Status IngestService::DoGetSubmission(
    const grpc::CallbackServerContext& context,
    const budget::v1::GetSubmissionRequest& request,
    budget::v1::Submission* response) {
  CallLog log =
      LogFor("GetSubmission", request.unit_code(), request.fiscal_year());
  AccessGate::Access access =
      Check(context, auth::Method::kGetSubmission, request.unit_code(),
            {request.unit_code(), request.fiscal_year()});
  if (!access.status.ok()) return Logged(log, access.status);
  absl::StatusOr<budget::v1::Submission> submission =
      ingestor()->GetSubmission(request);
  if (submission.ok() && !access.cleared) {
    auth::MaskClassifiedProjects(*submission->mutable_budget());
  }
  return LoggedResult(log, std::move(submission), response);
}

grpc::Status IngestService::DoListSubmissions(
    const grpc::CallbackServerContext& context,
    const budget::v1::ListSubmissionsRequest& request,
    budget::v1::ListSubmissionsResponse* response) {
  CallLog log =
      LogFor("ListSubmissions", request.unit_code(), request.fiscal_year());
  AccessGate::Access access =
      Check(context, auth::Method::kListSubmissions, request.unit_code(),
            {request.unit_code(), request.fiscal_year()});
  if (!access.status.ok()) return Logged(log, access.status);
  absl::StatusOr<budget::v1::ListSubmissionsResponse> submissions =
      ingestor()->ListSubmissions(request);
  if (submissions.ok() && !access.cleared) {
    for (budget::v1::Submission& submission :
         *submissions->mutable_submissions()) {
      auth::MaskClassifiedProjects(*submission.mutable_budget());
    }
  }
  return LoggedResult(log, std::move(submissions), response);
}

grpc::Status IngestService::DoReviewSubmission(
    const grpc::CallbackServerContext& context,
    const budget::v1::ReviewSubmissionRequest& request,
    budget::v1::Review* response) {
  CallLog log =
      LogFor("ReviewSubmission", request.unit_code(), request.fiscal_year());
  CallSubject subject{request.unit_code(), request.fiscal_year()};
  AccessGate::Access access = Check(context, auth::Method::kReviewSubmission,
                                    request.unit_code(), subject);
  if (!access.status.ok()) return Logged(log, access.status);
  budget::v1::ReviewSubmissionRequest attributed = request;
  attributed.set_reviewer(access.Attribution(request.reviewer()));
  absl::StatusOr<budget::v1::Review> review = ingestor()->Review(attributed);
  gate_->RecordWrite(access, auth::Method::kReviewSubmission, subject,
                     server_common::ToGrpcStatus(review.status()));
  return LoggedResult(log, std::move(review), response);
}

grpc::Status IngestService::DoLockYear(
    const grpc::CallbackServerContext& context,
    const budget::v1::LockYearRequest& request,
    budget::v1::LockYearResponse* response) {
  CallLog log = LogFor("LockYear", request.node_code(), request.fiscal_year());
  CallSubject subject{request.node_code(), request.fiscal_year()};
  AccessGate::Access access =
      Check(context, auth::Method::kLockYear, request.node_code(), subject);
  if (!access.status.ok()) return Logged(log, access.status);
  budget::v1::LockYearRequest attributed = request;
  attributed.set_locked_by(access.Attribution(request.locked_by()));
  absl::StatusOr<budget::v1::LockYearResponse> locked =
      ingestor()->LockYear(attributed);
  gate_->RecordWrite(access, auth::Method::kLockYear, subject,
                     server_common::ToGrpcStatus(locked.status()));
  return LoggedResult(log, std::move(locked), response);
}

grpc::Status IngestService::DoValidateBudget(
    const grpc::CallbackServerContext& context,
    const budget::v1::ValidateBudgetRequest& request,
    budget::v1::ValidateBudgetResponse* response) {
  const budget::v1::UnitBudget& budget = request.budget();
  CallLog log =
      LogFor("ValidateBudget", budget.unit_code(), budget.fiscal_year());
  // Validating is what a submitter does before submitting.
  AccessGate::Access access =
      Check(context, auth::Method::kSubmitBudget, budget.unit_code(),
            {budget.unit_code(), budget.fiscal_year()});
  if (!access.status.ok()) return Logged(log, access.status);
  return LoggedResult(log, ingestor()->ValidatePage(request), response);
}

grpc::ServerUnaryReactor* IngestService::IssueControlFigures(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
    grpc::ByteBuffer* response) {
  return Serve(context, *request, response, "IssueControlFigures",
               &IngestService::DoIssueControlFigures);
}

grpc::ServerUnaryReactor* IngestService::ApproveBudget(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
    grpc::ByteBuffer* response) {
  return Serve(context, *request, response, "ApproveBudget",
               &IngestService::DoApproveBudget);
}

grpc::ServerUnaryReactor* IngestService::AdjustBudget(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
    grpc::ByteBuffer* response) {
  return Serve(context, *request, response, "AdjustBudget",
               &IngestService::DoAdjustBudget);
}

grpc::ServerUnaryReactor* IngestService::ListCycleRecords(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
    grpc::ByteBuffer* response) {
  return Serve(context, *request, response, "ListCycleRecords",
               &IngestService::DoListCycleRecords);
}

grpc::Status IngestService::DoIssueControlFigures(
    const grpc::CallbackServerContext& context,
    const budget::v1::IssueControlFiguresRequest& request,
    budget::v1::IssueControlFiguresResponse* response) {
  const budget::v1::ControlFigures& figures = request.figures();
  CallLog log = LogFor("IssueControlFigures", figures.unit_code(),
                       figures.fiscal_year());
  CallSubject subject{figures.unit_code(), figures.fiscal_year(),
                      request.request_id()};
  // From above the unit: its parent's ancestry.
  AccessGate::Access access = gate_->Check(
      context, auth::Method::kIssueControlFigures,
      {ingestor()->ParentLineage(figures.unit_code()), false}, subject);
  if (!access.status.ok()) return Logged(log, access.status);
  auto outcome =
      ingestor()->IssueControlFigures(request, access.principal);
  if (outcome.status.ok()) *response = std::move(outcome.response);
  grpc::Status status = ToGrpc(outcome);
  gate_->RecordWrite(access, auth::Method::kIssueControlFigures, subject,
                     status);
  return Logged(log, status);
}

grpc::Status IngestService::DoApproveBudget(
    const grpc::CallbackServerContext& context,
    const budget::v1::ApproveBudgetRequest& request,
    budget::v1::SubmitBudgetResponse* response) {
  CallLog log =
      LogFor("ApproveBudget", request.unit_code(), request.fiscal_year());
  CallSubject subject{request.unit_code(), request.fiscal_year(),
                      request.request_id()};
  AccessGate::Access access = gate_->Check(
      context, auth::Method::kApproveBudget,
      {ingestor()->ParentLineage(request.unit_code()), false}, subject);
  if (!access.status.ok()) return Logged(log, access.status);
  SubmitOutcome outcome = ingestor()->Approve(
      request, access.principal, Deadline(context));
  if (outcome.status.ok()) {
    KeepReadableTotals(access, outcome.response);
    *response = std::move(outcome.response);
  }
  grpc::Status status = ToGrpc(outcome);
  gate_->RecordWrite(access, auth::Method::kApproveBudget, subject, status);
  return Logged(log, status);
}

grpc::Status IngestService::DoAdjustBudget(
    const grpc::CallbackServerContext& context,
    const budget::v1::AdjustBudgetRequest& request,
    budget::v1::AdjustBudgetResponse* response) {
  const budget::v1::Adjustment& adjustment = request.adjustment();
  CallLog log = LogFor("AdjustBudget", adjustment.node_code(),
                       adjustment.fiscal_year());
  CallSubject subject{adjustment.node_code(), adjustment.fiscal_year(),
                      request.request_id()};
  AccessGate::Access access = Check(context, auth::Method::kAdjustBudget,
                                    adjustment.node_code(), subject);
  if (!access.status.ok()) return Logged(log, access.status);
  auto outcome = ingestor()->Adjust(request, access.principal);
  if (outcome.status.ok()) *response = std::move(outcome.response);
  grpc::Status status = ToGrpc(outcome);
  gate_->RecordWrite(access, auth::Method::kAdjustBudget, subject, status);
  return Logged(log, status);
}

grpc::Status IngestService::DoListCycleRecords(
    const grpc::CallbackServerContext& context,
    const budget::v1::ListCycleRecordsRequest& request,
    budget::v1::ListCycleRecordsResponse* response) {
  CallLog log =
      LogFor("ListCycleRecords", request.node_code(), request.fiscal_year());
  AccessGate::Access access =
      Check(context, auth::Method::kListCycleRecords, request.node_code(),
            {request.node_code(), request.fiscal_year()});
  if (!access.status.ok()) return Logged(log, access.status);
  return LoggedResult(log, ingestor()->ListCycleRecords(request), response);
}

}  // namespace ingest
