#include "storage/sqlite_submission_feed.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "storage/sqlite_statement.h"
#include "storage/sqlite_store.h"

namespace storage {
namespace {

// ReadAfter's entries: the submissions after ?1, those up to ?3 replaced
// by none up to ?3 left out when kLatestThrough is there, and the cycle
// records after ?1, the first ?2 of them in revision order.
constexpr absl::string_view kEntriesSelect =
    "SELECT consolidated_revision, revision, payload, stage, 0 FROM "
    "submissions AS s WHERE consolidated_revision > ?1";
constexpr absl::string_view kLatestThrough =
    " AND (consolidated_revision > ?3 OR NOT EXISTS (SELECT 1 FROM "
    "submissions AS t WHERE t.unit_code = s.unit_code AND t.fiscal_year = "
    "s.fiscal_year AND t.revision > s.revision AND t.consolidated_revision "
    "<= ?3 AND t.stage = s.stage))";
constexpr absl::string_view kEntriesAfter =
    " UNION ALL SELECT consolidated_revision, 0, payload, 0, 1 FROM "
    "cycle_records WHERE consolidated_revision > ?1 ORDER BY 1 LIMIT ?2";

// Asked of the kernel at a time: it reads one call's range ahead at most,
// whatever range is given.
constexpr int64_t kReadAheadChunk = int64_t{8} << 20;

}  // namespace

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

// A backlog is every current budget in revision order with an index probe
// each, which is not the file's order: from a cold page cache that is 4 KB
// random reads, about 7 s of an L start where the whole file read in order
// takes under 3 s (docs/benchmarks.md, round 24). So the kernel is asked to
// read the whole file, in order and in the background, while the backlog is
// decoded. Not a file larger than a quarter of the machine's memory, whose
// first pages would be evicted again before they are read.
void SqliteSubmissionFeed::ReadAheadForBacklog() {
  const char* path = sqlite3_db_filename(db_, "main");
  if (path == nullptr) return;
  const int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return;  // Only a hint: the reads will report it.
  struct stat info;
  const int64_t memory =
      static_cast<int64_t>(sysconf(_SC_PHYS_PAGES)) * sysconf(_SC_PAGESIZE);
  if (fstat(fd, &info) == 0 && info.st_size <= memory / 4) {
    for (int64_t offset = 0; offset < info.st_size; offset += kReadAheadChunk) {
      posix_fadvise(fd, offset, kReadAheadChunk, POSIX_FADV_WILLNEED);
    }
  }
  close(fd);
}

SqliteSubmissionFeed::~SqliteSubmissionFeed() {
  statements_.Clear();  // Before the connection they were prepared on.
  sqlite3_close(db_);
}

absl::StatusOr<int64_t> SqliteSubmissionFeed::DataVersion() {
  SqliteStatement statement(db_, statements_, "PRAGMA data_version");
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
    int64_t after_unit_seq, int64_t after_revision, int limit,
    int64_t superseded_through) {
  if (absl::Status s = SqliteStatement(db_, statements_, "BEGIN").Run();
      !s.ok()) {
    return s;
  }
  absl::StatusOr<FeedBatch> batch = ReadInTransaction(
      after_unit_seq, after_revision, limit, superseded_through);
  // A read transaction has nothing to commit; ending it lets the writer
  // checkpoint past what we read.
  SqliteStatement(db_, statements_, "COMMIT").Run().IgnoreError();
  return batch;
}

absl::StatusOr<FeedBatch> SqliteSubmissionFeed::ReadInTransaction(
    int64_t after_unit_seq, int64_t after_revision, int limit,
    int64_t superseded_through) {
  FeedBatch batch;
  absl::StatusOr<bool> schema = ReadUnits(after_unit_seq, batch);
  if (!schema.ok()) return schema.status();
  if (!*schema) return batch;
  // A later revision of a unit and year has a larger unit revision, which
  // the unique index (unit_code, fiscal_year, revision) finds: a revision
  // nothing replaces costs one empty probe of it, and its stage (stored
  // after the payload) is read only for the revisions that follow it.
  static const std::string* const kEntries[] = {
      new std::string(absl::StrCat(kEntriesSelect, kEntriesAfter)),
      new std::string(
          absl::StrCat(kEntriesSelect, kLatestThrough, kEntriesAfter))};
  SqliteStatement submissions(db_, statements_,
                              *kEntries[superseded_through > 0 ? 1 : 0]);
  if (!submissions.status().ok()) return submissions.status();
  submissions.Bind(1, after_revision).Bind(2, limit);
  if (superseded_through > 0) submissions.Bind(3, superseded_through);
  if (absl::Status read =
          ReadEntries(submissions, INT64_MAX, /*parse_budgets=*/false, batch);
      !read.ok()) {
    return read;
  }
  SqliteStatement head(db_, statements_, kSqliteRevisionQuery);
  absl::StatusOr<bool> row = head.Step();
  if (!row.ok()) return row.status();
  batch.head_revision = head.ColumnInt(0);
  SqliteStatement locks(db_, statements_,
                        "SELECT node_code, fiscal_year FROM locks WHERE "
                        "consolidated_revision >= ?");
  if (!locks.status().ok()) return locks.status();
  locks.Bind(1, after_revision);
  if (absl::Status read = ReadLocks(locks, batch); !read.ok()) return read;
  return batch;
}

absl::StatusOr<bool> SqliteSubmissionFeed::ReadUnits(int64_t after_unit_seq,
                                                     FeedBatch& batch) {
  batch.last_unit_seq = after_unit_seq;
  SqliteStatement units(db_, statements_,
                        "SELECT seq, code, parent_code, name, kind FROM units "
                        "WHERE seq > ? ORDER BY seq");
  if (!units.status().ok()) {
    // The ingest service writes the schema right after creating the file.
    if (absl::StrContains(units.status().message(), "no such table")) {
      return false;
    }
    return units.status();
  }
  units.Bind(1, after_unit_seq);
  for (;;) {
    absl::StatusOr<bool> row = units.Step();
    if (!row.ok()) return row.status();
    if (!*row) return true;
    budget::v1::Unit& unit = batch.units.emplace_back();
    batch.last_unit_seq = units.ColumnInt(0);
    unit.set_code(units.ColumnBytes(1));
    unit.set_parent_code(units.ColumnBytes(2));
    unit.set_name(units.ColumnBytes(3));
    unit.set_kind(static_cast<budget::v1::UnitKind>(units.ColumnInt(4)));
  }
}

absl::Status SqliteSubmissionFeed::ReadEntries(SqliteStatement& statement,
                                               int64_t max_lines,
                                               bool parse_budgets,
                                               FeedBatch& batch) {
  int64_t lines = 0;
  for (;;) {
    absl::StatusOr<bool> row = statement.Step();
    if (!row.ok()) return row.status();
    if (!*row) return absl::OkStatus();
    absl::StatusOr<FeedSubmission> entry = FeedEntry(
        statement.ColumnInt(0), statement.ColumnInt(1), statement.ColumnInt(3),
        statement.ColumnInt(4) == 1, parse_budgets, statement.ColumnBytes(2));
    if (!entry.ok()) return entry.status();
    if (absl::Status counted = CountLines(*entry, max_lines, &lines);
        !counted.ok()) {
      return counted;
    }
    batch.submissions.push_back(*std::move(entry));
  }
}

absl::Status SqliteSubmissionFeed::ReadLocks(SqliteStatement& statement,
                                             FeedBatch& batch) {
  for (;;) {
    absl::StatusOr<bool> row = statement.Step();
    if (!row.ok()) return row.status();
    if (!*row) return absl::OkStatus();
    batch.locks.emplace(statement.ColumnBytes(0),
                        static_cast<int32_t>(statement.ColumnInt(1)));
  }
}

absl::StatusOr<FeedBatch> SqliteSubmissionFeed::ReadAsOf(const AsOfRead& read) {
  if (absl::Status s = SqliteExec(db_, "BEGIN"); !s.ok()) return s;
  absl::StatusOr<FeedBatch> batch = ReadAsOfInTransaction(read);
  SqliteExec(db_, "COMMIT").IgnoreError();
  return batch;
}

absl::StatusOr<FeedBatch> SqliteSubmissionFeed::ReadAsOfInTransaction(
    const AsOfRead& read) {
  FeedBatch batch;
  batch.as_of_revision = read.revision;
  absl::StatusOr<bool> schema = ReadUnits(0, batch);
  if (!schema.ok()) return schema.status();
  if (!*schema) return batch;
  const std::string years = YearList(read);
  SqliteStatement entries(
      db_,
      absl::StrCat("SELECT consolidated_revision, revision, payload, stage, 0 "
                   "FROM submissions WHERE consolidated_revision IN (SELECT "
                   "MAX(consolidated_revision) FROM submissions WHERE "
                   "consolidated_revision <= ?1 AND fiscal_year IN (",
                   years,
                   ") GROUP BY unit_code, fiscal_year, stage) UNION ALL "
                   "SELECT consolidated_revision, 0, payload, 0, 1 FROM "
                   "cycle_records WHERE consolidated_revision <= ?1 AND "
                   "fiscal_year IN (",
                   years, ") ORDER BY 1"));
  if (!entries.status().ok()) return entries.status();
  entries.Bind(1, read.revision);
  if (absl::Status s =
          ReadEntries(entries, read.max_lines, /*parse_budgets=*/true, batch);
      !s.ok()) {
    return s;
  }
  SqliteStatement locks(db_,
                        "SELECT node_code, fiscal_year FROM locks WHERE "
                        "consolidated_revision <= ?1 AND locked_at_us <= ?2");
  if (!locks.status().ok()) return locks.status();
  locks.Bind(1, read.revision).Bind(2, LocksAtMicros(read));
  if (absl::Status s = ReadLocks(locks, batch); !s.ok()) return s;
  return batch;
}

absl::StatusOr<int64_t> SqliteSubmissionFeed::RevisionAt(absl::Time time) {
  if (absl::Status s = SqliteExec(db_, "BEGIN"); !s.ok()) return s;
  absl::StatusOr<int64_t> revision = RevisionAtInTransaction(time);
  SqliteExec(db_, "COMMIT").IgnoreError();
  return revision;
}

absl::StatusOr<int64_t> SqliteSubmissionFeed::RevisionAtInTransaction(
    absl::Time time) {
  SqliteStatement submitted(db_,
                            "SELECT COALESCE(MAX(consolidated_revision), 0) "
                            "FROM submissions WHERE submitted_at_us <= ?1");
  if (!submitted.status().ok()) return submitted.status();
  submitted.Bind(1, absl::ToUnixMicros(time));
  absl::StatusOr<bool> row = submitted.Step();
  if (!row.ok()) return row.status();
  const int64_t latest = submitted.ColumnInt(0);
  SqliteStatement records(
      db_,
      "SELECT consolidated_revision, payload FROM cycle_records WHERE "
      "consolidated_revision > ?1 AND consolidated_revision < COALESCE(("
      "SELECT MIN(consolidated_revision) FROM submissions WHERE "
      "consolidated_revision > ?1), 9223372036854775807) ORDER BY 1");
  if (!records.status().ok()) return records.status();
  records.Bind(1, latest);
  std::vector<std::pair<int64_t, std::string>> rows;
  for (;;) {
    absl::StatusOr<bool> next = records.Step();
    if (!next.ok()) return next.status();
    if (!*next) break;
    rows.emplace_back(records.ColumnInt(0), records.ColumnBytes(1));
  }
  return LatestRecordBy(time, latest, rows);
}

}  // namespace storage
