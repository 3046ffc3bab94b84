// The audit trail (audit_trail.h) in a SQLite store file. Opens its own
// read-write connection to an existing file, so that the query service,
// which otherwise reads the store read-only, can record the calls it
// denies; appends from both processes serialize on SQLite's write lock
// (BEGIN IMMEDIATE).
//
// Owns its connection. Thread-safe: the connection behind a mutex.
#ifndef STORAGE_SQLITE_AUDIT_TRAIL_H_
#define STORAGE_SQLITE_AUDIT_TRAIL_H_

#include <sqlite3.h>

#include <memory>

#include "storage/audit_trail.h"
#include "storage/sqlite_statement.h"

namespace storage {

class SqliteAuditTrail : public AuditTrail {
 public:
  // "sqlite:PATH" of an existing store; NOT_FOUND when the file does not
  // exist yet. Creates the audit tables when missing.
  static absl::StatusOr<std::unique_ptr<AuditTrail>> Open(
      absl::string_view spec);
  ~SqliteAuditTrail() override;

  absl::StatusOr<std::vector<budget::v1::AuditRecord>> List(
      int64_t after_sequence, int limit) override;

  // Creates the audit tables in `db` when missing.
  static absl::Status CreateTables(sqlite3* db);
  // Appends `batch` to the trail in `db` inside the caller's write
  // transaction (BEGIN IMMEDIATE: SQLite's write lock is the append lock):
  // chains it after the head anchor (ChainAfter), inserts it and moves the
  // anchor. Used by WriteBatch and by SqliteStore, which writes a group
  // commit's records in that commit's transaction.
  static absl::Status AppendInTransaction(
      sqlite3* db, SqliteStatementCache& statements,
      absl::Span<budget::v1::AuditRecord* const> batch);

 protected:
  absl::Status WriteBatch(
      absl::Span<budget::v1::AuditRecord* const> batch) override;
  absl::StatusOr<StoredChain> ReadChain() override;

 private:
  explicit SqliteAuditTrail(sqlite3* db) : db_(db), statements_(db) {}

  absl::StatusOr<std::vector<budget::v1::AuditRecord>> ListLocked(
      int64_t after_sequence, int64_t limit) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // The newest record of the trail in `db` as last appended; nullopt
  // before the first append.
  static absl::StatusOr<std::optional<auth::ChainHead>> Head(
      sqlite3* db, SqliteStatementCache& statements);

  absl::Mutex mu_;  // The connection; held while a transaction syncs.
  sqlite3* db_ ABSL_GUARDED_BY(mu_);
  SqliteStatementCache statements_ ABSL_GUARDED_BY(mu_);
};

}  // namespace storage

#endif  // STORAGE_SQLITE_AUDIT_TRAIL_H_
