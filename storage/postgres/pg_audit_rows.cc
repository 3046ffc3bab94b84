#include "storage/postgres/pg_audit_rows.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"

namespace storage {
namespace {

using budget::v1::AuditRecord;
using google::protobuf::util::TimeUtil;

// The transaction-scoped advisory lock of every audit append ("budgeta").
constexpr int64_t kAuditLockKey = 0x62756467657461;

constexpr absl::string_view kReadAnchor =
    "SELECT h.sequence, h.hash, EXISTS (SELECT 1 FROM audit_records) "
    "FROM (SELECT 1) AS one LEFT JOIN audit_head AS h ON h.id = 1";

// The records as one array per column ($1-$10), the new head $11, $12.
constexpr absl::string_view kInsertRecords =
    "WITH head AS (INSERT INTO audit_head (id, sequence, hash) VALUES "
    "(1, $11, $12) ON CONFLICT (id) DO UPDATE SET sequence = "
    "excluded.sequence, hash = excluded.hash) "
    "INSERT INTO audit_records (sequence, principal, method, node_code, "
    "fiscal_year, request_id, outcome, time_us, previous_hash, hash) "
    "SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], "
    "$5::integer[], $6::text[], $7::text[], $8::bigint[], $9::bytea[], "
    "$10::bytea[])";

}  // namespace

std::string AuditLockStatement() {
  return absl::StrCat("SELECT pg_advisory_xact_lock(", kAuditLockKey, ")");
}

PgStatement ReadAuditAnchorStatement() {
  return {std::string(kReadAnchor), PgParams()};
}

namespace {

// The records of `batch` chained after `anchor` by `chain_after`.
absl::StatusOr<PgStatement> RowsAfter(
    const std::optional<auth::ChainHead>& anchor, bool records_exist,
    absl::Span<AuditRecord* const> batch, ChainAfterFn chain_after) {
  absl::StatusOr<auth::ChainHead> head =
      chain_after(anchor, records_exist, batch);
  if (!head.ok()) return head.status();

  const size_t n = batch.size();
  std::vector<int64_t> sequence(n), time_us(n);
  std::vector<int32_t> year(n);
  std::vector<absl::string_view> principal(n), method(n), node(n),
      request_id(n), outcome(n), previous_hash(n), hash(n);
  for (size_t i = 0; i < n; ++i) {
    const AuditRecord& record = *batch[i];
    sequence[i] = record.sequence();
    principal[i] = record.principal();
    method[i] = record.method();
    node[i] = record.node_code();
    year[i] = record.fiscal_year();
    request_id[i] = record.request_id();
    outcome[i] = record.outcome();
    time_us[i] = TimeUtil::TimestampToMicroseconds(record.time());
    previous_hash[i] = record.previous_hash();
    hash[i] = record.hash();
  }
  PgStatement statement{std::string(kInsertRecords), PgParams()};
  statement.params.AddInt64Array(sequence)
      .AddTextArray(principal)
      .AddTextArray(method)
      .AddTextArray(node)
      .AddInt32Array(year)
      .AddTextArray(request_id)
      .AddTextArray(outcome)
      .AddInt64Array(time_us)
      .AddBytesArray(previous_hash)
      .AddBytesArray(hash)
      .Add(head->sequence)
      .AddBytes(head->hash);
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

}  // namespace storage
