// The WAL checkpointer (sqlite_checkpointer.h): once the WAL passes its
// threshold, the writer's commits are copied into the database file by the
// checkpointer's thread, and the writer's next transaction starts the WAL
// again from its beginning, so it does not grow while the writer commits.
#include "storage/sqlite_checkpointer.h"

#include <sqlite3.h>

#include <filesystem>
#include <memory>
#include <string>

#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "storage/sqlite_statement.h"
#include "tests/testing/scratch_dir.h"

namespace storage {
namespace {

TEST(SqliteCheckpointerTest, CopiesTheWalOffTheWriterAndLetsItRestart) {
  const std::filesystem::path path =
      e2e_testing::MakeScratchDir() / "checkpointed.db";
  const std::filesystem::path wal = path.string() + "-wal";
  sqlite3* writer = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &writer), SQLITE_OK);
  ASSERT_TRUE(SqliteExec(writer, "PRAGMA journal_mode=WAL").ok());
  ASSERT_TRUE(SqliteExec(writer, "CREATE TABLE t (v BLOB)").ok());
  absl::Mutex writer_mu;
  constexpr int kPages = 8;
  absl::StatusOr<std::unique_ptr<SqliteCheckpointer>> checkpointer =
      SqliteCheckpointer::Start(path.string(), writer, &writer_mu, kPages);
  ASSERT_TRUE(checkpointer.ok()) << checkpointer.status();

  // More than kPages pages, far fewer than SQLite's own threshold (1,000):
  // only the checkpointer copies them into the database file.
  constexpr int kCommits = 4 * kPages;
  for (int i = 0; i < kCommits; ++i) {
    absl::MutexLock lock(&writer_mu);
    ASSERT_TRUE(
        SqliteExec(writer, "INSERT INTO t VALUES (randomblob(4000))").ok());
  }
  // Waits for the thread (bounded, so a missing checkpoint fails).
  const absl::Time give_up = absl::Now() + absl::Seconds(60);
  while (std::filesystem::file_size(path) < kCommits * 4000u &&
         absl::Now() < give_up) {
    absl::SleepFor(absl::Milliseconds(10));
  }
  ASSERT_GE(std::filesystem::file_size(path), kCommits * 4000u);

  // Wholly copied, the WAL is written again from its start.
  const uintmax_t wal_bytes = std::filesystem::file_size(wal);
  {
    absl::MutexLock lock(&writer_mu);
    ASSERT_TRUE(
        SqliteExec(writer, "INSERT INTO t VALUES (randomblob(4000))").ok());
  }
  EXPECT_EQ(std::filesystem::file_size(wal), wal_bytes);

  checkpointer->reset();
  sqlite3_close(writer);
}

}  // namespace
}  // namespace storage
