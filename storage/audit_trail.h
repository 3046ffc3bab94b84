// The audit trail in the store file both services share (table
// audit_records, storage/README.md): appends chained records (see
// auth/audit_chain.h) and reads them back for the AuditService.
//
// Opens its own read-write connection to an existing store file, so the
// query service, which otherwise reads the store read-only, can record the
// calls it denies; appends from both processes serialize on SQLite's write
// lock (BEGIN IMMEDIATE), which keeps the chain linear.
//
// Appends made while another one syncs are written together in the next
// transaction (group commit), each returning once its record is durable.
//
// Owns its connection. Thread-safe: one connection behind a mutex.
#ifndef STORAGE_AUDIT_TRAIL_H_
#define STORAGE_AUDIT_TRAIL_H_

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "auth/audit_chain.h"
#include "budget/v1/audit.pb.h"
#include "storage/sqlite_statement.h"

namespace storage {

class AuditTrail {
 public:
  // "sqlite:PATH" of an existing store; NOT_FOUND when the file does not
  // exist yet. Creates the audit table when missing.
  static absl::StatusOr<std::unique_ptr<AuditTrail>> Open(
      absl::string_view spec);
  ~AuditTrail();

  AuditTrail(const AuditTrail&) = delete;
  AuditTrail& operator=(const AuditTrail&) = delete;

  // Appends `record` (who, what, outcome), setting its sequence, time,
  // previous_hash and hash. Chains to the head anchor (table audit_head),
  // never to whatever row is last, so removing the newest records leaves a
  // gap later appends do not fill; DATA_LOSS while records exist without
  // the anchor. Durable before it returns; fails together with the records
  // sharing its transaction.
  absl::Status Append(budget::v1::AuditRecord record);

  // At most `limit` records with sequence > after_sequence, in order.
  absl::StatusOr<std::vector<budget::v1::AuditRecord>> List(
      int64_t after_sequence, int limit);

  // Checks the whole chain, and that it ends at the head anchor: records
  // without one are reported REMOVED after the last.
  absl::StatusOr<auth::ChainCheck> Verify();

 private:
  // An Append waiting for its transaction.
  struct PendingRecord {
    budget::v1::AuditRecord record;
    absl::Status status;
    bool durable_or_failed = false;
  };

  explicit AuditTrail(sqlite3* db) : db_(db), statements_(db) {}

  // Writes every queued record in one transaction and settles each.
  void WriteQueued() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::Status InsertChained(std::vector<PendingRecord*>& batch)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  absl::StatusOr<std::vector<budget::v1::AuditRecord>> ListLocked(
      int64_t after_sequence, int64_t limit) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  // The newest record as last appended; nullopt before the first append.
  absl::StatusOr<std::optional<auth::ChainHead>> HeadLocked()
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  absl::Mutex mu_;  // The connection; held while a transaction syncs.
  sqlite3* db_ ABSL_GUARDED_BY(mu_);
  SqliteStatementCache statements_ ABSL_GUARDED_BY(mu_);
  // Records waiting for the next transaction, in chain order.
  absl::Mutex queue_mu_ ABSL_ACQUIRED_AFTER(mu_);
  std::vector<PendingRecord*> queue_ ABSL_GUARDED_BY(queue_mu_);
};

}  // namespace storage

#endif  // STORAGE_AUDIT_TRAIL_H_
