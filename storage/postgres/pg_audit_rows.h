// The audit trail's rows in a PostgreSQL store (tables audit_records and
// audit_head): the statements appending a chained batch in the caller's
// transaction (the anchor read, then the rows, in two pipelined round
// trips), for PostgresAuditTrail (a transaction of its own) and
// PostgresStore (the transaction that commits the submissions the records
// are about); and those of audit_inbox, where the query service queues its
// records for the writer to chain (PostgresAuditTrail).
//
// Thread-compatible: plain functions of their arguments.
#ifndef STORAGE_POSTGRES_PG_AUDIT_ROWS_H_
#define STORAGE_POSTGRES_PG_AUDIT_ROWS_H_

#include <optional>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "auth/audit_chain.h"
#include "budget/v1/audit.pb.h"
#include "storage/postgres/pg_connection.h"

namespace storage {

// AuditTrail::ChainAfter's signature: chains `batch` after the anchor read.
using ChainAfterFn = absl::FunctionRef<absl::StatusOr<auth::ChainHead>(
    const std::optional<auth::ChainHead>& anchor, bool records_exist,
    absl::Span<budget::v1::AuditRecord* const> batch)>;

// The statement taking the audit lock for the rest of the transaction
// (through audit_anchor(), so any service role may) and reading the head
// anchor and whether any record exists; its result is
// AuditRowsStatement's `anchor`.
PgStatement ReadAuditAnchorStatement();

// Chains `batch` after `anchor` (ReadAuditAnchorStatement's result) with
// `chain_after`; the statement inserting the records (one array per
// column) and the new head, run in the anchor's transaction.
absl::StatusOr<PgStatement> AuditRowsStatement(
    const PgResult& anchor, absl::Span<budget::v1::AuditRecord* const> batch,
    ChainAfterFn chain_after);
// AuditRowsStatement after `head`, a head known without reading it (the
// caller's own last append). The statement fails with
// serialization_failure when the stored head is no longer `head`
// (append_audit_records checks it under the audit lock, which it takes),
// and with data_corrupted when records exist but the head is gone.
absl::StatusOr<PgStatement> AuditRowsAfter(
    const auth::ChainHead& head,
    absl::Span<budget::v1::AuditRecord* const> batch, ChainAfterFn chain_after);

// The statement queueing `batch` (each record's fields principal through
// time; the rest unset) in audit_inbox, in order, through migration 6's
// function, which takes no lock: the query role's only way to append.
PgStatement QueueAuditRecordsStatement(
    absl::Span<budget::v1::AuditRecord* const> batch);
// The statement deleting the oldest `max_records` queued records and
// returning them in queue order, for a transaction that chains them
// (ChainQueuedAfter) after ReadAuditAnchorStatement and appends them
// (AuditRowsStatement) before it commits. It takes the audit lock too.
PgStatement TakeQueuedAuditStatement(int max_records);

// Sets principal through time of `record` from row `row` of `rows`, whose
// columns 1 to 7 hold them in that order (an audit_records row after its
// sequence; a queued row after its id).
void ReadUnchainedColumns(const PgResult& rows, int row,
                          budget::v1::AuditRecord& record);

}  // namespace storage

#endif  // STORAGE_POSTGRES_PG_AUDIT_ROWS_H_
