// The audit sink of a service: appends to the store's audit trail,
// opening it on first use (the query service may start before the ingest
// service has created the store) and reopening after a failure. A record
// that cannot be written is reported on stderr without its contents.
//
// Thread-safe.
#ifndef SERVER_COMMON_AUDIT_WRITER_H_
#define SERVER_COMMON_AUDIT_WRITER_H_

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "budget/v1/audit.pb.h"
#include "storage/audit_trail.h"

namespace server_common {

class AuditWriter {
 public:
  // Appends to the trail of `store_spec` as `appender` (the query service:
  // kQuerier, which on PostgreSQL queues the records for the ingest
  // service to chain; storage::AuditAppender).
  AuditWriter(std::string store_spec, storage::AuditAppender appender)
      : store_spec_(std::move(store_spec)), appender_(appender) {}

  // OK once appended; the error is also reported on stderr.
  absl::Status Write(budget::v1::AuditRecord record);

 private:
  const std::string store_spec_;
  const storage::AuditAppender appender_;
  absl::Mutex mu_;
  std::unique_ptr<storage::AuditTrail> trail_ ABSL_GUARDED_BY(mu_);
};

}  // namespace server_common

#endif  // SERVER_COMMON_AUDIT_WRITER_H_
