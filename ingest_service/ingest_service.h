// budget.v1.IngestService on gRPC's callback API: a thin adapter that
// checks each call with the AccessGate, translates requests to Ingestor
// calls and results to gRPC statuses (through
// server_common/status_translation.h), logging one line per call. Writes
// are audited; stored budgets are masked for uncleared readers.
//
// Borrows the Ingestor and the gate, which must outlive the server.
// Thread-safe.
#ifndef INGEST_SERVICE_INGEST_SERVICE_H_
#define INGEST_SERVICE_INGEST_SERVICE_H_

#include "budget/v1/ingest_service.grpc.pb.h"
#include "ingest_service/ingestor.h"
#include "server_common/access_gate.h"

namespace ingest {

class IngestService : public budget::v1::IngestService::CallbackService {
 public:
  IngestService(Ingestor* ingestor, const server_common::AccessGate* gate)
      : ingestor_(ingestor), gate_(gate) {}

  grpc::ServerUnaryReactor* RegisterUnit(
      grpc::CallbackServerContext* context,
      const budget::v1::RegisterUnitRequest* request,
      budget::v1::RegisterUnitResponse* response) override;
  grpc::ServerUnaryReactor* ListUnits(
      grpc::CallbackServerContext* context,
      const budget::v1::ListUnitsRequest* request,
      budget::v1::ListUnitsResponse* response) override;
  grpc::ServerUnaryReactor* SubmitBudget(
      grpc::CallbackServerContext* context,
      const budget::v1::SubmitBudgetRequest* request,
      budget::v1::SubmitBudgetResponse* response) override;
  grpc::ServerBidiReactor<budget::v1::SubmitBudgetRequest,
                          budget::v1::SubmitBudgetResult>*
  SubmitBudgets(grpc::CallbackServerContext* context) override;
  grpc::ServerUnaryReactor* GetSubmission(
      grpc::CallbackServerContext* context,
      const budget::v1::GetSubmissionRequest* request,
      budget::v1::Submission* response) override;
  grpc::ServerUnaryReactor* ListSubmissions(
      grpc::CallbackServerContext* context,
      const budget::v1::ListSubmissionsRequest* request,
      budget::v1::ListSubmissionsResponse* response) override;
  grpc::ServerUnaryReactor* ReviewSubmission(
      grpc::CallbackServerContext* context,
      const budget::v1::ReviewSubmissionRequest* request,
      budget::v1::Review* response) override;
  grpc::ServerUnaryReactor* LockYear(
      grpc::CallbackServerContext* context,
      const budget::v1::LockYearRequest* request,
      budget::v1::LockYearResponse* response) override;

 private:
  class SubmitStream;

  // The gate's verdict on a call about `node`.
  server_common::AccessGate::Access Check(
      const grpc::CallbackServerContext& context, auth::Method method,
      absl::string_view node, const server_common::CallSubject& subject) const;

  // Drops the totals of nodes the caller may not read (GetSummary's rule):
  // a unit's submitter learns its own totals, not its department's.
  void KeepReadableTotals(const server_common::AccessGate::Access& access,
                          budget::v1::SubmitBudgetResponse& response) const;

  Ingestor* const ingestor_;
  const server_common::AccessGate* const gate_;
};

}  // namespace ingest

#endif  // INGEST_SERVICE_INGEST_SERVICE_H_
