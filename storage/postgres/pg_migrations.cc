#include "storage/postgres/pg_migrations.h"

#include <cstdint>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace storage {
namespace {

struct Migration {
  int64_t version;
  absl::string_view description;
  absl::string_view sql;
};

// Append only: a migration once released is never edited, since stores
// that applied it keep what it made. Kept in step with storage/README.md.
// Columns match the SQLite schema (sqlite_store.cc), with BIGINT for
// integers and BYTEA for blobs.
constexpr Migration kMigrations[] = {
    {1, "units, submissions, node totals, reviews, locks, audit trail",
     R"sql(
CREATE TABLE units (
  seq         BIGINT PRIMARY KEY,
  code        TEXT NOT NULL UNIQUE,
  parent_code TEXT NOT NULL,
  name        TEXT NOT NULL,
  kind        INTEGER NOT NULL
);
CREATE TABLE submissions (
  consolidated_revision BIGINT PRIMARY KEY,
  unit_code       TEXT NOT NULL,
  fiscal_year     INTEGER NOT NULL,
  revision        BIGINT NOT NULL,
  request_id      TEXT NOT NULL UNIQUE,
  payload         BYTEA NOT NULL,
  submitted_by    TEXT NOT NULL,
  submitted_at_us BIGINT NOT NULL,
  warnings        BYTEA NOT NULL,
  response        BYTEA NOT NULL,
  UNIQUE (unit_code, fiscal_year, revision)
);
CREATE TABLE node_totals (
  node_code             TEXT NOT NULL,
  fiscal_year           INTEGER NOT NULL,
  income_fen            BIGINT NOT NULL,
  expenditure_fen       BIGINT NOT NULL,
  consolidated_revision BIGINT NOT NULL,
  PRIMARY KEY (node_code, fiscal_year)
);
CREATE TABLE reviews (
  id             BIGINT PRIMARY KEY,
  unit_code      TEXT NOT NULL,
  fiscal_year    INTEGER NOT NULL,
  revision       BIGINT NOT NULL,
  decision       INTEGER NOT NULL,
  comment        TEXT NOT NULL,
  reviewer       TEXT NOT NULL,
  reviewed_at_us BIGINT NOT NULL,
  FOREIGN KEY (unit_code, fiscal_year, revision)
    REFERENCES submissions (unit_code, fiscal_year, revision)
);
CREATE INDEX reviews_by_revision ON reviews (unit_code, fiscal_year, revision);
CREATE TABLE locks (
  node_code             TEXT NOT NULL,
  fiscal_year           INTEGER NOT NULL,
  locked_by             TEXT NOT NULL,
  locked_at_us          BIGINT NOT NULL,
  consolidated_revision BIGINT NOT NULL,
  PRIMARY KEY (node_code, fiscal_year)
);
CREATE TABLE audit_records (
  sequence      BIGINT PRIMARY KEY,
  principal     TEXT NOT NULL,
  method        TEXT NOT NULL,
  node_code     TEXT NOT NULL,
  fiscal_year   INTEGER NOT NULL,
  request_id    TEXT NOT NULL,
  outcome       TEXT NOT NULL,
  time_us       BIGINT NOT NULL,
  previous_hash BYTEA NOT NULL,
  hash          BYTEA NOT NULL
);
CREATE TABLE audit_head (
  id       INTEGER PRIMARY KEY CHECK (id = 1),
  sequence BIGINT NOT NULL,
  hash     BYTEA NOT NULL
);
)sql"},
    {2, "writer lease epoch, fencing writes of a deposed ingest service",
     R"sql(
CREATE TABLE writer_lease (
  id    SMALLINT PRIMARY KEY CHECK (id = 1),
  epoch BIGINT NOT NULL
);
INSERT INTO writer_lease (id, epoch) VALUES (1, 0);
)sql"},
    {3, "budget cycle: stage of each revision, cycle records",
     R"sql(
ALTER TABLE submissions ADD COLUMN stage INTEGER NOT NULL DEFAULT 0;
CREATE TABLE cycle_records (
  consolidated_revision BIGINT PRIMARY KEY,
  node_code   TEXT NOT NULL,
  fiscal_year INTEGER NOT NULL,
  request_id  TEXT NOT NULL UNIQUE,
  payload     BYTEA NOT NULL,
  response    BYTEA NOT NULL
);
)sql"},
    // A 200-line budget is ~9 KB, ~3.6 KB compressed: kept in the row
    // (compressed) instead of two TOAST chunks, each a row and an index
    // entry of its own. Rows stored before keep their place.
    {4, "submission payloads compressed inline, not moved to TOAST",
     R"sql(
ALTER TABLE submissions ALTER COLUMN payload SET STORAGE MAIN;
)sql"},
};

// Serializes concurrent migrations of one database (an arbitrary constant,
// "budget" in ASCII, in the advisory lock space of this database only).
constexpr int64_t kMigrationLockKey = 0x627564676574;

constexpr absl::string_view kVersionTable = R"sql(
CREATE TABLE IF NOT EXISTS schema_version (
  version     BIGINT PRIMARY KEY,
  description TEXT NOT NULL,
  applied_at  TIMESTAMPTZ NOT NULL DEFAULT now()
)
)sql";

absl::StatusOr<int64_t> VersionInTransaction(PgConnection& conn) {
  absl::StatusOr<PgResult> version = conn.Execute(
      "SELECT COALESCE(MAX(version), 0)::bigint FROM schema_version");
  if (!version.ok()) return version.status();
  return version->Int(0, 0);
}

absl::Status NewerThanThisBuild(const PgConnection& conn, int64_t stored) {
  return absl::FailedPreconditionError(
      absl::StrCat("store ", conn.redacted_uri(), " has schema version ",
                   stored, ", newer than this build knows (",
                   PostgresSchemaVersion(), "): run a build that knows it"));
}

}  // namespace

int64_t PostgresSchemaVersion() {
  return kMigrations[std::size(kMigrations) - 1].version;
}

absl::StatusOr<int64_t> StoredSchemaVersion(PgConnection& conn) {
  absl::StatusOr<PgResult> exists =
      conn.Execute("SELECT to_regclass('schema_version') IS NOT NULL");
  if (!exists.ok()) return exists.status();
  if (!exists->Bool(0, 0)) return 0;
  return VersionInTransaction(conn);
}

absl::StatusOr<int> MigratePostgres(PgConnection& conn) {
  int applied = 0;
  for (const Migration& migration : kMigrations) {
    bool done = false;
    absl::Status status = conn.InTransaction([&]() -> absl::Status {
      PgParams key;
      if (absl::StatusOr<PgResult> locked = conn.Execute(
              "SELECT pg_advisory_xact_lock($1)", key.Add(kMigrationLockKey));
          !locked.ok()) {
        return locked.status();
      }
      if (absl::Status s = conn.Exec(kVersionTable); !s.ok()) return s;
      absl::StatusOr<int64_t> stored = VersionInTransaction(conn);
      if (!stored.ok()) return stored.status();
      if (*stored > PostgresSchemaVersion()) {
        return NewerThanThisBuild(conn, *stored);
      }
      if (*stored >= migration.version) {
        done = true;
        return absl::OkStatus();
      }
      if (absl::Status s = conn.Exec(migration.sql); !s.ok()) {
        return absl::Status(
            s.code(), absl::StrCat("migration ", migration.version, " (",
                                   migration.description, "): ", s.message()));
      }
      PgParams row;
      return conn
          .Execute(
              "INSERT INTO schema_version (version, description) "
              "VALUES ($1, $2)",
              row.Add(migration.version).AddText(migration.description))
          .status();
    });
    if (!status.ok()) return status;
    if (!done) ++applied;
  }
  return applied;
}

absl::Status CheckPostgresSchema(PgConnection& conn) {
  absl::StatusOr<int64_t> stored = StoredSchemaVersion(conn);
  if (!stored.ok()) return stored.status();
  if (*stored == PostgresSchemaVersion()) return absl::OkStatus();
  if (*stored > PostgresSchemaVersion()) {
    return NewerThanThisBuild(conn, *stored);
  }
  return absl::FailedPreconditionError(
      absl::StrCat("store ", conn.redacted_uri(),
                   *stored == 0 ? " has no schema yet"
                                : absl::StrCat(" has schema version ", *stored),
                   "; this build needs version ", PostgresSchemaVersion(),
                   ": run ingest_service --store=<the same URI> --migrate"));
}

}  // namespace storage
