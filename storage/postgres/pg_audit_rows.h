// The audit trail's rows in a PostgreSQL store (tables audit_records and
// audit_head): the statements appending a chained batch in the caller's
// transaction (the anchor read, then the rows, in two pipelined round
// trips),
// for PostgresAuditTrail (a transaction of its own) and PostgresStore (the
// transaction that commits the submissions the records are about).
//
// Thread-compatible: plain functions of their arguments.
#ifndef STORAGE_POSTGRES_PG_AUDIT_ROWS_H_
#define STORAGE_POSTGRES_PG_AUDIT_ROWS_H_

#include <optional>
#include <string>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "auth/audit_chain.h"
#include "budget/v1/audit.pb.h"
#include "storage/postgres/pg_connection.h"

namespace storage {

// Takes the transaction-scoped advisory lock every audit append holds, so
// that batches of every process chain one after another; SQL for the
// prologue of a writer's transaction that chains after a head it knows
// without reading it (AuditRowsAfter). Needs EXECUTE on
// pg_advisory_xact_lock, which only the writer's role has.
std::string AuditLockStatement();

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
// caller's own last append), for a transaction that checks, under the
// audit lock and before these rows, that it is still the stored one.
absl::StatusOr<PgStatement> AuditRowsAfter(
    const auth::ChainHead& head,
    absl::Span<budget::v1::AuditRecord* const> batch, ChainAfterFn chain_after);

}  // namespace storage

#endif  // STORAGE_POSTGRES_PG_AUDIT_ROWS_H_
