#include "storage/sqlite_checkpointer.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "storage/sqlite_statement.h"

namespace storage {

absl::StatusOr<std::unique_ptr<SqliteCheckpointer>> SqliteCheckpointer::Start(
    const std::string& path, sqlite3* writer, absl::Mutex* writer_mu,
    int pages) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_FULLMUTEX,
                      nullptr) != SQLITE_OK) {
    absl::Status error = absl::UnavailableError(
        absl::StrCat("cannot open ", path,
                     " to checkpoint it: ", db ? sqlite3_errmsg(db) : "oom"));
    sqlite3_close(db);
    return error;
  }
  // As the writer: the checkpoint syncs the database file before the WAL
  // is reused.
  if (absl::Status s = SqliteExec(db, "PRAGMA synchronous=FULL"); !s.ok()) {
    sqlite3_close(db);
    return s;
  }
  return std::unique_ptr<SqliteCheckpointer>(
      new SqliteCheckpointer(writer, writer_mu, db, pages));
}

SqliteCheckpointer::SqliteCheckpointer(sqlite3* writer, absl::Mutex* writer_mu,
                                       sqlite3* db, int pages)
    : writer_(writer), writer_mu_(writer_mu), db_(db), pages_(pages) {
  thread_ = std::thread([this] { Run(); });
  sqlite3_wal_hook(writer_, &SqliteCheckpointer::AfterCommit, this);
}

SqliteCheckpointer::~SqliteCheckpointer() {
  sqlite3_wal_hook(writer_, nullptr, nullptr);
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  thread_.join();
  sqlite3_close(db_);
}

int SqliteCheckpointer::AfterCommit(void* self, sqlite3* /*writer*/,
                                    const char* /*schema*/, int wal_pages) {
  auto* checkpointer = static_cast<SqliteCheckpointer*>(self);
  if (wal_pages >= checkpointer->pages_) {
    absl::MutexLock lock(&checkpointer->mu_);
    checkpointer->wanted_ = true;
  }
  return SQLITE_OK;
}

void SqliteCheckpointer::Run() {
  auto woken = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return wanted_ || stopping_;
  };
  for (;;) {
    {
      absl::MutexLock lock(&mu_);
      mu_.Await(absl::Condition(&woken));
      if (stopping_) return;
      wanted_ = false;
    }
    // A checkpoint that cannot finish (a reader still needs older pages,
    // BUSY) leaves the WAL longer; the next commit's hook asks again.
    sqlite3_wal_checkpoint_v2(db_, nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr,
                              nullptr);
    absl::MutexLock writes_held(writer_mu_);
    sqlite3_wal_checkpoint_v2(db_, nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr,
                              nullptr);
  }
}

}  // namespace storage
