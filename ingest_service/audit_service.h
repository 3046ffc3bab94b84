// budget.v1.AuditService over the store's audit trail: auditors list the
// records and verify the hash chain. Denied calls are audited like any
// other.
//
// Borrows the trail and the gate, which must outlive the server.
// Thread-safe.
#ifndef INGEST_SERVICE_AUDIT_SERVICE_H_
#define INGEST_SERVICE_AUDIT_SERVICE_H_

#include "budget/v1/audit_service.grpc.pb.h"
#include "server_common/access_gate.h"
#include "storage/audit_trail.h"

namespace ingest {

class AuditService : public budget::v1::AuditService::CallbackService {
 public:
  AuditService(storage::AuditTrail* trail,
               const server_common::AccessGate* gate)
      : trail_(trail), gate_(gate) {}

  grpc::ServerUnaryReactor* ListAuditRecords(
      grpc::CallbackServerContext* context,
      const budget::v1::ListAuditRecordsRequest* request,
      budget::v1::ListAuditRecordsResponse* response) override;
  grpc::ServerUnaryReactor* VerifyAuditTrail(
      grpc::CallbackServerContext* context,
      const budget::v1::VerifyAuditTrailRequest* request,
      budget::v1::VerifyAuditTrailResponse* response) override;

 private:
  storage::AuditTrail* const trail_;
  const server_common::AccessGate* const gate_;
};

}  // namespace ingest

#endif  // INGEST_SERVICE_AUDIT_SERVICE_H_
