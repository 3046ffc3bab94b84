#include "ingest_service/ingest_service.h"

#include <utility>

#include "absl/time/time.h"
#include "server_common/call_log.h"
#include "server_common/status_translation.h"

namespace ingest {
namespace {

using budget::v1::SubmitBudgetRequest;
using budget::v1::SubmitBudgetResult;
using server_common::CallLog;

// The gRPC form of a submission's outcome.
grpc::Status ToGrpc(const SubmitOutcome& outcome) {
  if (absl::IsInvalidArgument(outcome.status) &&
      outcome.report.violations_size() > 0) {
    return server_common::RejectionStatus(outcome.report);
  }
  return server_common::ToGrpcStatus(outcome.status);
}

absl::Time Deadline(const grpc::CallbackServerContext& context) {
  return absl::FromChrono(context.deadline());
}

// Logs and finishes a unary call.
grpc::ServerUnaryReactor* Finish(grpc::CallbackServerContext* context,
                                 const CallLog& log,
                                 const grpc::Status& status) {
  log.Write(status);
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  reactor->Finish(status);
  return reactor;
}

// Finishes a unary call whose result is `result`, moved into `response`.
template <typename T>
grpc::ServerUnaryReactor* FinishWith(grpc::CallbackServerContext* context,
                                     const CallLog& log,
                                     absl::StatusOr<T> result, T* response) {
  if (result.ok()) *response = std::move(*result);
  return Finish(context, log, server_common::ToGrpcStatus(result.status()));
}

CallLog LogFor(absl::string_view method, absl::string_view unit, int32_t year) {
  CallLog log(method);
  log.set_unit(unit);
  log.set_year(year);
  return log;
}

}  // namespace

// Answers each budget of the stream in order: read one, answer it, read
// the next. A rejected budget is an answer, not a stream error.
class IngestService::SubmitStream
    : public grpc::ServerBidiReactor<SubmitBudgetRequest, SubmitBudgetResult> {
 public:
  SubmitStream(Ingestor* ingestor, grpc::CallbackServerContext* context)
      : ingestor_(ingestor), context_(context), log_("SubmitBudgets") {
    StartRead(&request_);
  }

  void OnReadDone(bool ok) override {
    if (!ok) {
      Finish(grpc::Status::OK);
      return;
    }
    CallLog log = LogFor("SubmitBudgets.budget", request_.budget().unit_code(),
                         request_.budget().fiscal_year());
    SubmitOutcome outcome = ingestor_->Submit(request_, Deadline(*context_));
    grpc::Status status = ToGrpc(outcome);
    log.Write(status);
    result_.Clear();
    result_.set_request_id(request_.request_id());
    result_.set_code(status.error_code());
    result_.set_message(status.error_message());
    if (outcome.status.ok()) *result_.mutable_response() = outcome.response;
    *result_.mutable_report() = std::move(outcome.report);
    StartWrite(&result_);
  }

  void OnWriteDone(bool ok) override {
    if (!ok) {
      Finish(grpc::Status(grpc::StatusCode::CANCELLED, "client went away"));
      return;
    }
    StartRead(&request_);
  }

  void OnDone() override {
    log_.Write(grpc::Status::OK);
    delete this;
  }

 private:
  Ingestor* const ingestor_;
  grpc::CallbackServerContext* const context_;
  CallLog log_;
  SubmitBudgetRequest request_;
  SubmitBudgetResult result_;
};

grpc::ServerUnaryReactor* IngestService::RegisterUnit(
    grpc::CallbackServerContext* context,
    const budget::v1::RegisterUnitRequest* request,
    budget::v1::RegisterUnitResponse* response) {
  CallLog log = LogFor("RegisterUnit", request->unit().code(), 0);
  absl::StatusOr<budget::v1::Unit> unit =
      ingestor_->RegisterUnit(request->unit());
  if (unit.ok()) *response->mutable_unit() = std::move(*unit);
  return Finish(context, log, server_common::ToGrpcStatus(unit.status()));
}

grpc::ServerUnaryReactor* IngestService::ListUnits(
    grpc::CallbackServerContext* context,
    const budget::v1::ListUnitsRequest* request,
    budget::v1::ListUnitsResponse* response) {
  CallLog log = LogFor("ListUnits", request->root_code(), 0);
  absl::StatusOr<std::vector<budget::v1::Unit>> units =
      ingestor_->ListUnits(request->root_code());
  if (units.ok()) {
    for (budget::v1::Unit& unit : *units) {
      *response->add_units() = std::move(unit);
    }
  }
  return Finish(context, log, server_common::ToGrpcStatus(units.status()));
}

grpc::ServerUnaryReactor* IngestService::SubmitBudget(
    grpc::CallbackServerContext* context, const SubmitBudgetRequest* request,
    budget::v1::SubmitBudgetResponse* response) {
  CallLog log = LogFor("SubmitBudget", request->budget().unit_code(),
                       request->budget().fiscal_year());
  SubmitOutcome outcome = ingestor_->Submit(*request, Deadline(*context));
  if (outcome.status.ok()) *response = std::move(outcome.response);
  return Finish(context, log, ToGrpc(outcome));
}

grpc::ServerBidiReactor<SubmitBudgetRequest, SubmitBudgetResult>*
IngestService::SubmitBudgets(grpc::CallbackServerContext* context) {
  return new SubmitStream(ingestor_, context);
}

grpc::ServerUnaryReactor* IngestService::GetSubmission(
    grpc::CallbackServerContext* context,
    const budget::v1::GetSubmissionRequest* request,
    budget::v1::Submission* response) {
  return FinishWith(
      context,
      LogFor("GetSubmission", request->unit_code(), request->fiscal_year()),
      ingestor_->GetSubmission(*request), response);
}

grpc::ServerUnaryReactor* IngestService::ListSubmissions(
    grpc::CallbackServerContext* context,
    const budget::v1::ListSubmissionsRequest* request,
    budget::v1::ListSubmissionsResponse* response) {
  return FinishWith(
      context,
      LogFor("ListSubmissions", request->unit_code(), request->fiscal_year()),
      ingestor_->ListSubmissions(*request), response);
}

grpc::ServerUnaryReactor* IngestService::ReviewSubmission(
    grpc::CallbackServerContext* context,
    const budget::v1::ReviewSubmissionRequest* request,
    budget::v1::Review* response) {
  return FinishWith(
      context,
      LogFor("ReviewSubmission", request->unit_code(), request->fiscal_year()),
      ingestor_->Review(*request), response);
}

grpc::ServerUnaryReactor* IngestService::LockYear(
    grpc::CallbackServerContext* context,
    const budget::v1::LockYearRequest* request,
    budget::v1::LockYearResponse* response) {
  return FinishWith(
      context, LogFor("LockYear", request->node_code(), request->fiscal_year()),
      ingestor_->LockYear(*request), response);
}

}  // namespace ingest
