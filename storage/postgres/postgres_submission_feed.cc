#include "storage/postgres/postgres_submission_feed.h"

#include <algorithm>
#include <string>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "storage/postgres/pg_migrations.h"
#include "storage/postgres/postgres_store.h"

namespace storage {

absl::StatusOr<std::unique_ptr<SubmissionFeed>> PostgresSubmissionFeed::Open(
    absl::string_view uri) {
  absl::StatusOr<std::unique_ptr<PgConnection>> conn =
      PgConnection::Connect(uri);
  if (!conn.ok()) return conn.status();
  if (absl::Status s = CheckPostgresSchema(**conn); !s.ok()) return s;
  return std::unique_ptr<SubmissionFeed>(
      new PostgresSubmissionFeed(*std::move(conn)));
}

absl::StatusOr<int64_t> PostgresSubmissionFeed::DataVersion() {
  absl::StatusOr<PgResult> version = conn_->Execute(absl::StrCat(
      "SELECT (", kPostgresRevisionQuery,
      ") + (SELECT COUNT(*) FROM units) + (SELECT COUNT(*) FROM locks)"));
  if (!version.ok()) return version.status();
  return version->Int(0, 0);
}

absl::StatusOr<bool> PostgresSubmissionFeed::WaitForChange(
    absl::Duration timeout) {
  if (!listening_) {
    if (absl::Status s = conn_->Listen(kPostgresChangesChannel); !s.ok()) {
      return s;
    }
    listening_ = true;
    waited_sessions_ = conn_->sessions();
    return true;
  }
  absl::StatusOr<std::vector<std::string>> payloads =
      conn_->WaitForNotifications(timeout);
  if (!payloads.ok()) return payloads.status();
  // Only this wait's: any role that may connect can NOTIFY, so a forged
  // revision must not outlive the read that shows the store's real head.
  notified_revision_ = 0;
  for (const std::string& payload : *payloads) {
    int64_t revision = 0;
    if (absl::SimpleAtoi(payload, &revision)) {
      notified_revision_ = std::max(notified_revision_, revision);
    }
  }
  // A new session missed the notifications sent while there was none.
  const bool reconnected = conn_->sessions() != waited_sessions_;
  waited_sessions_ = conn_->sessions();
  return reconnected || !payloads->empty();
}

namespace {

// The feed's statements, prepared once a session. The units after $1 only
// when there are any: the guard is a one-time filter on the index's
// maximum, so a caught-up replica's read costs no scan of units whatever
// plan the statistics give (none, right after a bulk registration, made a
// sequential scan of every unit per read).
constexpr char kUnitsAfterSql[] =
    "SELECT seq, code, parent_code, name, kind FROM units WHERE seq > $1 "
    "AND $1 < (SELECT MAX(seq) FROM units) ORDER BY seq";
// Each side limited on its own index first: with the limit only on the
// union, PostgreSQL sorts every row after $1, so that reading a backlog
// batch by batch (a cold start) took time quadratic in it. With
// kLatestThrough, the submissions up to $3 that a later one up to $3
// replaces are left out: a later revision of a unit and year has a larger
// unit revision, so each row probes the unique index (unit_code,
// fiscal_year, revision) once, and a row left out is never decompressed.
// The inequality keeps PostgreSQL from hashing the whole table for it.
constexpr absl::string_view kEntriesSelect =
    "(SELECT consolidated_revision, revision, payload, stage, false "
    "FROM submissions AS s WHERE consolidated_revision > $1";
constexpr absl::string_view kLatestThrough =
    " AND (consolidated_revision > $3 OR NOT EXISTS (SELECT 1 FROM "
    "submissions AS t WHERE t.unit_code = s.unit_code AND t.fiscal_year = "
    "s.fiscal_year AND t.revision > s.revision AND t.consolidated_revision "
    "<= $3 AND t.stage = s.stage))";
constexpr absl::string_view kEntriesAfter =
    " ORDER BY consolidated_revision LIMIT $2) UNION ALL "
    "(SELECT consolidated_revision, 0, payload, 0, true FROM cycle_records "
    "WHERE consolidated_revision > $1 ORDER BY consolidated_revision "
    "LIMIT $2) ORDER BY 1 LIMIT $2";
constexpr char kLocksSql[] =
    "SELECT node_code, fiscal_year FROM locks WHERE consolidated_revision >= "
    "$1";

}  // namespace

absl::StatusOr<FeedBatch> PostgresSubmissionFeed::ReadAfter(
    int64_t after_unit_seq, int64_t after_revision, int limit,
    int64_t superseded_through) {
  // One snapshot in one round trip: a live replica reads after every
  // group commit, so each round trip saved is a wake-up of this thread and
  // of the server's backend per group.
  PgStatement statements[4];
  statements[0].sql = kUnitsAfterSql;
  statements[0].params.Add(after_unit_seq);
  static const std::string* const kEntries[] = {
      new std::string(absl::StrCat(kEntriesSelect, kEntriesAfter)),
      new std::string(
          absl::StrCat(kEntriesSelect, kLatestThrough, kEntriesAfter))};
  statements[1].sql = *kEntries[superseded_through > 0 ? 1 : 0];
  statements[1].params.Add(after_revision).Add(limit);
  if (superseded_through > 0) statements[1].params.Add(superseded_through);
  statements[2].sql = kPostgresRevisionQuery;
  statements[3].sql = kLocksSql;
  statements[3].params.Add(after_revision);
  // Generic plans: the ones PostgreSQL would otherwise re-plan per read
  // (their estimate for "after $1" is a third of the table) are the index
  // scans a custom plan picks; re-planning was a third of the backend's
  // work per read. No JIT: that estimate costs the plan of a batch of 100
  // rows above jit_above_cost, and compiling it took 35 ms of a 40 ms read.
  const std::string snapshot[] = {
      "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY",
      "SET LOCAL plan_cache_mode = force_generic_plan", "SET LOCAL jit = off"};
  absl::StatusOr<std::vector<PgResult>> results =
      conn_->InOneRoundTrip(snapshot, statements);
  if (!results.ok()) return results.status();
  FeedBatch batch;
  batch.last_unit_seq = after_unit_seq;
  AddUnits((*results)[0], batch);
  if (absl::Status read = AddEntries((*results)[1], INT64_MAX,
                                     /*parse_budgets=*/false, batch);
      !read.ok()) {
    return read;
  }
  batch.head_revision = (*results)[2].Int(0, 0);
  AddLocks((*results)[3], batch);
  return batch;
}

void PostgresSubmissionFeed::AddUnits(const PgResult& units, FeedBatch& batch) {
  for (int i = 0; i < units.rows(); ++i) {
    budget::v1::Unit& unit = batch.units.emplace_back();
    batch.last_unit_seq = units.Int(i, 0);
    unit.set_code(units.Bytes(i, 1));
    unit.set_parent_code(units.Bytes(i, 2));
    unit.set_name(units.Bytes(i, 3));
    unit.set_kind(static_cast<budget::v1::UnitKind>(units.Int(i, 4)));
  }
}

absl::Status PostgresSubmissionFeed::AddEntries(const PgResult& entries,
                                                int64_t max_lines,
                                                bool parse_budgets,
                                                FeedBatch& batch) {
  int64_t lines = 0;
  for (int i = 0; i < entries.rows(); ++i) {
    absl::StatusOr<FeedSubmission> entry =
        FeedEntry(entries.Int(i, 0), entries.Int(i, 1), entries.Int(i, 3),
                  entries.Bool(i, 4), parse_budgets, entries.Bytes(i, 2));
    if (!entry.ok()) return entry.status();
    if (absl::Status counted = CountLines(*entry, max_lines, &lines);
        !counted.ok()) {
      return counted;
    }
    batch.submissions.push_back(*std::move(entry));
  }
  return absl::OkStatus();
}

void PostgresSubmissionFeed::AddLocks(const PgResult& locks, FeedBatch& batch) {
  for (int i = 0; i < locks.rows(); ++i) {
    batch.locks.emplace(locks.Bytes(i, 0),
                        static_cast<int32_t>(locks.Int(i, 1)));
  }
}

absl::StatusOr<FeedBatch> PostgresSubmissionFeed::ReadAsOf(
    const AsOfRead& read) {
  FeedBatch batch;
  absl::Status status = conn_->InTransaction(
      [&]() -> absl::Status {
        batch = FeedBatch();
        batch.as_of_revision = read.revision;
        PgParams unit_params;
        absl::StatusOr<PgResult> units =
            conn_->ExecutePrepared(kUnitsAfterSql, unit_params.Add(0));
        if (!units.ok()) return units.status();
        AddUnits(*units, batch);
        const std::string years = YearList(read);
        PgParams entry_params;
        absl::StatusOr<PgResult> entries = conn_->Execute(
            absl::StrCat(
                "SELECT consolidated_revision, revision, payload, stage, "
                "false FROM submissions WHERE consolidated_revision IN ("
                "SELECT MAX(consolidated_revision) FROM submissions WHERE "
                "consolidated_revision <= $1 AND fiscal_year IN (",
                years,
                ") GROUP BY unit_code, fiscal_year, stage) UNION ALL "
                "SELECT consolidated_revision, 0, payload, 0, true FROM "
                "cycle_records WHERE consolidated_revision <= $1 AND "
                "fiscal_year IN (",
                years, ") ORDER BY 1"),
            entry_params.Add(read.revision));
        if (!entries.ok()) return entries.status();
        absl::Status added =
            AddEntries(*entries, read.max_lines, /*parse_budgets=*/true, batch);
        if (!added.ok()) return added;
        PgParams lock_params;
        absl::StatusOr<PgResult> locks = conn_->Execute(
            "SELECT node_code, fiscal_year FROM locks WHERE "
            "consolidated_revision <= $1 AND locked_at_us <= $2",
            lock_params.Add(read.revision).Add(LocksAtMicros(read)));
        if (!locks.ok()) return locks.status();
        AddLocks(*locks, batch);
        return absl::OkStatus();
      },
      "REPEATABLE READ READ ONLY");
  if (!status.ok()) return status;
  return batch;
}

absl::StatusOr<int64_t> PostgresSubmissionFeed::RevisionAt(absl::Time time) {
  int64_t revision = 0;
  absl::Status status = conn_->InTransaction(
      [&]() -> absl::Status {
        PgParams params;
        absl::StatusOr<PgResult> submitted = conn_->Execute(
            "SELECT COALESCE(MAX(consolidated_revision), 0) FROM submissions "
            "WHERE submitted_at_us <= $1",
            params.Add(absl::ToUnixMicros(time)));
        if (!submitted.ok()) return submitted.status();
        const int64_t latest = submitted->Int(0, 0);
        PgParams record_params;
        absl::StatusOr<PgResult> records = conn_->Execute(
            "SELECT consolidated_revision, payload FROM cycle_records WHERE "
            "consolidated_revision > $1 AND consolidated_revision < COALESCE(("
            "SELECT MIN(consolidated_revision) FROM submissions WHERE "
            "consolidated_revision > $1), 9223372036854775807) ORDER BY 1",
            record_params.Add(latest));
        if (!records.ok()) return records.status();
        std::vector<std::pair<int64_t, std::string>> rows;
        for (int i = 0; i < records->rows(); ++i) {
          rows.emplace_back(records->Int(i, 0), records->Bytes(i, 1));
        }
        absl::StatusOr<int64_t> found = LatestRecordBy(time, latest, rows);
        if (!found.ok()) return found.status();
        revision = *found;
        return absl::OkStatus();
      },
      "REPEATABLE READ READ ONLY");
  if (!status.ok()) return status;
  return revision;
}

}  // namespace storage
