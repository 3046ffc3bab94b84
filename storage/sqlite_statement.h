// A prepared SQLite statement with checked binding and stepping, so that the
// store reads as SQL plus error handling instead of C API bookkeeping.
//
// Owns the sqlite3_stmt; borrows the connection, which must outlive it. Not
// thread-safe: used under the store's connection lock.
#ifndef STORAGE_SQLITE_STATEMENT_H_
#define STORAGE_SQLITE_STATEMENT_H_

#include <sqlite3.h>

#include <cstdint>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace storage {

// The error of the last call on `db`, as an absl::Status: constraint
// violations become ALREADY_EXISTS, everything else INTERNAL.
absl::Status SqliteError(sqlite3* db, absl::string_view what);

// Opens the store file named by `spec` ("sqlite:PATH") with `flags`; the
// file must exist already (the ingest service creates it). INVALID_ARGUMENT
// for another spec, NOT_FOUND (naming `missing_hint`) for a missing file.
// The caller owns the connection.
absl::StatusOr<sqlite3*> OpenExistingSqlite(absl::string_view spec, int flags,
                                            absl::string_view missing_hint);

// Runs SQL without results (schema, pragmas, BEGIN/COMMIT).
absl::Status SqliteExec(sqlite3* db, absl::string_view sql);

// Makes `db` wait up to 5 s for another connection's lock, retrying every
// 50 us. SQLite's own busy_timeout sleeps 1, 2, 5, 10... ms between tries,
// far longer than a commit here holds the lock, so two writers of the same
// file (the store and the audit trail) would mostly wait for nothing.
void WaitBrieflyWhenBusy(sqlite3* db);

// Runs `body` inside BEGIN IMMEDIATE ... COMMIT, rolling back on failure.
template <typename Body>
absl::Status InTransaction(sqlite3* db, Body body) {
  if (absl::Status begun = SqliteExec(db, "BEGIN IMMEDIATE"); !begun.ok()) {
    return begun;
  }
  absl::Status status = body();
  if (status.ok()) status = SqliteExec(db, "COMMIT");
  if (!status.ok()) SqliteExec(db, "ROLLBACK").IgnoreError();
  return status;
}

// The prepared statements of one connection, kept for reuse: a statement
// run per submission is then compiled once, not per call. Finalizes them on
// Clear() or destruction, which must precede closing the connection. Not
// thread-safe: used under the connection's lock.
class SqliteStatementCache {
 public:
  explicit SqliteStatementCache(sqlite3* db) : db_(db) {}
  ~SqliteStatementCache() { Clear(); }

  SqliteStatementCache(const SqliteStatementCache&) = delete;
  SqliteStatementCache& operator=(const SqliteStatementCache&) = delete;

  // The statement for `sql`, prepared on first use; null with `db`'s error
  // when it does not prepare.
  sqlite3_stmt* Get(absl::string_view sql);
  void Clear();

 private:
  sqlite3* const db_;
  absl::flat_hash_map<std::string, sqlite3_stmt*> statements_;
};

class SqliteStatement {
 public:
  // Prepares `sql`; check ok() / status() before use.
  SqliteStatement(sqlite3* db, absl::string_view sql);
  // Borrows `sql`'s statement from `cache`, resetting it when done.
  SqliteStatement(sqlite3* db, SqliteStatementCache& cache,
                  absl::string_view sql);
  ~SqliteStatement();

  SqliteStatement(const SqliteStatement&) = delete;
  SqliteStatement& operator=(const SqliteStatement&) = delete;

  absl::Status status() const { return status_; }

  // Binds parameter `index` (from 1). Text and blobs are copied.
  SqliteStatement& Bind(int index, int64_t value);
  SqliteStatement& BindText(int index, absl::string_view value);
  SqliteStatement& BindBlob(int index, absl::string_view value);

  // Advances to the next row: true for a row, false when done.
  absl::StatusOr<bool> Step();
  // Steps once, expecting no row (INSERT, UPDATE).
  absl::Status Run();

  int64_t ColumnInt(int column) const;
  // Text or blob bytes of the current row.
  std::string ColumnBytes(int column) const;

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
  bool borrowed_ = false;
  absl::Status status_;
};

}  // namespace storage

#endif  // STORAGE_SQLITE_STATEMENT_H_
