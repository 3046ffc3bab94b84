#include "storage/postgres/postgres_audit_trail.h"

#include <limits>
#include <utility>

#include "google/protobuf/util/time_util.h"
#include "storage/postgres/pg_audit_rows.h"
#include "storage/postgres/pg_migrations.h"

namespace storage {

using budget::v1::AuditRecord;
using google::protobuf::util::TimeUtil;

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
  // Two round trips a batch: BEGIN with the lock and the head; one
  // statement with every record and the new head, and COMMIT.
  const PgStatement read_anchor[] = {ReadAuditAnchorStatement()};
  return conn_->InPipelinedTransaction(
      {}, read_anchor,
      [&](absl::Span<const PgResult> anchor)
          -> absl::StatusOr<std::vector<PgStatement>> {
        absl::StatusOr<PgStatement> rows =
            AuditRowsStatement(anchor[0], batch, &ChainAfter);
        if (!rows.ok()) return rows.status();
        std::vector<PgStatement> last;
        last.push_back(*std::move(rows));
        return last;
      });
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
