// Checkpoints a SQLite store's WAL (copies its pages into the database file
// and syncs that) on a thread and connection of its own, instead of inside
// the commit that crosses SQLite's autocheckpoint threshold: there the copy
// and its fsync were about a tenth of the ingest service's CPU and made
// every few group commits several milliseconds longer while submissions
// waited for them (docs/benchmarks.md, "Issue 17 item 2, fourth pass").
//
// Installs a WAL hook on the writer's connection (replacing
// autocheckpoint) that wakes the thread once the WAL holds `pages` pages.
// The thread checkpoints PASSIVE side by side with the writer's commits,
// then once more holding the writer's mutex to copy the few pages
// committed meanwhile, so that the WAL is fully copied and the writer's
// next transaction starts it again from its beginning: it stays bounded
// under continuous writes. Checkpoints never touch durability: a commit is
// durable in the WAL when it returns.
//
// Borrows the writer connection and its mutex, which must outlive it; owns
// its connection and thread. The destructor stops the thread and removes
// the hook. Thread-safe.
#ifndef STORAGE_SQLITE_CHECKPOINTER_H_
#define STORAGE_SQLITE_CHECKPOINTER_H_

#include <sqlite3.h>

#include <memory>
#include <string>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"

namespace storage {

class SqliteCheckpointer {
 public:
  // SQLite's own autocheckpoint threshold (about 4 MB of 4 KiB pages).
  static constexpr int kDefaultPages = 1000;

  // Opens a connection to the WAL-mode database at `path` and hooks
  // `writer`, whose transactions hold `writer_mu`.
  static absl::StatusOr<std::unique_ptr<SqliteCheckpointer>> Start(
      const std::string& path, sqlite3* writer, absl::Mutex* writer_mu,
      int pages = kDefaultPages);
  ~SqliteCheckpointer();

  SqliteCheckpointer(const SqliteCheckpointer&) = delete;
  SqliteCheckpointer& operator=(const SqliteCheckpointer&) = delete;

 private:
  SqliteCheckpointer(sqlite3* writer, absl::Mutex* writer_mu, sqlite3* db,
                     int pages);

  // The writer's WAL hook: runs in its commit, after the WAL is synced.
  static int AfterCommit(void* self, sqlite3* writer, const char* schema,
                         int wal_pages);
  void Run();

  sqlite3* const writer_;
  absl::Mutex* const writer_mu_;
  sqlite3* const db_;  // Used by the thread only.
  const int pages_;
  absl::Mutex mu_ ABSL_ACQUIRED_AFTER(writer_mu_);
  bool wanted_ ABSL_GUARDED_BY(mu_) = false;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace storage

#endif  // STORAGE_SQLITE_CHECKPOINTER_H_
