// The submission feed (submission_feed.h) of a PostgreSQL store: each
// ReadAfter one REPEATABLE READ, READ ONLY transaction in one round trip;
// WaitForChange LISTENs on budget_changes (kPostgresChangesChannel), which the
// store notifies inside every write transaction. Needs SELECT on the store's
// tables only (a read-only role).
//
// Owns its connection. Not thread-safe: one tailing thread uses it.
#ifndef STORAGE_POSTGRES_POSTGRES_SUBMISSION_FEED_H_
#define STORAGE_POSTGRES_POSTGRES_SUBMISSION_FEED_H_

#include <memory>

#include "storage/postgres/pg_connection.h"
#include "storage/submission_feed.h"

namespace storage {

class PostgresSubmissionFeed : public SubmissionFeed {
 public:
  // UNAVAILABLE when the server cannot be reached; FAILED_PRECONDITION
  // when the schema is not this build's.
  static absl::StatusOr<std::unique_ptr<SubmissionFeed>> Open(
      absl::string_view uri);

  absl::StatusOr<FeedBatch> ReadAfter(int64_t after_unit_seq,
                                      int64_t after_revision, int limit,
                                      int64_t superseded_through) override;
  // The consolidated revision plus the numbers of units and locks: each
  // only grows, so the sum changes with every commit the feed returns.
  absl::StatusOr<int64_t> DataVersion() override;
  absl::StatusOr<bool> WaitForChange(absl::Duration timeout) override;
  int64_t NotifiedRevision() const override { return notified_revision_; }
  absl::StatusOr<FeedBatch> ReadAsOf(const AsOfRead& read) override;
  absl::StatusOr<int64_t> RevisionAt(absl::Time time) override;

 private:
  explicit PostgresSubmissionFeed(std::unique_ptr<PgConnection> conn)
      : conn_(std::move(conn)) {}

  // Appends the units selected as (seq, code, parent code, name, kind) to
  // `batch`, advancing its last_unit_seq.
  static void AddUnits(const PgResult& units, FeedBatch& batch);
  // Appends the entries selected as (consolidated revision, revision,
  // payload, stage, is a record) to `batch`, budgets parsed when
  // `parse_budgets` (FeedEntry).
  static absl::Status AddEntries(const PgResult& entries, int64_t max_lines,
                                 bool parse_budgets, FeedBatch& batch);
  // Adds the locks selected as (node code, year) to `batch`.
  static void AddLocks(const PgResult& locks, FeedBatch& batch);

  std::unique_ptr<PgConnection> conn_;
  bool listening_ = false;
  // conn_->sessions() when WaitForChange last returned.
  int64_t waited_sessions_ = 0;
  int64_t notified_revision_ = 0;
};

}  // namespace storage

#endif  // STORAGE_POSTGRES_POSTGRES_SUBMISSION_FEED_H_
