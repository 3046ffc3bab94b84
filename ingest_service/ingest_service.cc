#include "ingest_service/ingest_service.h"

#include <algorithm>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/time/time.h"
#include "auth/budget_masking.h"
#include "budget/validation/limits.h"
#include "budget/validation/validator.h"
#include "google/protobuf/arena.h"
#include "ingest_service/budget_bytes.h"
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
    return server_common::RejectionStatus(outcome.report,
                                          outcome.status.message());
  }
  return server_common::ToGrpcStatus(outcome.status);
}

// A submission's request is parsed on an arena, so that its hundreds of
// line messages are freed at once when the call's handler returns, not one
// by one; SubmitThen reads it only while it runs (the Ingestor copies what
// it keeps). The first block holds a 200-line budget.
google::protobuf::ArenaOptions SubmissionArena() {
  google::protobuf::ArenaOptions options;
  options.start_block_size = 64 << 10;
  options.max_block_size = 256 << 10;
  return options;
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

// Answers each budget of the stream on its own, in order. Up to
// kSubmitBudgetsReadAhead budgets are read and not yet answered at once
// (read ahead while earlier ones wait for their commit, so that a
// pipelining client's budgets share group commits); beyond that the stream
// stops reading and HTTP/2 flow control holds the client's writes;
// a reply is written as soon as it and every earlier one are answered. No
// callback thread waits for a commit: the Ingestor's answering thread hands
// each answer back here. A rejected budget is an answer, not a stream
// error; a message that does not parse ends the stream with
// INVALID_ARGUMENT naming what was wrong, after the answers to the budgets
// before it (the client cannot be trusted to frame the next one).
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
      Update([this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
        reading_ = false;
        reads_done_ = true;
      });
      return;
    }
    google::protobuf::Arena arena(SubmissionArena());
    auto* request =
        google::protobuf::Arena::CreateMessage<SubmitBudgetRequest>(&arena);
    grpc::Status parsed = server_common::ParseRequestBytes(
        raw_request_, request, service_->max_request_messages_);
    std::optional<std::string> budget_bytes;
    if (parsed.ok()) budget_bytes = SoleBudgetBytes(raw_request_);
    raw_request_.Clear();
    if (!parsed.ok()) {
      CallLog("SubmitBudgets.budget").Write(parsed);
      Update([this, &parsed]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
        reading_ = false;
        reads_done_ = true;
        end_status_ = parsed;
      });
      return;
    }
    int64_t sequence;
    {
      absl::MutexLock lock(&mu_);
      sequence = next_sequence_++;
      ++unanswered_;
      ++held_;
    }
    const std::string request_id = request->request_id();
    service_->SubmitThen(
        *context_, *request, std::move(budget_bytes), "SubmitBudgets.budget",
        [this, sequence, request_id](grpc::Status status,
                                     SubmitOutcome outcome) {
          Answered(sequence, request_id, status, std::move(outcome));
        });
    // The next read starts only now that this budget is decided and queued
    // (SubmitThen returns once it is): a stream's budgets are decided in
    // the order written, so a later revision of a unit is stored after an
    // earlier one. Reads ahead while the window has room.
    Update([this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { reading_ = false; });
  }

  void OnWriteDone(bool ok) override {
    Update([this, ok]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      writing_ = false;
      --held_;
      if (!ok) {
        broken_ = true;
        end_status_ =
            grpc::Status(grpc::StatusCode::CANCELLED, "client went away");
      }
    });
  }

  void OnDone() override {
    log_.Write(end_status_);
    delete this;
  }

 private:
  void Answered(int64_t sequence, const std::string& request_id,
                const grpc::Status& status, SubmitOutcome outcome) {
    SubmitBudgetResult result;
    result.set_request_id(request_id);
    result.set_code(status.error_code());
    result.set_message(status.error_message());
    if (outcome.status.ok()) {
      *result.mutable_response() = std::move(outcome.response);
    }
    *result.mutable_report() =
        budget::ReportWindow(outcome.report, 0, budget::kMaxFindingsPerReply);
    grpc::ByteBuffer bytes;
    bool own_buffer = false;
    grpc::SerializationTraits<SubmitBudgetResult>::Serialize(result, &bytes,
                                                             &own_buffer);
    Update([&]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      --unanswered_;
      answers_.emplace(sequence, std::move(bytes));
    });
  }

  // Starts what can start: the next write (in order), the next read (while
  // the window has room); true once every budget read is answered and
  // written, when the caller finishes the stream after releasing the lock
  // (OnDone deletes this). gRPC allows one read and one write outstanding
  // at a time.
  bool Proceed() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    if (finished_) return false;
    if (broken_) answers_.clear();
    if (!writing_ && !answers_.empty() &&
        answers_.begin()->first == next_write_) {
      writing_ = true;
      raw_result_ = std::move(answers_.begin()->second);
      answers_.erase(answers_.begin());
      ++next_write_;
      StartWrite(&raw_result_);
    }
    if (!reading_ && !reads_done_ && !broken_ &&
        held_ < kSubmitBudgetsReadAhead) {
      reading_ = true;
      StartRead(&raw_request_);
    }
    if ((reads_done_ || broken_) && !reading_ && !writing_ &&
        unanswered_ == 0 && answers_.empty()) {
      finished_ = true;
      return true;
    }
    return false;
  }

  // Runs `change` under the lock, then proceeds.
  template <typename Change>
  void Update(Change change) ABSL_LOCKS_EXCLUDED(mu_) {
    grpc::Status end;
    {
      absl::MutexLock lock(&mu_);
      change();
      if (!Proceed()) return;
      end = end_status_;
    }
    Finish(end);
  }

  const IngestService* const service_;
  grpc::CallbackServerContext* const context_;
  CallLog log_;
  grpc::ByteBuffer raw_request_;  // Owned by the outstanding read.
  grpc::ByteBuffer raw_result_;   // Owned by the outstanding write.
  absl::Mutex mu_;
  bool reading_ ABSL_GUARDED_BY(mu_) = true;  // The constructor's read.
  bool writing_ ABSL_GUARDED_BY(mu_) = false;
  bool reads_done_ ABSL_GUARDED_BY(mu_) = false;
  bool broken_ ABSL_GUARDED_BY(mu_) = false;  // A write failed.
  bool finished_ ABSL_GUARDED_BY(mu_) = false;
  grpc::Status end_status_ ABSL_GUARDED_BY(mu_);
  int64_t next_sequence_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t next_write_ ABSL_GUARDED_BY(mu_) = 0;
  int unanswered_ ABSL_GUARDED_BY(mu_) = 0;  // In the Ingestor.
  int held_ ABSL_GUARDED_BY(mu_) = 0;        // Read, not yet written.
  // Answers waiting for an earlier one, by sequence.
  std::map<int64_t, grpc::ByteBuffer> answers_ ABSL_GUARDED_BY(mu_);
};

void IngestService::SubmitThen(const grpc::CallbackServerContext& context,
                               const SubmitBudgetRequest& request,
                               std::optional<std::string> budget_bytes,
                               absl::string_view method,
                               SubmitAnswer answer) const {
  const budget::v1::UnitBudget& budget = request.budget();
  CallLog log = LogFor(method, budget.unit_code(), budget.fiscal_year());
  absl::StatusOr<std::shared_ptr<Ingestor>> ingestor = role_->Current();
  if (!ingestor.ok()) {
    std::move(answer)(
        Logged(log, server_common::ToGrpcStatus(ingestor.status())), {});
    return;
  }
  CallSubject subject{budget.unit_code(), budget.fiscal_year(),
                      request.request_id()};
  AccessGate::Access access =
      Check(context, auth::Method::kSubmitBudget, budget.unit_code(), subject);
  if (!access.status.ok()) {
    std::move(answer)(Logged(log, access.status), {});
    return;
  }
  // The overall goal may describe an ancestor of the unit (BGT-E070), and
  // table 12 of that ancestor publishes it: stating it is submitting for
  // the ancestor, which the caller's scope must cover too. (A scope that
  // is not the unit or an ancestor is BGT-E070's, found by validation.)
  if (budget.has_overall_goal() &&
      budget.overall_goal().scope_code() != budget.unit_code()) {
    const std::string& scope = budget.overall_goal().scope_code();
    std::vector<std::string> lineage = (*ingestor)->Lineage(budget.unit_code());
    auto ancestor = std::find(lineage.begin(), lineage.end(), scope);
    if (ancestor != lineage.end() &&
        !gate_->Permits(access, auth::Method::kSubmitBudget,
                        {{ancestor, lineage.end()}, false})) {
      std::move(answer)(
          Logged(log, gate_->Refuse(
                          context, access, auth::Method::kSubmitBudget,
                          {scope, budget.fiscal_year(), request.request_id()})),
          {});
      return;
    }
  }
  const std::string attribution = access.Attribution(request.submitted_by());
  // The record as it reads once stored; a store that appends records in
  // the revision's transaction keeps it there.
  Received received;
  received.budget_bytes = std::move(budget_bytes);
  received.audit = gate_->WriteRecord(access, auth::Method::kSubmitBudget,
                                      subject, grpc::Status::OK);
  // The callback runs on the Ingestor's answering thread (or this one), while
  // the Ingestor is alive: a raw pointer, so that the callback never holds
  // the last reference to it.
  (*ingestor)->SubmitAsync(
      request, attribution, Deadline(context),
      [this, held = ingestor->get(), log = std::move(log),
       access = std::move(access), unit = budget.unit_code(),
       year = budget.fiscal_year(), request_id = request.request_id(),
       answer = std::move(answer)](SubmitOutcome outcome) mutable {
        if (outcome.status.ok()) {
          KeepReadableTotals(*held, access, outcome.response);
        }
        grpc::Status status = ToGrpc(outcome);
        log.Write(status);
        if (outcome.audited) {
          // Its record is durable with the revision: answered at once.
          gate_->CountStored(1);
          std::move(answer)(status, std::move(outcome));
          return;
        }
        // Audited with the rest of its group commit, then answered.
        audited_answers_.Add(
            gate_->WriteRecord(access, auth::Method::kSubmitBudget,
                               {unit, year, request_id}, status),
            [answer = std::move(answer), status,
             outcome = std::move(outcome)]() mutable {
              std::move(answer)(status, std::move(outcome));
            });
      },
      std::move(received));
}

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
    const Ingestor& ingestor, const AccessGate::Access& access,
    budget::v1::SubmitBudgetResponse& response) const {
  google::protobuf::RepeatedPtrField<budget::v1::NodeTotals> readable;
  for (budget::v1::NodeTotals& totals : *response.mutable_totals()) {
    if (gate_->Permits(access, auth::Method::kGetSummary,
                       {ingestor.Lineage(totals.node_code()), false})) {
      *readable.Add() = std::move(totals);
    }
  }
  response.mutable_totals()->Swap(&readable);
}

grpc::ServerUnaryReactor* IngestService::RegisterUnit(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
    grpc::ByteBuffer* response) {
  budget::v1::RegisterUnitRequest typed;
  grpc::Status parsed =
      server_common::ParseRequestBytes(*request, &typed, max_request_messages_);
  if (!parsed.ok()) {
    return server_common::FinishUnary(context, CallLog("RegisterUnit"), parsed);
  }
  absl::StatusOr<std::shared_ptr<Ingestor>> ingestor = role_->Current();
  CallLog log = LogFor("RegisterUnit", typed.unit().code(), 0);
  if (!ingestor.ok()) {
    return server_common::FinishUnary(
        context, log, server_common::ToGrpcStatus(ingestor.status()));
  }
  CallSubject subject{typed.unit().code()};
  AccessGate::Access access = Check(*context, auth::Method::kRegisterUnit,
                                    typed.unit().parent_code(), subject);
  if (!access.status.ok()) {
    return server_common::FinishUnary(context, log, access.status);
  }
  // Finished once the unit and its audit record are durable: stored in the
  // unit's transaction by a store that AppendsAuditRecords, so that no
  // crash keeps one without the other; else appended with the rest of its
  // batch's right after. No callback thread waits for either. The callback
  // may run after this call returns (a registration queued behind another
  // batch), so it names the unit from its own copy: `subject` views
  // `typed`, which is gone by then.
  // Built before the call: the callback below takes `access` by move, and
  // the order in which a call's arguments are evaluated is unspecified.
  budget::v1::AuditRecord if_registered = gate_->WriteRecord(
      access, auth::Method::kRegisterUnit, subject, grpc::Status::OK);
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  (*ingestor)->RegisterUnitAsync(
      typed.unit(), std::move(if_registered),
      [this, reactor, response, held = ingestor->get(), log = std::move(log),
       access = std::move(access),
       unit = typed.unit()](absl::Status registered, bool audited) mutable {
        grpc::Status status = server_common::ToGrpcStatus(registered);
        // ALREADY_EXISTS describes the unit holding the code, which may be
        // outside the caller's scope: such a caller is refused as for any
        // node it may not read, and learns nothing of that unit. (Decided
        // here, after the registry's check, so that a unit registered
        // meanwhile is covered too.)
        if (registered.code() == absl::StatusCode::kAlreadyExists &&
            !gate_->Permits(access, auth::Method::kListUnits,
                            {held->Lineage(unit.code()), false})) {
          status = AccessGate::Denied();
        }
        log.Write(status);
        std::optional<budget::v1::AuditRecord> record;
        if (audited) {
          gate_->CountStored(1);
        } else {
          record = gate_->WriteRecord(access, auth::Method::kRegisterUnit,
                                      CallSubject{unit.code()}, status);
        }
        auto answer = [reactor, response, status,
                       unit = std::move(unit)]() mutable {
          budget::v1::RegisterUnitResponse answer;
          if (status.ok()) *answer.mutable_unit() = std::move(unit);
          server_common::FinishWithResponse(reactor, std::move(status), answer,
                                            response);
        };
        if (record.has_value()) {
          audited_answers_.Add(*std::move(record), std::move(answer));
        } else {
          answer();
        }
      });
  return reactor;
}

void IngestService::RecordUnlessStored(const AccessGate::Access& access,
                                       auth::Method method,
                                       const CallSubject& subject,
                                       const grpc::Status& status,
                                       bool stored) const {
  if (stored) {
    gate_->CountStored(1);
  } else {
    gate_->RecordWrite(access, method, subject, status);
  }
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
  google::protobuf::Arena arena(SubmissionArena());
  SubmitBudgetRequest& typed =
      *google::protobuf::Arena::CreateMessage<SubmitBudgetRequest>(&arena);
  grpc::Status parsed =
      server_common::ParseRequestBytes(*request, &typed, max_request_messages_);
  if (!parsed.ok()) {
    return server_common::FinishUnary(context, CallLog("SubmitBudget"), parsed);
  }
  // Finished from the Ingestor's answering thread once the budget is durable:
  // no callback thread waits for the commit.
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  SubmitThen(*context, typed, SoleBudgetBytes(*request), "SubmitBudget",
             [reactor, response](grpc::Status status, SubmitOutcome outcome) {
               server_common::FinishWithResponse(reactor, std::move(status),
                                                 outcome.response, response);
             });
  return reactor;
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
  absl::StatusOr<budget::v1::Review> review = ingestor()->Review(
      attributed, gate_->WriteRecord(access, auth::Method::kReviewSubmission,
                                     subject, grpc::Status::OK));
  RecordUnlessStored(access, auth::Method::kReviewSubmission, subject,
                     server_common::ToGrpcStatus(review.status()),
                     review.ok() && ingestor()->AppendsAuditRecords());
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
  absl::StatusOr<budget::v1::LockYearResponse> locked = ingestor()->LockYear(
      attributed, gate_->WriteRecord(access, auth::Method::kLockYear, subject,
                                     grpc::Status::OK));
  RecordUnlessStored(access, auth::Method::kLockYear, subject,
                     server_common::ToGrpcStatus(locked.status()),
                     locked.ok() && ingestor()->AppendsAuditRecords());
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
  CallLog log =
      LogFor("IssueControlFigures", figures.unit_code(), figures.fiscal_year());
  CallSubject subject{figures.unit_code(), figures.fiscal_year(),
                      request.request_id()};
  // From above the unit: its parent's ancestry.
  AccessGate::Access access = gate_->Check(
      context, auth::Method::kIssueControlFigures,
      {ingestor()->ParentLineage(figures.unit_code()), false}, subject);
  if (!access.status.ok()) return Logged(log, access.status);
  auto outcome = ingestor()->IssueControlFigures(
      request, access.principal,
      gate_->WriteRecord(access, auth::Method::kIssueControlFigures, subject,
                         grpc::Status::OK));
  if (outcome.status.ok()) *response = std::move(outcome.response);
  grpc::Status status = ToGrpc(outcome);
  RecordUnlessStored(access, auth::Method::kIssueControlFigures, subject,
                     status, outcome.audited);
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
      request, access.principal, Deadline(context),
      gate_->WriteRecord(access, auth::Method::kApproveBudget, subject,
                         grpc::Status::OK));
  if (outcome.status.ok()) {
    KeepReadableTotals(*ingestor(), access, outcome.response);
    *response = std::move(outcome.response);
  }
  grpc::Status status = ToGrpc(outcome);
  RecordUnlessStored(access, auth::Method::kApproveBudget, subject, status,
                     outcome.audited);
  return Logged(log, status);
}

grpc::Status IngestService::DoAdjustBudget(
    const grpc::CallbackServerContext& context,
    const budget::v1::AdjustBudgetRequest& request,
    budget::v1::AdjustBudgetResponse* response) {
  const budget::v1::Adjustment& adjustment = request.adjustment();
  CallLog log =
      LogFor("AdjustBudget", adjustment.node_code(), adjustment.fiscal_year());
  CallSubject subject{adjustment.node_code(), adjustment.fiscal_year(),
                      request.request_id()};
  AccessGate::Access access = Check(context, auth::Method::kAdjustBudget,
                                    adjustment.node_code(), subject);
  if (!access.status.ok()) return Logged(log, access.status);
  auto outcome =
      ingestor()->Adjust(request, access.principal,
                         gate_->WriteRecord(access, auth::Method::kAdjustBudget,
                                            subject, grpc::Status::OK));
  if (outcome.status.ok()) *response = std::move(outcome.response);
  grpc::Status status = ToGrpc(outcome);
  RecordUnlessStored(access, auth::Method::kAdjustBudget, subject, status,
                     outcome.audited);
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
