// budget.v1.IngestService on gRPC's callback API: a thin adapter that
// translates requests to Ingestor calls and results to gRPC statuses
// (through server_common/status_translation.h), logging one line per call.
//
// Borrows the Ingestor, which must outlive the server. Thread-safe.
#ifndef INGEST_SERVICE_INGEST_SERVICE_H_
#define INGEST_SERVICE_INGEST_SERVICE_H_

#include "budget/v1/ingest_service.grpc.pb.h"
#include "ingest_service/ingestor.h"

namespace ingest {

class IngestService : public budget::v1::IngestService::CallbackService {
 public:
  explicit IngestService(Ingestor* ingestor) : ingestor_(ingestor) {}

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

  Ingestor* const ingestor_;
};

}  // namespace ingest

#endif  // INGEST_SERVICE_INGEST_SERVICE_H_
