#include "storage/postgres/postgres_audit_trail.h"

#include <limits>
#include <utility>

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"
#include "storage/postgres/pg_migrations.h"

namespace storage {
namespace {

using budget::v1::AuditRecord;
using google::protobuf::util::TimeUtil;

// The transaction-scoped advisory lock of every audit append ("budgeta").
constexpr int64_t kAuditLockKey = 0x62756467657461;

// Records an INSERT carries: 10 parameters each, far below the protocol's
// 65,535 parameters a statement.
constexpr size_t kRecordsPerStatement = 1000;

// One statement inserting `records` and, when `head` is given, moving the
// chain's head to it.
std::string RecordInsertStatement(absl::Span<AuditRecord* const> records,
                                  const auth::ChainHead* head,
                                  PgParams& params) {
  std::string sql;
  if (head != nullptr) {
    params.Add(head->sequence).AddBytes(head->hash);
    sql =
        "WITH head AS (INSERT INTO audit_head (id, sequence, hash) VALUES "
        "(1, $1, $2) ON CONFLICT (id) DO UPDATE SET sequence = "
        "excluded.sequence, hash = excluded.hash) ";
  }
  absl::StrAppend(&sql,
                  "INSERT INTO audit_records (sequence, principal, method, "
                  "node_code, fiscal_year, request_id, outcome, time_us, "
                  "previous_hash, hash) VALUES ");
  for (size_t i = 0; i < records.size(); ++i) {
    const AuditRecord& record = *records[i];
    absl::StrAppend(&sql, i == 0 ? "(" : ", (");
    for (int column = 1; column <= 10; ++column) {
      absl::StrAppend(&sql, column == 1 ? "$" : ", $", params.size() + column);
    }
    absl::StrAppend(&sql, ")");
    params.Add(record.sequence())
        .AddText(record.principal())
        .AddText(record.method())
        .AddText(record.node_code())
        .Add(record.fiscal_year())
        .AddText(record.request_id())
        .AddText(record.outcome())
        .Add(TimeUtil::TimestampToMicroseconds(record.time()))
        .AddBytes(record.previous_hash())
        .AddBytes(record.hash());
  }
  return sql;
}

}  // namespace

absl::StatusOr<std::unique_ptr<AuditTrail>> PostgresAuditTrail::Open(
    absl::string_view uri) {
  absl::StatusOr<std::unique_ptr<PgConnection>> conn =
      PgConnection::Connect(uri);
  if (!conn.ok()) return conn.status();
  if (absl::Status s = CheckPostgresSchema(**conn); !s.ok()) return s;
  if (absl::Status s =
          (*conn)->ExecOnEverySession("SET synchronous_commit = on");
      !s.ok()) {
    return s;
  }
  return std::unique_ptr<AuditTrail>(new PostgresAuditTrail(*std::move(conn)));
}

absl::Status PostgresAuditTrail::WriteBatch(
    absl::Span<AuditRecord* const> batch) {
  absl::MutexLock lock(&mu_);
  // Four round trips a batch: BEGIN with the lock, the head, one statement
  // with every record and the new head, COMMIT.
  return conn_->InTransaction(
      [&]() -> absl::Status {
        absl::StatusOr<PgResult> found = conn_->Execute(
            "SELECT h.sequence, h.hash, EXISTS (SELECT 1 FROM audit_records) "
            "FROM (SELECT 1) AS one LEFT JOIN audit_head AS h ON h.id = 1");
        if (!found.ok()) return found.status();
        std::optional<auth::ChainHead> anchor;
        if (!found->IsNull(0, 0)) {
          anchor = auth::ChainHead{found->Int(0, 0), found->Bytes(0, 1)};
        }
        bool records_exist = found->Bool(0, 2);
        absl::StatusOr<auth::ChainHead> head =
            ChainAfter(anchor, records_exist, batch);
        if (!head.ok()) return head.status();
        for (size_t start = 0; start < batch.size();
             start += kRecordsPerStatement) {
          const bool last = start + kRecordsPerStatement >= batch.size();
          PgParams params;
          const std::string sql =
              RecordInsertStatement(batch.subspan(start, kRecordsPerStatement),
                                    last ? &*head : nullptr, params);
          if (absl::Status s = conn_->Execute(sql, params).status(); !s.ok()) {
            return s;
          }
        }
        return absl::OkStatus();
      },
      "", absl::StrCat("SELECT pg_advisory_xact_lock(", kAuditLockKey, ")"));
}

absl::StatusOr<std::vector<AuditRecord>> PostgresAuditTrail::List(
    int64_t after_sequence, int limit) {
  absl::MutexLock lock(&mu_);
  return ListLocked(after_sequence, limit);
}

absl::StatusOr<std::vector<AuditRecord>> PostgresAuditTrail::ListLocked(
    int64_t after_sequence, int64_t limit) {
  PgParams params;
  absl::StatusOr<PgResult> rows = conn_->Execute(
      "SELECT sequence, principal, method, node_code, fiscal_year, "
      "request_id, outcome, time_us, previous_hash, hash FROM audit_records "
      "WHERE sequence > $1 ORDER BY sequence LIMIT $2",
      params.Add(after_sequence).Add(limit));
  if (!rows.ok()) return rows.status();
  std::vector<AuditRecord> records(rows->rows());
  for (int i = 0; i < rows->rows(); ++i) {
    AuditRecord& record = records[i];
    record.set_sequence(rows->Int(i, 0));
    record.set_principal(rows->Bytes(i, 1));
    record.set_method(rows->Bytes(i, 2));
    record.set_node_code(rows->Bytes(i, 3));
    record.set_fiscal_year(static_cast<int32_t>(rows->Int(i, 4)));
    record.set_request_id(rows->Bytes(i, 5));
    record.set_outcome(rows->Bytes(i, 6));
    *record.mutable_time() = TimeUtil::MicrosecondsToTimestamp(rows->Int(i, 7));
    record.set_previous_hash(rows->Bytes(i, 8));
    record.set_hash(rows->Bytes(i, 9));
  }
  return records;
}

absl::StatusOr<AuditTrail::StoredChain> PostgresAuditTrail::ReadChain() {
  absl::MutexLock lock(&mu_);
  StoredChain chain;
  // One snapshot: a concurrent append cannot split the view.
  absl::Status read = conn_->InTransaction(
      [&]() -> absl::Status {
        absl::StatusOr<std::vector<AuditRecord>> records =
            ListLocked(0, std::numeric_limits<int64_t>::max());
        if (!records.ok()) return records.status();
        chain.records = *std::move(records);
        absl::StatusOr<PgResult> head = conn_->Execute(
            "SELECT sequence, hash FROM audit_head WHERE id = 1");
        if (!head.ok()) return head.status();
        if (head->rows() > 0) {
          chain.head = auth::ChainHead{head->Int(0, 0), head->Bytes(0, 1)};
        }
        return absl::OkStatus();
      },
      "REPEATABLE READ READ ONLY");
  if (!read.ok()) return read;
  return chain;
}

}  // namespace storage
