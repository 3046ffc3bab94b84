#include "storage/postgres/pg_audit_rows.h"

#include <vector>

#include "google/protobuf/util/time_util.h"

namespace storage {
namespace {

using budget::v1::AuditRecord;
using google::protobuf::util::TimeUtil;

// Migration 5's function: takes the audit lock, then reads.
constexpr absl::string_view kReadAnchor =
    "SELECT sequence, hash, records_exist FROM audit_anchor()";

// The records as one array per column: migration 5's function inserts
// them and moves the head; with audit_anchor() the only way the service
// roles may append.
constexpr absl::string_view kInsertRecords =
    "SELECT append_audit_records($1::bigint[], $2::text[], $3::text[], "
    "$4::text[], $5::integer[], $6::text[], $7::text[], $8::bigint[], "
    "$9::bytea[], $10::bytea[])";

// Migration 6's functions: queue the query role's records, unchained, and
// take the oldest out for the writer to chain.
constexpr absl::string_view kQueueRecords =
    "SELECT queue_audit_records($1::text[], $2::text[], $3::text[], "
    "$4::integer[], $5::text[], $6::text[], $7::bigint[])";
constexpr absl::string_view kTakeQueued =
    "SELECT id, principal, method, node_code, fiscal_year, request_id, "
    "outcome, time_us FROM take_queued_audit_records($1::integer) "
    "ORDER BY id";

}  // namespace

PgStatement ReadAuditAnchorStatement() {
  return {std::string(kReadAnchor), PgParams()};
}

namespace {

// Adds the fields of `batch` a record has before it is chained (principal
// through time), one array per column, in that order.
void AddUnchainedColumns(absl::Span<AuditRecord* const> batch,
                         PgParams& params) {
  const size_t n = batch.size();
  std::vector<int64_t> time_us(n);
  std::vector<int32_t> year(n);
  std::vector<absl::string_view> principal(n), method(n), node(n),
      request_id(n), outcome(n);
  for (size_t i = 0; i < n; ++i) {
    const AuditRecord& record = *batch[i];
    principal[i] = record.principal();
    method[i] = record.method();
    node[i] = record.node_code();
    year[i] = record.fiscal_year();
    request_id[i] = record.request_id();
    outcome[i] = record.outcome();
    time_us[i] = TimeUtil::TimestampToMicroseconds(record.time());
  }
  params.AddTextArray(principal)
      .AddTextArray(method)
      .AddTextArray(node)
      .AddInt32Array(year)
      .AddTextArray(request_id)
      .AddTextArray(outcome)
      .AddInt64Array(time_us);
}

// The records of `batch` chained after `anchor` by `chain_after`.
absl::StatusOr<PgStatement> RowsAfter(
    const std::optional<auth::ChainHead>& anchor, bool records_exist,
    absl::Span<AuditRecord* const> batch, ChainAfterFn chain_after) {
  absl::StatusOr<auth::ChainHead> head =
      chain_after(anchor, records_exist, batch);
  if (!head.ok()) return head.status();

  const size_t n = batch.size();
  std::vector<int64_t> sequence(n);
  std::vector<absl::string_view> previous_hash(n), hash(n);
  for (size_t i = 0; i < n; ++i) {
    sequence[i] = batch[i]->sequence();
    previous_hash[i] = batch[i]->previous_hash();
    hash[i] = batch[i]->hash();
  }
  PgStatement statement{std::string(kInsertRecords), PgParams()};
  statement.params.AddInt64Array(sequence);
  AddUnchainedColumns(batch, statement.params);
  statement.params.AddBytesArray(previous_hash).AddBytesArray(hash);
  return statement;
}

}  // namespace

absl::StatusOr<PgStatement> AuditRowsStatement(
    const PgResult& found, absl::Span<AuditRecord* const> batch,
    ChainAfterFn chain_after) {
  std::optional<auth::ChainHead> anchor;
  if (!found.IsNull(0, 0)) {
    anchor = auth::ChainHead{found.Int(0, 0), found.Bytes(0, 1)};
  }
  return RowsAfter(anchor, found.Bool(0, 2), batch, chain_after);
}

absl::StatusOr<PgStatement> AuditRowsAfter(const auth::ChainHead& head,
                                           absl::Span<AuditRecord* const> batch,
                                           ChainAfterFn chain_after) {
  return RowsAfter(head, /*records_exist=*/true, batch, chain_after);
}

PgStatement QueueAuditRecordsStatement(absl::Span<AuditRecord* const> batch) {
  PgStatement statement{std::string(kQueueRecords), PgParams()};
  AddUnchainedColumns(batch, statement.params);
  return statement;
}

PgStatement TakeQueuedAuditStatement(int max_records) {
  PgStatement statement{std::string(kTakeQueued), PgParams()};
  statement.params.Add(max_records);
  return statement;
}

void ReadUnchainedColumns(const PgResult& rows, int row, AuditRecord& record) {
  record.set_principal(rows.Bytes(row, 1));
  record.set_method(rows.Bytes(row, 2));
  record.set_node_code(rows.Bytes(row, 3));
  record.set_fiscal_year(static_cast<int32_t>(rows.Int(row, 4)));
  record.set_request_id(rows.Bytes(row, 5));
  record.set_outcome(rows.Bytes(row, 6));
  *record.mutable_time() = TimeUtil::MicrosecondsToTimestamp(rows.Int(row, 7));
}

}  // namespace storage
