// The audit trail in the store both services share (tables audit_records
// and audit_head, storage/README.md): appends chained records (see
// auth/audit_chain.h) and reads them back for the AuditService. A backend
// (SqliteAuditTrail, PostgresAuditTrail) stores them; this class chains
// them, so that both backends build and check the same chain.
//
// Both services append (the query service records the calls it denies), so
// each backend serializes appends across processes (SQLite's write lock, a
// PostgreSQL advisory lock) and chains each batch to the head anchor read
// inside its transaction, which keeps the chain linear.
//
// Appends made while another batch is being written are written together
// in the next transaction (group commit), each returning once its record
// is durable. A store may also append records in the transaction of the
// write they audit (BudgetStore::AppendsAuditRecords); it chains them the
// same way, under the same lock.
//
// Thread-safe.
#ifndef STORAGE_AUDIT_TRAIL_H_
#define STORAGE_AUDIT_TRAIL_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/types/span.h"
#include "auth/audit_chain.h"
#include "budget/v1/audit.pb.h"
#include "storage/budget_store.h"

namespace storage {

class AuditTrail {
 public:
  // The trail of the store `spec` names, as OpenStore takes it. For
  // "sqlite:PATH" the file must exist (NOT_FOUND otherwise; the ingest
  // service creates it) and the audit tables are created when missing; a
  // PostgreSQL store must be migrated (FAILED_PRECONDITION otherwise).
  static absl::StatusOr<std::unique_ptr<AuditTrail>> Open(
      absl::string_view spec);
  virtual ~AuditTrail() = default;

  // Appends `record` (who, what, outcome), setting its sequence, time,
  // previous_hash and hash. Chains to the head anchor (table audit_head),
  // never to whatever row is last, so removing the newest records leaves a
  // gap later appends do not fill; DATA_LOSS while records exist without
  // the anchor. Durable before it returns; fails together with the records
  // sharing its transaction.
  absl::Status Append(budget::v1::AuditRecord record);
  // Append of every record of `records`, in order, in one transaction.
  absl::Status AppendAll(std::vector<budget::v1::AuditRecord> records);

  // At most `limit` records with sequence > after_sequence, in order.
  virtual absl::StatusOr<std::vector<budget::v1::AuditRecord>> List(
      int64_t after_sequence, int limit) = 0;

  // Checks the whole chain, and that it ends at the head anchor: records
  // without one are reported REMOVED after the last.
  absl::StatusOr<auth::ChainCheck> Verify();

  // Sets sequence, previous_hash, time and hash of each record of `batch`
  // in order after `anchor`, and returns the new anchor. DATA_LOSS when
  // records exist without an anchor. Public for a store that appends
  // records inside its own write transaction
  // (BudgetStore::AppendsAuditRecords), holding the same append lock.
  static absl::StatusOr<auth::ChainHead> ChainAfter(
      const std::optional<auth::ChainHead>& anchor, bool records_exist,
      absl::Span<budget::v1::AuditRecord* const> batch);

 protected:
  // Every record and the head anchor, read in one transaction.
  struct StoredChain {
    std::vector<budget::v1::AuditRecord> records;
    std::optional<auth::ChainHead> head;
  };

  // Writes `batch` in one durable transaction that, holding the backend's
  // append lock, reads the anchor and whether any record exists, calls
  // ChainAfter, inserts the records and rewrites the anchor.
  virtual absl::Status WriteBatch(
      absl::Span<budget::v1::AuditRecord* const> batch) = 0;
  virtual absl::StatusOr<StoredChain> ReadChain() = 0;

 private:
  // An Append waiting for its transaction.
  struct PendingRecord {
    budget::v1::AuditRecord record;
    absl::Status status;
    bool durable_or_failed = false;
  };

  // Writes every queued record in one transaction and settles each.
  void WriteQueued() ABSL_EXCLUSIVE_LOCKS_REQUIRED(write_mu_);

  absl::Mutex write_mu_;  // Held while a batch is written.
  // Records waiting for the next transaction, in chain order.
  absl::Mutex queue_mu_ ABSL_ACQUIRED_AFTER(write_mu_);
  std::vector<PendingRecord*> queue_ ABSL_GUARDED_BY(queue_mu_);
};

// Copies of the audit records a batch of submissions carries
// (NewSubmission::audit), or of a batch of units (AddUnits), in order, for
// a store that AppendsAuditRecords to chain (AuditTrail::ChainAfter)
// inside its commit, leaving the caller's records as given. Not copyable:
// batch() points into it.
class AuditRecordCopies {
 public:
  explicit AuditRecordCopies(absl::Span<const NewSubmission> submissions);
  explicit AuditRecordCopies(absl::Span<const budget::v1::AuditRecord> records);
  AuditRecordCopies(const AuditRecordCopies&) = delete;
  AuditRecordCopies& operator=(const AuditRecordCopies&) = delete;

  absl::Span<budget::v1::AuditRecord* const> batch() const { return pointers_; }

 private:
  std::vector<budget::v1::AuditRecord> records_;
  std::vector<budget::v1::AuditRecord*> pointers_;
};

}  // namespace storage

#endif  // STORAGE_AUDIT_TRAIL_H_
