// The submission feed (submission_feed.h) of a SQLite store file, opened
// read-only.
//
// Owns the connection. The statements a tailer runs on every poll and read
// (the data version, a batch's four queries, BEGIN and COMMIT) are prepared
// once per connection: compiling them each time was ~10 % of a live replica's
// CPU (docs/benchmarks.md, "Issue 17: the live replica's cost per budget").
// Not thread-safe: one tailing thread uses it.
#ifndef STORAGE_SQLITE_SUBMISSION_FEED_H_
#define STORAGE_SQLITE_SUBMISSION_FEED_H_

#include <sqlite3.h>

#include <memory>

#include "storage/sqlite_statement.h"
#include "storage/submission_feed.h"

namespace storage {

class SqliteSubmissionFeed : public SubmissionFeed {
 public:
  // "sqlite:PATH"; NOT_FOUND when the file does not exist.
  static absl::StatusOr<std::unique_ptr<SubmissionFeed>> Open(
      absl::string_view spec);
  ~SqliteSubmissionFeed() override;

  absl::StatusOr<FeedBatch> ReadAfter(int64_t after_unit_seq,
                                      int64_t after_revision, int limit,
                                      int64_t superseded_through) override;
  // PRAGMA data_version.
  absl::StatusOr<int64_t> DataVersion() override;
  absl::StatusOr<bool> WaitForChange(absl::Duration timeout) override;
  absl::StatusOr<FeedBatch> ReadAsOf(const AsOfRead& read) override;
  absl::StatusOr<int64_t> RevisionAt(absl::Time time) override;
  // posix_fadvise(WILLNEED) over the store file, unless it is larger than a
  // quarter of memory.
  void ReadAheadForBacklog() override;

 private:
  explicit SqliteSubmissionFeed(sqlite3* db) : db_(db), statements_(db) {}
  absl::StatusOr<FeedBatch> ReadInTransaction(int64_t after_unit_seq,
                                              int64_t after_revision, int limit,
                                              int64_t superseded_through);
  // Appends the entries `statement` selects (consolidated revision,
  // revision, payload, stage, is a record) to `batch`, budgets parsed
  // when `parse_budgets` (FeedEntry).
  absl::Status ReadEntries(SqliteStatement& statement, int64_t max_lines,
                           bool parse_budgets, FeedBatch& batch);
  // Adds the locks `statement` selects (node code, year) to `batch`.
  absl::Status ReadLocks(SqliteStatement& statement, FeedBatch& batch);
  absl::StatusOr<int64_t> RevisionAtInTransaction(absl::Time time);
  absl::StatusOr<FeedBatch> ReadAsOfInTransaction(const AsOfRead& read);
  // Appends the units registered after `after_unit_seq`; false when the
  // schema is not written yet.
  absl::StatusOr<bool> ReadUnits(int64_t after_unit_seq, FeedBatch& batch);

  sqlite3* db_;
  SqliteStatementCache statements_;  // Of the tailing reads.
  // The data version WaitForChange last returned at; -1 before the first.
  int64_t waited_version_ = -1;
};

}  // namespace storage

#endif  // STORAGE_SQLITE_SUBMISSION_FEED_H_
