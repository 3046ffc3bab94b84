// The audit trail (audit_trail.h) in a PostgreSQL store: tables
// audit_records and audit_head of the migrated schema, and audit_inbox.
// A kWriter trail (the ingest services, any number of processes) writes
// each batch in one transaction holding an advisory lock that every
// chaining appender takes, so batches chain one after another, linear; it
// moves the records kQuerier trails queued into the chain the same way
// (ChainQueued). A kQuerier trail (the query services) only queues its
// records in audit_inbox, one statement taking no lock, so that its role
// can hold nothing a writer waits for. It writes and takes the lock
// through migrations 5's and 6's functions only, so its role needs no
// privilege on the audit tables or the advisory locks.
//
// Owns its connection. Thread-safe: the connection behind a mutex.
#ifndef STORAGE_POSTGRES_POSTGRES_AUDIT_TRAIL_H_
#define STORAGE_POSTGRES_POSTGRES_AUDIT_TRAIL_H_

#include <memory>

#include "storage/audit_trail.h"
#include "storage/postgres/pg_connection.h"

namespace storage {

class PostgresAuditTrail : public AuditTrail {
 public:
  // UNAVAILABLE when the server cannot be reached; FAILED_PRECONDITION
  // when the schema is not this build's (CheckPostgresSchema).
  static absl::StatusOr<std::unique_ptr<AuditTrail>> Open(
      absl::string_view uri, AuditAppender appender);

  absl::Status ChainQueued() override;
  absl::StatusOr<std::vector<budget::v1::AuditRecord>> List(
      int64_t after_sequence, int limit) override;

 protected:
  absl::Status WriteBatch(
      absl::Span<budget::v1::AuditRecord* const> batch) override;
  absl::StatusOr<StoredChain> ReadChain() override;

 private:
  PostgresAuditTrail(std::unique_ptr<PgConnection> conn, AuditAppender appender)
      : appender_(appender), conn_(std::move(conn)) {}

  absl::StatusOr<std::vector<budget::v1::AuditRecord>> ListLocked(
      int64_t after_sequence, int64_t limit) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::Status ChainQueuedLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const AuditAppender appender_;
  absl::Mutex mu_;
  std::unique_ptr<PgConnection> conn_ ABSL_GUARDED_BY(mu_);
};

}  // namespace storage

#endif  // STORAGE_POSTGRES_POSTGRES_AUDIT_TRAIL_H_
