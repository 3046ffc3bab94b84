#include "storage/sqlite_audit_trail.h"

#include <limits>
#include <string>
#include <utility>

#include "google/protobuf/util/time_util.h"
#include "storage/sqlite_statement.h"

namespace storage {
namespace {

using budget::v1::AuditRecord;
using google::protobuf::util::TimeUtil;

// Kept in step with storage/README.md.
constexpr absl::string_view kAuditSchema = R"sql(
CREATE TABLE IF NOT EXISTS audit_records (
  sequence      INTEGER PRIMARY KEY,
  principal     TEXT NOT NULL,
  method        TEXT NOT NULL,
  node_code     TEXT NOT NULL,
  fiscal_year   INTEGER NOT NULL,
  request_id    TEXT NOT NULL,
  outcome       TEXT NOT NULL,
  time_us       INTEGER NOT NULL,
  previous_hash BLOB NOT NULL,
  hash          BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS audit_head (
  id       INTEGER PRIMARY KEY CHECK (id = 1),
  sequence INTEGER NOT NULL,
  hash     BLOB NOT NULL
);
)sql";

}  // namespace

absl::StatusOr<std::unique_ptr<AuditTrail>> SqliteAuditTrail::Open(
    absl::string_view spec) {
  absl::StatusOr<sqlite3*> opened = OpenExistingSqlite(
      spec, SQLITE_OPEN_READWRITE | SQLITE_OPEN_FULLMUTEX, "");
  if (!opened.ok()) return opened.status();
  sqlite3* db = *opened;
  std::unique_ptr<SqliteAuditTrail> trail(new SqliteAuditTrail(db));
  absl::MutexLock lock(&trail->mu_);
  WaitBrieflyWhenBusy(db);
  if (absl::Status s = SqliteExec(db, "PRAGMA synchronous=FULL"); !s.ok()) {
    return s;
  }
  if (absl::Status s = CreateTables(db); !s.ok()) return s;
  return std::unique_ptr<AuditTrail>(std::move(trail));
}

absl::Status SqliteAuditTrail::CreateTables(sqlite3* db) {
  return SqliteExec(db, kAuditSchema);
}

SqliteAuditTrail::~SqliteAuditTrail() {
  absl::MutexLock lock(&mu_);
  statements_.Clear();  // Unfinalized statements would keep it open.
  sqlite3_close(db_);
}

absl::Status SqliteAuditTrail::WriteBatch(
    absl::Span<AuditRecord* const> batch) {
  absl::MutexLock lock(&mu_);
  return InTransaction(
      db_, [&] { return AppendInTransaction(db_, statements_, batch); });
}

absl::Status SqliteAuditTrail::AppendInTransaction(
    sqlite3* db, SqliteStatementCache& statements,
    absl::Span<AuditRecord* const> batch) {
  absl::StatusOr<std::optional<auth::ChainHead>> anchor = Head(db, statements);
  if (!anchor.ok()) return anchor.status();
  SqliteStatement any(db, statements, "SELECT 1 FROM audit_records LIMIT 1");
  absl::StatusOr<bool> records_exist = any.Step();
  if (!records_exist.ok()) return records_exist.status();
  absl::StatusOr<auth::ChainHead> head =
      ChainAfter(*anchor, *records_exist, batch);
  if (!head.ok()) return head.status();
  for (const AuditRecord* record : batch) {
    SqliteStatement insert(
        db, statements,
        "INSERT INTO audit_records (sequence, principal, method, node_code, "
        "fiscal_year, request_id, outcome, time_us, previous_hash, hash) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)");
    absl::Status inserted =
        insert.Bind(1, record->sequence())
            .BindText(2, record->principal())
            .BindText(3, record->method())
            .BindText(4, record->node_code())
            .Bind(5, record->fiscal_year())
            .BindText(6, record->request_id())
            .BindText(7, record->outcome())
            .Bind(8, TimeUtil::TimestampToMicroseconds(record->time()))
            .BindBlob(9, record->previous_hash())
            .BindBlob(10, record->hash())
            .Run();
    if (!inserted.ok()) return inserted;
  }
  SqliteStatement anchor_row(
      db, statements,
      "INSERT INTO audit_head (id, sequence, hash) VALUES (1, ?1, ?2) "
      "ON CONFLICT(id) DO UPDATE SET sequence = excluded.sequence, "
      "hash = excluded.hash");
  return anchor_row.Bind(1, head->sequence).BindBlob(2, head->hash).Run();
}

absl::StatusOr<std::vector<AuditRecord>> SqliteAuditTrail::List(
    int64_t after_sequence, int limit) {
  absl::MutexLock lock(&mu_);
  return ListLocked(after_sequence, limit);
}

absl::StatusOr<std::vector<AuditRecord>> SqliteAuditTrail::ListLocked(
    int64_t after_sequence, int64_t limit) {
  SqliteStatement select(
      db_,
      "SELECT sequence, principal, method, node_code, fiscal_year, "
      "request_id, outcome, time_us, previous_hash, hash FROM audit_records "
      "WHERE sequence > ?1 ORDER BY sequence LIMIT ?2");
  select.Bind(1, after_sequence).Bind(2, limit);
  std::vector<AuditRecord> records;
  while (true) {
    absl::StatusOr<bool> row = select.Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    AuditRecord& record = records.emplace_back();
    record.set_sequence(select.ColumnInt(0));
    record.set_principal(select.ColumnBytes(1));
    record.set_method(select.ColumnBytes(2));
    record.set_node_code(select.ColumnBytes(3));
    record.set_fiscal_year(static_cast<int32_t>(select.ColumnInt(4)));
    record.set_request_id(select.ColumnBytes(5));
    record.set_outcome(select.ColumnBytes(6));
    *record.mutable_time() =
        TimeUtil::MicrosecondsToTimestamp(select.ColumnInt(7));
    record.set_previous_hash(select.ColumnBytes(8));
    record.set_hash(select.ColumnBytes(9));
  }
  return records;
}

absl::StatusOr<AuditTrail::StoredChain> SqliteAuditTrail::ReadChain() {
  absl::MutexLock lock(&mu_);
  // One read transaction: a concurrent append cannot split the view.
  if (absl::Status s = SqliteExec(db_, "BEGIN"); !s.ok()) return s;
  absl::StatusOr<std::vector<AuditRecord>> records =
      ListLocked(0, std::numeric_limits<int64_t>::max());
  absl::StatusOr<std::optional<auth::ChainHead>> head = Head(db_, statements_);
  SqliteExec(db_, "COMMIT").IgnoreError();
  if (!records.ok()) return records.status();
  if (!head.ok()) return head.status();
  return StoredChain{*std::move(records), *std::move(head)};
}

absl::StatusOr<std::optional<auth::ChainHead>> SqliteAuditTrail::Head(
    sqlite3* db, SqliteStatementCache& statements) {
  SqliteStatement select(db, statements,
                         "SELECT sequence, hash FROM audit_head WHERE id = 1");
  absl::StatusOr<bool> row = select.Step();
  if (!row.ok()) return row.status();
  if (!*row) return std::optional<auth::ChainHead>();
  return std::optional<auth::ChainHead>(
      auth::ChainHead{select.ColumnInt(0), select.ColumnBytes(1)});
}

}  // namespace storage
