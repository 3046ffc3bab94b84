#include "storage/sqlite_submission_feed.h"

#include <algorithm>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "storage/sqlite_statement.h"

namespace storage {

absl::StatusOr<std::unique_ptr<SubmissionFeed>> SqliteSubmissionFeed::Open(
    absl::string_view spec) {
  absl::StatusOr<sqlite3*> opened =
      OpenExistingSqlite(spec, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX,
                         ": start ingest_service");
  if (!opened.ok()) return opened.status();
  sqlite3* db = *opened;
  std::unique_ptr<SubmissionFeed> feed(new SqliteSubmissionFeed(db));
  if (absl::Status s = SqliteExec(db, "PRAGMA busy_timeout=5000"); !s.ok()) {
    return s;
  }
  return feed;
}

SqliteSubmissionFeed::~SqliteSubmissionFeed() { sqlite3_close(db_); }

absl::StatusOr<int64_t> SqliteSubmissionFeed::DataVersion() {
  SqliteStatement statement(db_, "PRAGMA data_version");
  if (!statement.status().ok()) return statement.status();
  absl::StatusOr<bool> row = statement.Step();
  if (!row.ok()) return row.status();
  return *row ? statement.ColumnInt(0) : 0;
}

absl::StatusOr<bool> SqliteSubmissionFeed::WaitForChange(
    absl::Duration timeout) {
  // SQLite cannot tell another process's commit but by looking.
  constexpr absl::Duration kPoll = absl::Milliseconds(5);
  const absl::Time deadline = absl::Now() + timeout;
  for (;;) {
    absl::StatusOr<int64_t> version = DataVersion();
    if (!version.ok()) return version.status();
    if (*version != waited_version_) {
      waited_version_ = *version;
      return true;
    }
    if (absl::Now() >= deadline) return false;
    absl::SleepFor(std::min(kPoll, deadline - absl::Now()));
  }
}

absl::StatusOr<FeedBatch> SqliteSubmissionFeed::ReadAfter(
    int64_t after_unit_seq, int64_t after_revision, int limit) {
  if (absl::Status s = SqliteExec(db_, "BEGIN"); !s.ok()) return s;
  absl::StatusOr<FeedBatch> batch =
      ReadInTransaction(after_unit_seq, after_revision, limit);
  // A read transaction has nothing to commit; ending it lets the writer
  // checkpoint past what we read.
  SqliteExec(db_, "COMMIT").IgnoreError();
  return batch;
}

absl::StatusOr<FeedBatch> SqliteSubmissionFeed::ReadInTransaction(
    int64_t after_unit_seq, int64_t after_revision, int limit) {
  FeedBatch batch;
  batch.last_unit_seq = after_unit_seq;
  SqliteStatement units(db_,
                        "SELECT seq, code, parent_code, name, kind FROM units "
                        "WHERE seq > ? ORDER BY seq");
  if (!units.status().ok()) {
    // The ingest service writes the schema right after creating the file.
    if (absl::StrContains(units.status().message(), "no such table")) {
      return batch;
    }
    return units.status();
  }
  units.Bind(1, after_unit_seq);
  for (;;) {
    absl::StatusOr<bool> row = units.Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    budget::v1::Unit& unit = batch.units.emplace_back();
    batch.last_unit_seq = units.ColumnInt(0);
    unit.set_code(units.ColumnBytes(1));
    unit.set_parent_code(units.ColumnBytes(2));
    unit.set_name(units.ColumnBytes(3));
    unit.set_kind(static_cast<budget::v1::UnitKind>(units.ColumnInt(4)));
  }
  SqliteStatement submissions(
      db_,
      "SELECT consolidated_revision, revision, payload, stage, 0 FROM "
      "submissions WHERE consolidated_revision > ?1 UNION ALL "
      "SELECT consolidated_revision, 0, payload, 0, 1 FROM cycle_records "
      "WHERE consolidated_revision > ?1 ORDER BY 1 LIMIT ?2");
  if (!submissions.status().ok()) return submissions.status();
  submissions.Bind(1, after_revision).Bind(2, limit);
  for (;;) {
    absl::StatusOr<bool> row = submissions.Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    absl::StatusOr<FeedSubmission> entry =
        FeedEntry(submissions.ColumnInt(0), submissions.ColumnInt(1),
                  submissions.ColumnInt(3), submissions.ColumnInt(4) == 1,
                  submissions.ColumnBytes(2));
    if (!entry.ok()) return entry.status();
    batch.submissions.push_back(*std::move(entry));
  }
  SqliteStatement locks(db_, "SELECT node_code, fiscal_year FROM locks");
  if (!locks.status().ok()) return locks.status();
  for (;;) {
    absl::StatusOr<bool> row = locks.Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    batch.locks.emplace(locks.ColumnBytes(0),
                        static_cast<int32_t>(locks.ColumnInt(1)));
  }
  return batch;
}

}  // namespace storage
