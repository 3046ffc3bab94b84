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

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace storage {

// The error of the last call on `db`, as an absl::Status: constraint
// violations become ALREADY_EXISTS, everything else INTERNAL.
absl::Status SqliteError(sqlite3* db, absl::string_view what);

// Runs SQL without results (schema, pragmas, BEGIN/COMMIT).
absl::Status SqliteExec(sqlite3* db, absl::string_view sql);

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

class SqliteStatement {
 public:
  // Prepares `sql`; check ok() / status() before use.
  SqliteStatement(sqlite3* db, absl::string_view sql);
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
  absl::Status status_;
};

}  // namespace storage

#endif  // STORAGE_SQLITE_STATEMENT_H_
