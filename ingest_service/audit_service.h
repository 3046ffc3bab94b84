// budget.v1.AuditService over the store's audit trail: auditors list the
// records and verify the hash chain. Denied calls are audited like any
// other. Both methods take their request as raw bytes and read them with
// server_common::ParseRequestBytes, as IngestService does: bytes that do
// not parse are answered INVALID_ARGUMENT naming what is wrong.
//
// Borrows the trail and the gate, which must outlive the server.
// Thread-safe.
#ifndef INGEST_SERVICE_AUDIT_SERVICE_H_
#define INGEST_SERVICE_AUDIT_SERVICE_H_

#include <cstdint>

#include "budget/v1/audit_service.grpc.pb.h"
#include "server_common/access_gate.h"
#include "storage/audit_trail.h"

namespace ingest {

namespace internal {
using GeneratedAudit = budget::v1::AuditService;
// The generated service with every method taking raw bytes.
using RawAuditService = GeneratedAudit::WithRawCallbackMethod_ListAuditRecords<
    GeneratedAudit::WithRawCallbackMethod_VerifyAuditTrail<
        GeneratedAudit::Service>>;
}  // namespace internal

class AuditService : public internal::RawAuditService {
 public:
  AuditService(storage::AuditTrail* trail,
               const server_common::AccessGate* gate,
               int64_t max_request_messages)
      : trail_(trail),
        gate_(gate),
        max_request_messages_(max_request_messages) {}

  // ListAuditRecordsRequest in, ListAuditRecordsResponse out.
  grpc::ServerUnaryReactor* ListAuditRecords(
      grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
      grpc::ByteBuffer* response) override;
  // VerifyAuditTrailRequest in, VerifyAuditTrailResponse out.
  grpc::ServerUnaryReactor* VerifyAuditTrail(
      grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
      grpc::ByteBuffer* response) override;

 private:
  // The typed handlers; each writes its call log line.
  grpc::Status DoListAuditRecords(
      const grpc::CallbackServerContext& context,
      const budget::v1::ListAuditRecordsRequest& request,
      budget::v1::ListAuditRecordsResponse* response);
  grpc::Status DoVerifyAuditTrail(
      const grpc::CallbackServerContext& context,
      budget::v1::VerifyAuditTrailResponse* response);

  storage::AuditTrail* const trail_;
  const server_common::AccessGate* const gate_;
  const int64_t max_request_messages_;
};

}  // namespace ingest

#endif  // INGEST_SERVICE_AUDIT_SERVICE_H_
