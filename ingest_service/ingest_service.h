// budget.v1.IngestService on gRPC's callback API: a thin adapter that
// checks each call with the AccessGate, translates requests to Ingestor
// calls and results to gRPC statuses (through
// server_common/status_translation.h), logging one line per call. Writes
// are audited; stored budgets are masked for uncleared readers.
//
// Every method takes its request as raw bytes (gRPC's raw callback
// methods) and reads them with server_common::ParseRequestBytes: bytes
// that do not parse are answered INVALID_ARGUMENT naming what is wrong
// (gRPC's typed methods answer UNIMPLEMENTED with no message, and end a
// stream with OK), and a request of more nested messages than
// `max_request_messages` is refused before it is parsed. Reflection still
// describes the real message types.
//
// Every call first asks the WriterRole for the Ingestor: a standby answers
// UNAVAILABLE saying so (writer_role.h).
//
// Borrows the WriterRole and the gate, which must outlive the server.
// Thread-safe.
#ifndef INGEST_SERVICE_INGEST_SERVICE_H_
#define INGEST_SERVICE_INGEST_SERVICE_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/functional/any_invocable.h"
#include "budget/v1/ingest_service.grpc.pb.h"
#include "ingest_service/audited_answers.h"
#include "ingest_service/ingestor.h"
#include "ingest_service/writer_role.h"
#include "server_common/access_gate.h"

namespace ingest {

namespace internal {
using Generated = budget::v1::IngestService;
// The generated service with every method taking raw bytes.
using RawIngestService = Generated::WithRawCallbackMethod_RegisterUnit<
    Generated::WithRawCallbackMethod_ListUnits<Generated::WithRawCallbackMethod_SubmitBudget<
        Generated::WithRawCallbackMethod_SubmitBudgets<
            Generated::WithRawCallbackMethod_GetSubmission<
                Generated::WithRawCallbackMethod_ListSubmissions<
                    Generated::WithRawCallbackMethod_ReviewSubmission<
                        Generated::WithRawCallbackMethod_LockYear<
                            Generated::WithRawCallbackMethod_ValidateBudget<
                                Generated::WithRawCallbackMethod_IssueControlFigures<
                                    Generated::WithRawCallbackMethod_ApproveBudget<
                                        Generated::
                                            WithRawCallbackMethod_AdjustBudget<
                                                Generated::
                                                    WithRawCallbackMethod_ListCycleRecords<
                                                        Generated::
                                                            Service>>>>>>>>>>>>>;
}  // namespace internal

class IngestService : public internal::RawIngestService {
 public:
  // Budgets one SubmitBudgets stream has read and not yet answered (the
  // answer written): beyond this many the stream reads no further until an
  // answer is written, so one stream holds a bounded number of budgets in
  // the server (docs/limits.md), and one commit takes at most this many of
  // its budgets.
  static constexpr int kSubmitBudgetsReadAhead = 32;

  IngestService(const WriterRole* role, const server_common::AccessGate* gate,
                int64_t max_request_messages)
      : role_(role),
        gate_(gate),
        max_request_messages_(max_request_messages),
        audited_answers_(gate) {}

  grpc::ServerUnaryReactor* RegisterUnit(grpc::CallbackServerContext* context,
                                         const grpc::ByteBuffer* request,
                                         grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* ListUnits(grpc::CallbackServerContext* context,
                                      const grpc::ByteBuffer* request,
                                      grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* SubmitBudget(grpc::CallbackServerContext* context,
                                         const grpc::ByteBuffer* request,
                                         grpc::ByteBuffer* response) override;
  grpc::ServerBidiReactor<grpc::ByteBuffer, grpc::ByteBuffer>* SubmitBudgets(
      grpc::CallbackServerContext* context) override;
  grpc::ServerUnaryReactor* GetSubmission(grpc::CallbackServerContext* context,
                                          const grpc::ByteBuffer* request,
                                          grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* ListSubmissions(
      grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
      grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* ReviewSubmission(
      grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
      grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* LockYear(grpc::CallbackServerContext* context,
                                     const grpc::ByteBuffer* request,
                                     grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* ValidateBudget(grpc::CallbackServerContext* context,
                                           const grpc::ByteBuffer* request,
                                           grpc::ByteBuffer* response) override;
  // The budget cycle.
  grpc::ServerUnaryReactor* IssueControlFigures(
      grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
      grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* ApproveBudget(grpc::CallbackServerContext* context,
                                          const grpc::ByteBuffer* request,
                                          grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* AdjustBudget(grpc::CallbackServerContext* context,
                                         const grpc::ByteBuffer* request,
                                         grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* ListCycleRecords(
      grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
      grpc::ByteBuffer* response) override;

 private:
  class SubmitStream;

  // The gate's verdict on a call about `node`.
  server_common::AccessGate::Access Check(
      const grpc::CallbackServerContext& context, auth::Method method,
      absl::string_view node, const server_common::CallSubject& subject) const;
  // Appends the record of a write that answered `status`, unless `stored`:
  // the store kept the record it was given (outcome OK) in the write's own
  // transaction, and counted it.
  void RecordUnlessStored(const server_common::AccessGate::Access& access,
                          auth::Method method,
                          const server_common::CallSubject& subject,
                          const grpc::Status& status, bool stored) const;

  // Drops the totals of nodes the caller may not read (GetSummary's rule):
  // a unit's submitter learns its own totals, not its department's.
  void KeepReadableTotals(const Ingestor& ingestor,
                          const server_common::AccessGate::Access& access,
                          budget::v1::SubmitBudgetResponse& response) const;

  // How SubmitBudget and each budget of SubmitBudgets are answered: the
  // call's status and the Ingestor's outcome (empty when refused first).
  using SubmitAnswer = absl::AnyInvocable<void(grpc::Status, SubmitOutcome) &&>;
  // Checks the caller and submits `request` without waiting for its
  // commit; `answer` is called once the budget is durable or refused,
  // after the call log line (`method`) and the audit record are written
  // (durable): from the Ingestor's answering thread when the record was stored
  // in the budget's own transaction (SubmitOutcome::audited), else from the
  // thread of audited_answers_. Returns once the budget is decided and
  // queued (Ingestor::SubmitAsync).
  // `budget_bytes`: the request's budget as sent (Received::budget_bytes).
  void SubmitThen(const grpc::CallbackServerContext& context,
                  const budget::v1::SubmitBudgetRequest& request,
                  std::optional<std::string> budget_bytes,
                  absl::string_view method, SubmitAnswer answer) const;

  // Serves `method` from raw bytes with `handle`
  // (server_common/unary_bytes.h).
  template <typename Request, typename Response>
  grpc::ServerUnaryReactor* Serve(
      grpc::CallbackServerContext* context, const grpc::ByteBuffer& request,
      grpc::ByteBuffer* response, absl::string_view method,
      grpc::Status (IngestService::*handle)(const grpc::CallbackServerContext&,
                                            const Request&, Response*));

  // The typed handlers; each writes its call log line.
  grpc::Status DoListUnits(const grpc::CallbackServerContext& context,
                           const budget::v1::ListUnitsRequest& request,
                           budget::v1::ListUnitsResponse* response);
  grpc::Status DoGetSubmission(const grpc::CallbackServerContext& context,
                               const budget::v1::GetSubmissionRequest& request,
                               budget::v1::Submission* response);
  grpc::Status DoListSubmissions(
      const grpc::CallbackServerContext& context,
      const budget::v1::ListSubmissionsRequest& request,
      budget::v1::ListSubmissionsResponse* response);
  grpc::Status DoReviewSubmission(
      const grpc::CallbackServerContext& context,
      const budget::v1::ReviewSubmissionRequest& request,
      budget::v1::Review* response);
  grpc::Status DoLockYear(const grpc::CallbackServerContext& context,
                          const budget::v1::LockYearRequest& request,
                          budget::v1::LockYearResponse* response);
  grpc::Status DoValidateBudget(
      const grpc::CallbackServerContext& context,
      const budget::v1::ValidateBudgetRequest& request,
      budget::v1::ValidateBudgetResponse* response);

  grpc::Status DoIssueControlFigures(
      const grpc::CallbackServerContext& context,
      const budget::v1::IssueControlFiguresRequest& request,
      budget::v1::IssueControlFiguresResponse* response);
  grpc::Status DoApproveBudget(const grpc::CallbackServerContext& context,
                               const budget::v1::ApproveBudgetRequest& request,
                               budget::v1::SubmitBudgetResponse* response);
  grpc::Status DoAdjustBudget(const grpc::CallbackServerContext& context,
                              const budget::v1::AdjustBudgetRequest& request,
                              budget::v1::AdjustBudgetResponse* response);
  grpc::Status DoListCycleRecords(
      const grpc::CallbackServerContext& context,
      const budget::v1::ListCycleRecordsRequest& request,
      budget::v1::ListCycleRecordsResponse* response);

  // The Ingestor of the call; only after role_->Current() was OK.
  std::shared_ptr<Ingestor> ingestor() const { return role_->Latest(); }

  const WriterRole* const role_;
  const server_common::AccessGate* const gate_;
  const int64_t max_request_messages_;
  // Writes not audited in their own transaction are answered from here,
  // once audited.
  mutable AuditedAnswers audited_answers_;
};

}  // namespace ingest

#endif  // INGEST_SERVICE_INGEST_SERVICE_H_
