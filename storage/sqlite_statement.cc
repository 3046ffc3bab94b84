#include "storage/sqlite_statement.h"

#include <sys/stat.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace storage {

absl::Status SqliteError(sqlite3* db, absl::string_view what) {
  std::string message = absl::StrCat(what, ": ", sqlite3_errmsg(db));
  if ((sqlite3_extended_errcode(db) & 0xff) == SQLITE_CONSTRAINT) {
    return absl::AlreadyExistsError(message);
  }
  return absl::InternalError(message);
}

absl::StatusOr<sqlite3*> OpenExistingSqlite(absl::string_view spec, int flags,
                                            absl::string_view missing_hint) {
  absl::string_view path = spec;
  if (!absl::ConsumePrefix(&path, "sqlite:")) {
    return absl::InvalidArgumentError(
        absl::StrCat("store '", spec, "': expected sqlite:PATH"));
  }
  struct stat info;
  if (stat(std::string(path).c_str(), &info) != 0) {
    return absl::NotFoundError(absl::StrCat(
        "store file '", path, "' does not exist (yet)", missing_hint));
  }
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(std::string(path).c_str(), &db, flags, nullptr) !=
      SQLITE_OK) {
    absl::Status error = SqliteError(db, absl::StrCat("open ", path));
    sqlite3_close(db);
    return error;
  }
  return db;
}

absl::Status SqliteExec(sqlite3* db, absl::string_view sql) {
  std::string text(sql);
  if (sqlite3_exec(db, text.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK) {
    return SqliteError(db, text);
  }
  return absl::OkStatus();
}

namespace {

int RetryAfterAPause(void*, int tries) {
  constexpr int kMaxTries = 100'000;  // 5 s at 50 us.
  if (tries >= kMaxTries) return 0;
  absl::SleepFor(absl::Microseconds(50));
  return 1;
}

}  // namespace

void WaitBrieflyWhenBusy(sqlite3* db) {
  sqlite3_busy_handler(db, &RetryAfterAPause, nullptr);
}

sqlite3_stmt* SqliteStatementCache::Get(absl::string_view sql) {
  auto [it, added] = statements_.try_emplace(sql, nullptr);
  if (added && sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                                  SQLITE_PREPARE_PERSISTENT, &it->second,
                                  nullptr) != SQLITE_OK) {
    statements_.erase(it);
    return nullptr;
  }
  return it->second;
}

void SqliteStatementCache::Clear() {
  for (auto& [sql, stmt] : statements_) sqlite3_finalize(stmt);
  statements_.clear();
}

SqliteStatement::SqliteStatement(sqlite3* db, absl::string_view sql) : db_(db) {
  if (sqlite3_prepare_v2(db, sql.data(), static_cast<int>(sql.size()), &stmt_,
                         nullptr) != SQLITE_OK) {
    status_ = SqliteError(db, sql);
  }
}

SqliteStatement::SqliteStatement(sqlite3* db, SqliteStatementCache& cache,
                                 absl::string_view sql)
    : db_(db), stmt_(cache.Get(sql)), borrowed_(true) {
  if (stmt_ == nullptr) status_ = SqliteError(db, sql);
}

SqliteStatement::~SqliteStatement() {
  if (!borrowed_) {
    sqlite3_finalize(stmt_);
  } else if (stmt_ != nullptr) {
    // Ends the statement's read of the database and drops copied values.
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
}

SqliteStatement& SqliteStatement::Bind(int index, int64_t value) {
  if (status_.ok() && sqlite3_bind_int64(stmt_, index, value) != SQLITE_OK) {
    status_ = SqliteError(db_, "bind");
  }
  return *this;
}

SqliteStatement& SqliteStatement::BindText(int index, absl::string_view value) {
  if (status_.ok() && sqlite3_bind_text(stmt_, index, value.data(),
                                        static_cast<int>(value.size()),
                                        SQLITE_TRANSIENT) != SQLITE_OK) {
    status_ = SqliteError(db_, "bind");
  }
  return *this;
}

SqliteStatement& SqliteStatement::BindBlob(int index, absl::string_view value) {
  // A zero-length blob must still bind as a blob, not as NULL.
  if (status_.ok() &&
      sqlite3_bind_blob(stmt_, index, value.empty() ? "" : value.data(),
                        static_cast<int>(value.size()),
                        SQLITE_TRANSIENT) != SQLITE_OK) {
    status_ = SqliteError(db_, "bind");
  }
  return *this;
}

absl::StatusOr<bool> SqliteStatement::Step() {
  if (!status_.ok()) return status_;
  switch (sqlite3_step(stmt_)) {
    case SQLITE_ROW:
      return true;
    case SQLITE_DONE:
      return false;
    default:
      status_ = SqliteError(db_, sqlite3_sql(stmt_));
      return status_;
  }
}

absl::Status SqliteStatement::Run() {
  absl::StatusOr<bool> row = Step();
  if (!row.ok()) return row.status();
  return absl::OkStatus();
}

int64_t SqliteStatement::ColumnInt(int column) const {
  return sqlite3_column_int64(stmt_, column);
}

std::string SqliteStatement::ColumnBytes(int column) const {
  const void* data = sqlite3_column_blob(stmt_, column);
  int size = sqlite3_column_bytes(stmt_, column);
  return data == nullptr ? std::string()
                         : std::string(static_cast<const char*>(data), size);
}

}  // namespace storage
