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
    // The service roles append audit records only through these functions
    // (deploy/postgres/grants.sql), never by writing the audit tables or
    // taking advisory locks themselves: audit_anchor() takes the audit lock
    // (the key of pg_audit_rows.cc) for the rest of the caller's
    // transaction and reads the head to chain after, and
    // append_audit_records() takes it too and refuses a batch that does
    // not go on from the stored head. So the query role takes no lock but
    // that one, and cannot rewind the head or leave a gap. SECURITY
    // DEFINER runs them as the schema owner, with a search_path the caller
    // cannot redirect.
    {5,
     "audit records appended through audit_anchor() and "
     "append_audit_records() only",
     R"sql(
CREATE FUNCTION audit_anchor()
  RETURNS TABLE (sequence BIGINT, hash BYTEA, records_exist BOOLEAN)
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(x'62756467657461'::BIGINT);
  -- A statement of its own, so its snapshot sees every append before ours.
  RETURN QUERY SELECT h.sequence, h.hash, EXISTS (SELECT FROM audit_records)
    FROM (SELECT 1) AS one LEFT JOIN audit_head AS h ON h.id = 1;
END
$$;
REVOKE ALL ON FUNCTION audit_anchor() FROM PUBLIC;
CREATE FUNCTION append_audit_records(
    sequences BIGINT[], principals TEXT[], methods TEXT[], node_codes TEXT[],
    fiscal_years INTEGER[], request_ids TEXT[], outcomes TEXT[],
    times_us BIGINT[], previous_hashes BYTEA[], hashes BYTEA[])
  RETURNS VOID LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
  batch_size INTEGER := cardinality(sequences);
  head_sequence BIGINT;
  head_hash BYTEA;
BEGIN
  IF batch_size = 0 THEN
    RETURN;
  END IF;
  PERFORM pg_advisory_xact_lock(x'62756467657461'::BIGINT);
  SELECT h.sequence, h.hash INTO head_sequence, head_hash
    FROM audit_head AS h WHERE h.id = 1;
  IF NOT FOUND THEN
    IF EXISTS (SELECT FROM audit_records) THEN
      RAISE EXCEPTION 'audit records exist but their head anchor is gone'
        USING ERRCODE = 'data_corrupted';
    END IF;
    head_sequence := 0;
    head_hash := decode(repeat('00', 32), 'hex');  -- auth::GenesisHash()
  END IF;
  -- A caller that read the head without audit_anchor() may have seen it
  -- move since: serialization_failure tells it to read it again.
  IF EXISTS (
      SELECT FROM (
        SELECT r.sequence, r.nth, r.previous_hash,
               lag(r.hash, 1, head_hash) OVER (ORDER BY r.nth) AS before
          FROM unnest(sequences, previous_hashes, hashes)
               WITH ORDINALITY AS r (sequence, previous_hash, hash, nth)) AS r
       WHERE r.sequence IS DISTINCT FROM head_sequence + r.nth
          OR r.previous_hash IS DISTINCT FROM r.before) THEN
    RAISE EXCEPTION 'audit records do not go on from the stored head (%)',
      head_sequence USING ERRCODE = 'serialization_failure';
  END IF;
  INSERT INTO audit_records (sequence, principal, method, node_code,
      fiscal_year, request_id, outcome, time_us, previous_hash, hash)
    SELECT * FROM unnest(sequences, principals, methods, node_codes,
      fiscal_years, request_ids, outcomes, times_us, previous_hashes, hashes);
  INSERT INTO audit_head (id, sequence, hash)
    VALUES (1, sequences[batch_size], hashes[batch_size])
    ON CONFLICT (id) DO UPDATE
      SET sequence = excluded.sequence, hash = excluded.hash;
END
$$;
REVOKE ALL ON FUNCTION append_audit_records(BIGINT[], TEXT[], TEXT[], TEXT[],
  INTEGER[], TEXT[], TEXT[], BIGINT[], BYTEA[], BYTEA[]) FROM PUBLIC;
)sql"},
    // audit_anchor() holds the audit lock until the caller's transaction
    // ends, so a query role that called it and never committed stopped
    // every audited write. The query role now only queues its records
    // here, unchained, taking no lock (queue_audit_records()); the writer
    // chains them under the audit lock, taking the oldest with
    // take_queued_audit_records() in the transaction that appends them, so
    // a queued record is chained once or stays queued. Both SECURITY
    // DEFINER, as migration 5's, so that neither role writes audit_inbox
    // itself and the writer deletes nothing elsewhere.
    {6, "audit records of the query role queued in audit_inbox for the writer",
     R"sql(
CREATE TABLE audit_inbox (
  id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  principal   TEXT NOT NULL,
  method      TEXT NOT NULL,
  node_code   TEXT NOT NULL,
  fiscal_year INTEGER NOT NULL,
  request_id  TEXT NOT NULL,
  outcome     TEXT NOT NULL,
  -- A valid google.protobuf.Timestamp (years 1970 to 9999), which the
  -- writer chains: the queue is the query role's to fill.
  time_us     BIGINT NOT NULL CHECK (time_us BETWEEN 0 AND 253402300799999999)
);
CREATE FUNCTION queue_audit_records(
    principals TEXT[], methods TEXT[], node_codes TEXT[],
    fiscal_years INTEGER[], request_ids TEXT[], outcomes TEXT[],
    times_us BIGINT[])
  RETURNS VOID LANGUAGE sql SECURITY DEFINER
  SET search_path = pg_catalog, public, pg_temp AS $$
  -- In the order given: ids are drawn as the rows are inserted.
  INSERT INTO audit_inbox (principal, method, node_code, fiscal_year,
      request_id, outcome, time_us)
    SELECT r.principal, r.method, r.node_code, r.fiscal_year, r.request_id,
           r.outcome, r.time_us
      FROM unnest(principals, methods, node_codes, fiscal_years, request_ids,
                  outcomes, times_us)
           WITH ORDINALITY AS r (principal, method, node_code, fiscal_year,
                                 request_id, outcome, time_us, nth)
     ORDER BY r.nth;
$$;
REVOKE ALL ON FUNCTION queue_audit_records(TEXT[], TEXT[], TEXT[], INTEGER[],
  TEXT[], TEXT[], BIGINT[]) FROM PUBLIC;
CREATE FUNCTION take_queued_audit_records(max_records INTEGER)
  RETURNS TABLE (id BIGINT, principal TEXT, method TEXT, node_code TEXT,
                 fiscal_year INTEGER, request_id TEXT, outcome TEXT,
                 time_us BIGINT)
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
  -- Under the audit lock (already held by a caller that read the anchor):
  -- two drainers take turns, and the second sees the first's deletions.
  PERFORM pg_advisory_xact_lock(x'62756467657461'::BIGINT);
  -- A statement of its own, so its snapshot follows the lock.
  RETURN QUERY DELETE FROM audit_inbox AS q
    WHERE q.id IN (SELECT o.id FROM audit_inbox AS o ORDER BY o.id
                    LIMIT max_records)
    RETURNING q.id, q.principal, q.method, q.node_code, q.fiscal_year,
              q.request_id, q.outcome, q.time_us;
END
$$;
REVOKE ALL ON FUNCTION take_queued_audit_records(INTEGER) FROM PUBLIC;
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
