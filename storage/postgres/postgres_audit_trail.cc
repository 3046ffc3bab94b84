#include "storage/postgres/postgres_audit_trail.h"

#include <limits>
#include <utility>
#include <vector>

#include "absl/time/clock.h"
#include "google/protobuf/util/time_util.h"
#include "storage/postgres/pg_audit_rows.h"
#include "storage/postgres/pg_migrations.h"

namespace storage {

using budget::v1::AuditRecord;
using google::protobuf::util::TimeUtil;

namespace {

// Queued records chained in one transaction: a round trip's worth, small
// beside the statement that appends them.
constexpr int kQueuedBatch = 1000;
// Batches one ChainQueued moves at most, so that a List after a flood of
// queued records answers in bounded time; the ingest service's periodic
// ChainQueued moves the rest.
constexpr int kMaxQueuedBatchesPerCall = 16;

}  // namespace

absl::StatusOr<std::unique_ptr<AuditTrail>> PostgresAuditTrail::Open(
    absl::string_view uri, AuditAppender appender) {
  absl::StatusOr<std::unique_ptr<PgConnection>> conn =
      PgConnection::Connect(uri);
  if (!conn.ok()) return conn.status();
  if (absl::Status s = CheckPostgresSchema(**conn); !s.ok()) return s;
  if (absl::Status s =
          (*conn)->ExecOnEverySession("SET synchronous_commit = on");
      !s.ok()) {
    return s;
  }
  return std::unique_ptr<AuditTrail>(
      new PostgresAuditTrail(*std::move(conn), appender));
}

absl::Status PostgresAuditTrail::WriteBatch(
    absl::Span<AuditRecord* const> batch) {
  absl::MutexLock lock(&mu_);
  if (appender_ == AuditAppender::kQuerier) {
    // The time of the call, not of its chaining later.
    const google::protobuf::Timestamp now =
        TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(absl::Now()));
    for (AuditRecord* record : batch) *record->mutable_time() = now;
    const PgStatement queue = QueueAuditRecordsStatement(batch);
    return conn_->ExecutePrepared(queue.sql, queue.params).status();
  }
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

absl::Status PostgresAuditTrail::ChainQueued() {
  absl::MutexLock lock(&mu_);
  return ChainQueuedLocked();
}

absl::Status PostgresAuditTrail::ChainQueuedLocked() {
  if (appender_ != AuditAppender::kWriter) return absl::OkStatus();
  // Read without the lock: an empty queue, the usual case, costs one
  // round trip and never waits for another writer's commit.
  absl::StatusOr<PgResult> queued =
      conn_->Execute("SELECT EXISTS (SELECT FROM audit_inbox)");
  if (!queued.ok()) return queued.status();
  if (!queued->Bool(0, 0)) return absl::OkStatus();
  // BEGIN, the audit lock and head, and the oldest queued records (deleted);
  // then those records chained, and COMMIT: taken and appended together.
  const PgStatement first[] = {ReadAuditAnchorStatement(),
                               TakeQueuedAuditStatement(kQueuedBatch)};
  for (int i = 0; i < kMaxQueuedBatchesPerCall; ++i) {
    int taken = 0;
    absl::Status chained = conn_->InPipelinedTransaction(
        {}, first,
        [&](absl::Span<const PgResult> results)
            -> absl::StatusOr<std::vector<PgStatement>> {
          const PgResult& rows = results[1];
          taken = rows.rows();
          std::vector<PgStatement> last;
          // Another writer took them first.
          if (taken == 0) return last;
          std::vector<AuditRecord> records(taken);
          std::vector<AuditRecord*> batch;
          batch.reserve(taken);
          for (int row = 0; row < taken; ++row) {
            ReadUnchainedColumns(rows, row, records[row]);
            batch.push_back(&records[row]);
          }
          absl::StatusOr<PgStatement> append =
              AuditRowsStatement(results[0], batch, &ChainQueuedAfter);
          if (!append.ok()) return append.status();
          last.push_back(*std::move(append));
          return last;
        });
    if (!chained.ok()) return chained;
    if (taken < kQueuedBatch) break;
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<AuditRecord>> PostgresAuditTrail::List(
    int64_t after_sequence, int limit) {
  absl::MutexLock lock(&mu_);
  // Best effort (AuditTrail::ChainQueued): the chain is listed as stored.
  ChainQueuedLocked().IgnoreError();
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
    ReadUnchainedColumns(*rows, i, record);
    record.set_previous_hash(rows->Bytes(i, 8));
    record.set_hash(rows->Bytes(i, 9));
  }
  return records;
}

absl::StatusOr<AuditTrail::StoredChain> PostgresAuditTrail::ReadChain() {
  absl::MutexLock lock(&mu_);
  // Best effort (AuditTrail::ChainQueued): a chain without its anchor
  // takes no more records, and is verified as stored.
  ChainQueuedLocked().IgnoreError();
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
