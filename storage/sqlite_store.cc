#include "storage/sqlite_store.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "storage/revision_answers.h"
#include "storage/sqlite_audit_trail.h"
#include "storage/sqlite_checkpointer.h"
#include "storage/sqlite_statement.h"
#include "storage/stored_budget_parser.h"

namespace storage {
namespace {

using budget::v1::AuditRecord;
using budget::v1::NodeTotals;
using budget::v1::Review;
using budget::v1::Submission;
using budget::v1::Unit;
using budget::v1::UnitBudget;

// Version 2 added submissions.stage and cycle_records (the budget cycle);
// a version 1 file is upgraded in place when opened.
constexpr int64_t kSchemaVersion = 2;

// Kept in step with storage/README.md.
constexpr absl::string_view kSchema = R"sql(
CREATE TABLE IF NOT EXISTS meta (
  key   TEXT PRIMARY KEY,
  value INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS units (
  seq         INTEGER PRIMARY KEY,
  code        TEXT NOT NULL UNIQUE,
  parent_code TEXT NOT NULL,
  name        TEXT NOT NULL,
  kind        INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS submissions (
  consolidated_revision INTEGER PRIMARY KEY,
  unit_code       TEXT NOT NULL,
  fiscal_year     INTEGER NOT NULL,
  revision        INTEGER NOT NULL,
  request_id      TEXT NOT NULL UNIQUE,
  payload         BLOB NOT NULL,
  submitted_by    TEXT NOT NULL,
  submitted_at_us INTEGER NOT NULL,
  warnings        BLOB NOT NULL,
  response        BLOB NOT NULL,
  stage           INTEGER NOT NULL DEFAULT 0,
  UNIQUE (unit_code, fiscal_year, revision)
);
CREATE TABLE IF NOT EXISTS cycle_records (
  consolidated_revision INTEGER PRIMARY KEY,
  node_code   TEXT NOT NULL,
  fiscal_year INTEGER NOT NULL,
  request_id  TEXT NOT NULL UNIQUE,
  payload     BLOB NOT NULL,
  response    BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS node_totals (
  node_code             TEXT NOT NULL,
  fiscal_year           INTEGER NOT NULL,
  income_fen            INTEGER NOT NULL,
  expenditure_fen       INTEGER NOT NULL,
  consolidated_revision INTEGER NOT NULL,
  PRIMARY KEY (node_code, fiscal_year)
);
CREATE TABLE IF NOT EXISTS reviews (
  id             INTEGER PRIMARY KEY,
  unit_code      TEXT NOT NULL,
  fiscal_year    INTEGER NOT NULL,
  revision       INTEGER NOT NULL,
  decision       INTEGER NOT NULL,
  comment        TEXT NOT NULL,
  reviewer       TEXT NOT NULL,
  reviewed_at_us INTEGER NOT NULL,
  FOREIGN KEY (unit_code, fiscal_year, revision)
    REFERENCES submissions (unit_code, fiscal_year, revision)
);
CREATE INDEX IF NOT EXISTS reviews_by_revision
  ON reviews (unit_code, fiscal_year, revision);
CREATE TABLE IF NOT EXISTS locks (
  node_code             TEXT NOT NULL,
  fiscal_year           INTEGER NOT NULL,
  locked_by             TEXT NOT NULL,
  locked_at_us          INTEGER NOT NULL,
  consolidated_revision INTEGER NOT NULL,
  PRIMARY KEY (node_code, fiscal_year)
);
)sql";

google::protobuf::Timestamp TimestampFromMicros(int64_t micros) {
  google::protobuf::Timestamp ts;
  ts.set_seconds(micros / 1'000'000);
  ts.set_nanos(static_cast<int32_t>(micros % 1'000'000) * 1000);
  return ts;
}

int64_t MicrosFromTimestamp(const google::protobuf::Timestamp& ts) {
  return ts.seconds() * 1'000'000 + ts.nanos() / 1000;
}

absl::StatusOr<sqlite3*> OpenConnection(const std::string& path, int flags) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, flags | SQLITE_OPEN_FULLMUTEX,
                      nullptr) != SQLITE_OK) {
    absl::Status error = absl::UnavailableError(absl::StrCat(
        "cannot open ", path, ": ", db ? sqlite3_errmsg(db) : "oom"));
    sqlite3_close(db);
    return error;
  }
  return db;
}

absl::Status Corrupt(absl::string_view what) {
  return absl::DataLossError(absl::StrCat("stored ", what, " does not parse"));
}

}  // namespace

absl::StatusOr<std::unique_ptr<SqliteStore>> SqliteStore::Open(
    const std::string& path) {
  absl::StatusOr<sqlite3*> db =
      OpenConnection(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  if (!db.ok()) return db.status();
  std::unique_ptr<SqliteStore> store(new SqliteStore(*db));
  {
    absl::MutexLock lock(&store->mu_);
    if (absl::Status init = store->InitSchema(); !init.ok()) return init;
    absl::StatusOr<std::unique_ptr<SqliteCheckpointer>> checkpointer =
        SqliteCheckpointer::Start(path, store->db_, &store->mu_);
    if (!checkpointer.ok()) return checkpointer.status();
    store->checkpointer_ = *std::move(checkpointer);
  }
  // After the schema, so that it opens a database in WAL mode.
  absl::StatusOr<sqlite3*> reader = OpenConnection(path, SQLITE_OPEN_READONLY);
  if (!reader.ok()) return reader.status();
  WaitBrieflyWhenBusy(*reader);
  absl::MutexLock lock(&store->reader_mu_);
  store->reader_ = *reader;
  store->reader_statements_ = std::make_unique<SqliteStatementCache>(*reader);
  return store;
}

SqliteStore::~SqliteStore() {
  checkpointer_.reset();  // Before the connection it hooks closes.
  {
    absl::MutexLock lock(&reader_mu_);
    reader_statements_.reset();
    sqlite3_close(reader_);
  }
  absl::MutexLock lock(&mu_);
  // Finalizing every statement first keeps close from failing with BUSY;
  // closing the last connection checkpoints the WAL into the main file.
  statements_.Clear();
  sqlite3_close(db_);
}

absl::Status SqliteStore::InitSchema() {
  // WAL lets readers (the query service) read while the service writes;
  // FULL syncs the WAL on every commit, so an acknowledged submission
  // survives a crash or power loss.
  WaitBrieflyWhenBusy(db_);
  for (absl::string_view pragma :
       {"PRAGMA journal_mode=WAL", "PRAGMA synchronous=FULL",
        "PRAGMA foreign_keys=ON"}) {
    if (absl::Status s = SqliteExec(db_, pragma); !s.ok()) return s;
  }
  return InTransaction(db_, [&]() -> absl::Status {
    if (absl::Status s = SqliteExec(db_, kSchema); !s.ok()) return s;
    // CommitSubmissions appends audit records too.
    if (absl::Status s = SqliteAuditTrail::CreateTables(db_); !s.ok()) {
      return s;
    }
    SqliteStatement version(
        db_, "SELECT value FROM meta WHERE key='schema_version'");
    absl::StatusOr<bool> row = version.Step();
    if (!row.ok()) return row.status();
    if (!*row) {
      SqliteStatement insert(
          db_, "INSERT INTO meta (key, value) VALUES ('schema_version', ?1)");
      return insert.Bind(1, kSchemaVersion).Run();
    }
    if (version.ColumnInt(0) < kSchemaVersion && version.ColumnInt(0) >= 1) {
      return Upgrade(version.ColumnInt(0));
    }
    if (version.ColumnInt(0) != kSchemaVersion) {
      return absl::FailedPreconditionError(
          absl::StrCat("store has schema version ", version.ColumnInt(0),
                       "; this build reads version ", kSchemaVersion));
    }
    return absl::OkStatus();
  });
}

absl::Status SqliteStore::Upgrade(int64_t from_version) {
  // 1 -> 2: the cycle's stage on revisions (0, outside the cycle, for every
  // revision stored before); kSchema has just created cycle_records.
  if (from_version == 1) {
    if (absl::Status s = SqliteExec(
            db_,
            "ALTER TABLE submissions ADD COLUMN stage INTEGER NOT NULL "
            "DEFAULT 0");
        !s.ok()) {
      return s;
    }
  }
  SqliteStatement update(
      db_, "UPDATE meta SET value = ?1 WHERE key = 'schema_version'");
  return update.Bind(1, kSchemaVersion).Run();
}

absl::StatusOr<std::vector<Unit>> SqliteStore::LoadUnits() {
  absl::MutexLock lock(&mu_);
  SqliteStatement query(
      db_, "SELECT code, parent_code, name, kind FROM units ORDER BY seq");
  std::vector<Unit> units;
  for (;;) {
    absl::StatusOr<bool> row = query.Step();
    if (!row.ok()) return row.status();
    if (!*row) return units;
    Unit& unit = units.emplace_back();
    unit.set_code(query.ColumnBytes(0));
    unit.set_parent_code(query.ColumnBytes(1));
    unit.set_name(query.ColumnBytes(2));
    unit.set_kind(static_cast<budget::v1::UnitKind>(query.ColumnInt(3)));
  }
}

absl::Status SqliteStore::AddUnits(absl::Span<const Unit> units,
                                   absl::Span<const AuditRecord> audit) {
  absl::MutexLock lock(&mu_);
  return InTransaction(db_, [&]() -> absl::Status {
    for (const Unit& unit : units) {
      SqliteStatement insert(db_, statements_,
                             "INSERT INTO units (code, parent_code, name, "
                             "kind) VALUES (?1, ?2, ?3, ?4)");
      if (absl::Status s = insert.BindText(1, unit.code())
                               .BindText(2, unit.parent_code())
                               .BindText(3, unit.name())
                               .Bind(4, unit.kind())
                               .Run();
          !s.ok()) {
        return s;
      }
    }
    return AppendAudit(audit);
  });
}

absl::Status SqliteStore::AppendAudit(absl::Span<const AuditRecord> audit) {
  if (audit.empty()) return absl::OkStatus();
  // Chained in this transaction, so copies: the caller's stay unchained.
  AuditRecordCopies records(audit);
  return SqliteAuditTrail::AppendInTransaction(db_, statements_,
                                               records.batch());
}

absl::StatusOr<std::optional<StoredRequest>> SqliteStore::FindRequest(
    absl::string_view request_id) {
  absl::MutexLock lock(&reader_mu_);
  SqliteStatement query(
      reader_, *reader_statements_,
      "SELECT payload, response, stage FROM submissions WHERE request_id = "
      "?1 UNION ALL SELECT payload, response, -1 FROM cycle_records "
      "WHERE request_id = ?1");
  absl::StatusOr<bool> row = query.BindText(1, request_id).Step();
  if (!row.ok()) return row.status();
  if (!*row) return std::nullopt;
  return StoredRequest{query.ColumnBytes(0), query.ColumnBytes(1),
                       static_cast<int>(query.ColumnInt(2))};
}

absl::Status SqliteStore::VisitRequestIds(
    absl::FunctionRef<absl::Status(absl::string_view request_id)> visit) {
  absl::MutexLock lock(&mu_);
  return VisitColumn(
      "SELECT request_id FROM submissions UNION ALL "
      "SELECT request_id FROM cycle_records",
      visit);
}

absl::StatusOr<int64_t> SqliteStore::ConsolidatedRevisionLocked() {
  SqliteStatement query(db_, statements_, kSqliteRevisionQuery);
  absl::StatusOr<bool> row = query.Step();
  if (!row.ok()) return row.status();
  return query.ColumnInt(0);
}

absl::StatusOr<int64_t> SqliteStore::ConsolidatedRevision() {
  absl::MutexLock lock(&mu_);
  return ConsolidatedRevisionLocked();
}

absl::Status SqliteStore::CommitSubmissions(
    absl::Span<const NewSubmission> submissions) {
  absl::MutexLock lock(&mu_);
  // Chained in this transaction, so copies: the caller's stay unchained.
  AuditRecordCopies records(submissions);
  return InTransaction(db_, [&] {
    for (const NewSubmission& submission : submissions) {
      if (absl::Status s = InsertSubmission(submission); !s.ok()) return s;
    }
    if (records.batch().empty()) return absl::OkStatus();
    return SqliteAuditTrail::AppendInTransaction(db_, statements_,
                                                 records.batch());
  });
}

absl::Status SqliteStore::InsertSubmission(const NewSubmission& submission) {
  const Submission& meta = submission.metadata;
  absl::StatusOr<int64_t> consolidated = ConsolidatedRevisionLocked();
  if (!consolidated.ok()) return consolidated.status();
  SqliteStatement latest(db_, statements_,
                         "SELECT COALESCE(MAX(revision), 0) FROM submissions "
                         "WHERE unit_code = ?1 AND fiscal_year = ?2");
  absl::StatusOr<bool> row =
      latest.BindText(1, meta.unit_code()).Bind(2, meta.fiscal_year()).Step();
  if (!row.ok()) return row.status();
  if (meta.revision() != latest.ColumnInt(0) + 1 ||
      meta.consolidated_revision() != *consolidated + 1) {
    return absl::AbortedError(absl::StrCat(
        "store moved on: revision ", meta.revision(), " and consolidated ",
        meta.consolidated_revision(), " are not next after ",
        latest.ColumnInt(0), " and ", *consolidated));
  }
  budget::v1::ValidationReport warnings;
  *warnings.mutable_violations() = meta.warnings();
  SqliteStatement insert(
      db_, statements_,
      "INSERT INTO submissions (consolidated_revision, unit_code, "
      "fiscal_year, revision, request_id, payload, submitted_by, "
      "submitted_at_us, warnings, response, stage) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)");
  absl::Status inserted = insert.Bind(1, meta.consolidated_revision())
                              .BindText(2, meta.unit_code())
                              .Bind(3, meta.fiscal_year())
                              .Bind(4, meta.revision())
                              .BindText(5, meta.request_id())
                              .BindBlob(6, submission.payload)
                              .BindText(7, meta.submitted_by())
                              .Bind(8, MicrosFromTimestamp(meta.submitted_at()))
                              .BindBlob(9, warnings.SerializeAsString())
                              .BindBlob(10, submission.response)
                              .Bind(11, meta.stage())
                              .Run();
  if (!inserted.ok()) return inserted;
  if (absl::Status unique = RequestIdUnused(meta.request_id(), "cycle_records");
      !unique.ok()) {
    return unique;
  }
  for (const NodeTotals& totals : submission.totals) {
    SqliteStatement upsert(
        db_, statements_,
        "INSERT INTO node_totals (node_code, fiscal_year, income_fen, "
        "expenditure_fen, consolidated_revision) VALUES (?1, ?2, ?3, ?4, ?5) "
        "ON CONFLICT (node_code, fiscal_year) DO UPDATE SET "
        "income_fen = excluded.income_fen, "
        "expenditure_fen = excluded.expenditure_fen, "
        "consolidated_revision = excluded.consolidated_revision");
    absl::Status s = upsert.BindText(1, totals.node_code())
                         .Bind(2, totals.fiscal_year())
                         .Bind(3, totals.income_fen())
                         .Bind(4, totals.expenditure_fen())
                         .Bind(5, meta.consolidated_revision())
                         .Run();
    if (!s.ok()) return s;
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<Submission>> SqliteStore::QuerySubmissions(
    absl::string_view unit_code, int32_t fiscal_year, int64_t revision,
    bool with_budgets) {
  // revision < 0: all; 0: the latest; otherwise that one.
  SqliteStatement query(
      db_,
      "SELECT consolidated_revision, revision, request_id, payload, "
      "submitted_by, submitted_at_us, warnings, stage FROM submissions "
      "WHERE unit_code = ?1 AND fiscal_year = ?2 AND (?3 < 0 OR revision = "
      "?3 OR (?3 = 0 AND revision = (SELECT MAX(revision) FROM submissions "
      "WHERE unit_code = ?1 AND fiscal_year = ?2))) ORDER BY revision");
  query.BindText(1, unit_code).Bind(2, fiscal_year).Bind(3, revision);
  std::vector<Submission> out;
  for (;;) {
    absl::StatusOr<bool> row = query.Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    Submission& s = out.emplace_back();
    s.set_unit_code(std::string(unit_code));
    s.set_fiscal_year(fiscal_year);
    s.set_consolidated_revision(query.ColumnInt(0));
    s.set_revision(query.ColumnInt(1));
    s.set_request_id(query.ColumnBytes(2));
    if (with_budgets &&
        !s.mutable_budget()->ParseFromString(query.ColumnBytes(3))) {
      return Corrupt("budget");
    }
    s.set_submitted_by(query.ColumnBytes(4));
    *s.mutable_submitted_at() = TimestampFromMicros(query.ColumnInt(5));
    budget::v1::ValidationReport warnings;
    if (!warnings.ParseFromString(query.ColumnBytes(6))) {
      return Corrupt("warnings");
    }
    *s.mutable_warnings() = std::move(*warnings.mutable_violations());
    s.set_stage(static_cast<budget::v1::BudgetStage>(query.ColumnInt(7)));
  }
  for (Submission& s : out) {
    if (absl::Status r = AttachReviews(s); !r.ok()) return r;
  }
  return out;
}

absl::Status SqliteStore::AttachReviews(Submission& submission) {
  SqliteStatement query(
      db_,
      "SELECT decision, comment, reviewer, reviewed_at_us FROM reviews "
      "WHERE unit_code = ?1 AND fiscal_year = ?2 AND revision = ?3 "
      "ORDER BY id");
  query.BindText(1, submission.unit_code())
      .Bind(2, submission.fiscal_year())
      .Bind(3, submission.revision());
  for (;;) {
    absl::StatusOr<bool> row = query.Step();
    if (!row.ok()) return row.status();
    if (!*row) return absl::OkStatus();
    Review* review = submission.add_reviews();
    review->set_unit_code(submission.unit_code());
    review->set_fiscal_year(submission.fiscal_year());
    review->set_revision(submission.revision());
    review->set_decision(
        static_cast<budget::v1::ReviewDecision>(query.ColumnInt(0)));
    review->set_comment(query.ColumnBytes(1));
    review->set_reviewer(query.ColumnBytes(2));
    *review->mutable_reviewed_at() = TimestampFromMicros(query.ColumnInt(3));
  }
}

absl::StatusOr<Submission> SqliteStore::GetSubmission(
    absl::string_view unit_code, int32_t fiscal_year, int64_t revision) {
  if (revision < 0) {
    return absl::InvalidArgumentError("revision must be 0 (latest) or more");
  }
  absl::MutexLock lock(&mu_);
  return OneRevision(QuerySubmissions(unit_code, fiscal_year, revision, true),
                     unit_code, fiscal_year, revision);
}

absl::StatusOr<std::vector<Submission>> SqliteStore::ListSubmissions(
    absl::string_view unit_code, int32_t fiscal_year, bool with_budgets) {
  absl::MutexLock lock(&mu_);
  return QuerySubmissions(unit_code, fiscal_year, -1, with_budgets);
}

absl::Status SqliteStore::VisitLatestBudgets(
    absl::FunctionRef<absl::Status(const UnitBudget&)> visit) {
  absl::MutexLock lock(&mu_);
  SqliteStatement query(
      db_,
      "SELECT payload FROM submissions AS s WHERE revision = (SELECT "
      "MAX(revision) FROM submissions WHERE unit_code = s.unit_code AND "
      "fiscal_year = s.fiscal_year) ORDER BY consolidated_revision");
  StoredBudgetParser parser;
  for (;;) {
    absl::StatusOr<bool> row = query.Step();
    if (!row.ok()) return row.status();
    if (!*row) return absl::OkStatus();
    if (absl::Status s = parser.Visit(query.ColumnBytes(0), visit); !s.ok()) {
      return s;
    }
  }
}

absl::StatusOr<NodeTotals> SqliteStore::GetNodeTotals(
    absl::string_view node_code, int32_t fiscal_year) {
  absl::MutexLock lock(&mu_);
  SqliteStatement query(
      db_,
      "SELECT income_fen, expenditure_fen, consolidated_revision FROM "
      "node_totals WHERE node_code = ?1 AND fiscal_year = ?2");
  absl::StatusOr<bool> row =
      query.BindText(1, node_code).Bind(2, fiscal_year).Step();
  if (!row.ok()) return row.status();
  if (!*row) {
    return absl::NotFoundError(
        absl::StrCat("no totals for ", node_code, " in ", fiscal_year));
  }
  NodeTotals totals;
  totals.set_node_code(std::string(node_code));
  totals.set_fiscal_year(fiscal_year);
  totals.set_income_fen(query.ColumnInt(0));
  totals.set_expenditure_fen(query.ColumnInt(1));
  totals.set_revision(query.ColumnInt(2));
  return totals;
}

absl::Status SqliteStore::RequestIdUnused(absl::string_view request_id,
                                          absl::string_view table) {
  SqliteStatement used(
      db_, statements_,
      absl::StrCat("SELECT 1 FROM ", table, " WHERE request_id = ?1"));
  absl::StatusOr<bool> row = used.BindText(1, request_id).Step();
  if (!row.ok()) return row.status();
  if (*row) {
    return absl::AlreadyExistsError(
        absl::StrCat("request id '", request_id, "' was used before"));
  }
  return absl::OkStatus();
}

absl::Status SqliteStore::CommitCycleRecords(
    absl::Span<const NewCycleRecord> records) {
  absl::MutexLock lock(&mu_);
  return InTransaction(db_, [&]() -> absl::Status {
    for (const NewCycleRecord& record : records) {
      absl::StatusOr<int64_t> consolidated = ConsolidatedRevisionLocked();
      if (!consolidated.ok()) return consolidated.status();
      if (record.consolidated_revision != *consolidated + 1) {
        return absl::AbortedError(
            absl::StrCat("store moved on: consolidated revision ",
                         record.consolidated_revision, " is not next after ",
                         *consolidated));
      }
      if (absl::Status unique =
              RequestIdUnused(record.request_id, "submissions");
          !unique.ok()) {
        return unique;
      }
      SqliteStatement insert(
          db_, statements_,
          "INSERT INTO cycle_records (consolidated_revision, node_code, "
          "fiscal_year, request_id, payload, response) "
          "VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
      absl::Status s = insert.Bind(1, record.consolidated_revision)
                           .BindText(2, record.node_code)
                           .Bind(3, record.fiscal_year)
                           .BindText(4, record.request_id)
                           .BindBlob(5, record.payload)
                           .BindBlob(6, record.response)
                           .Run();
      if (!s.ok()) return s;
      if (record.audit.has_value()) {
        if (absl::Status a = AppendAudit({&*record.audit, 1}); !a.ok()) {
          return a;
        }
      }
    }
    return absl::OkStatus();
  });
}

absl::Status SqliteStore::VisitCycleRecords(
    absl::FunctionRef<absl::Status(absl::string_view payload)> visit) {
  absl::MutexLock lock(&mu_);
  return VisitColumn(
      "SELECT payload FROM cycle_records ORDER BY consolidated_revision",
      visit);
}

absl::Status SqliteStore::VisitColumn(
    absl::string_view sql,
    absl::FunctionRef<absl::Status(absl::string_view)> visit) {
  SqliteStatement query(db_, sql);
  for (;;) {
    absl::StatusOr<bool> row = query.Step();
    if (!row.ok()) return row.status();
    if (!*row) return absl::OkStatus();
    if (absl::Status s = visit(query.ColumnBytes(0)); !s.ok()) return s;
  }
}

absl::Status SqliteStore::AddReview(const Review& review,
                                    absl::Span<const AuditRecord> audit) {
  absl::MutexLock lock(&mu_);
  absl::Status s = InTransaction(db_, [&]() -> absl::Status {
    SqliteStatement insert(db_, statements_,
                           "INSERT INTO reviews (unit_code, fiscal_year, "
                           "revision, decision, comment, reviewer, "
                           "reviewed_at_us) VALUES (?1, ?2, ?3, ?4, ?5, ?6, "
                           "?7)");
    absl::Status inserted =
        insert.BindText(1, review.unit_code())
            .Bind(2, review.fiscal_year())
            .Bind(3, review.revision())
            .Bind(4, review.decision())
            .BindText(5, review.comment())
            .BindText(6, review.reviewer())
            .Bind(7, MicrosFromTimestamp(review.reviewed_at()))
            .Run();
    if (!inserted.ok()) return inserted;
    return AppendAudit(audit);
  });
  // The only constraint a review can break is the reference to its revision.
  if (absl::IsAlreadyExists(s)) {
    return NoSuchRevision(review.unit_code(), review.fiscal_year(),
                          review.revision());
  }
  return s;
}

absl::Status SqliteStore::AddLock(const YearLock& lock_row) {
  absl::MutexLock lock(&mu_);
  return InTransaction(db_, [&]() -> absl::Status {
    // Never before the store's newest revision (BudgetStore::AddLock).
    SqliteStatement insert(
        db_, statements_,
        absl::StrCat("INSERT INTO locks (node_code, fiscal_year, locked_by, "
                     "locked_at_us, consolidated_revision) VALUES (?1, ?2, "
                     "?3, ?4, MAX(?5, (",
                     kSqliteRevisionQuery, ")))"));
    absl::Status inserted = insert.BindText(1, lock_row.node_code)
                                .Bind(2, lock_row.fiscal_year)
                                .BindText(3, lock_row.locked_by)
                                .Bind(4, lock_row.locked_at_micros)
                                .Bind(5, lock_row.consolidated_revision)
                                .Run();
    if (!inserted.ok() || !lock_row.audit.has_value()) return inserted;
    return AppendAudit({&*lock_row.audit, 1});
  });
}

absl::StatusOr<std::vector<YearLock>> SqliteStore::LoadLocks() {
  absl::MutexLock lock(&mu_);
  SqliteStatement query(
      db_,
      "SELECT node_code, fiscal_year, locked_by, locked_at_us, "
      "consolidated_revision FROM locks ORDER BY node_code, fiscal_year");
  std::vector<YearLock> locks;
  for (;;) {
    absl::StatusOr<bool> row = query.Step();
    if (!row.ok()) return row.status();
    if (!*row) return locks;
    locks.push_back(
        {query.ColumnBytes(0), static_cast<int32_t>(query.ColumnInt(1)),
         query.ColumnBytes(2), query.ColumnInt(3), query.ColumnInt(4)});
  }
}

}  // namespace storage
