// The audit trail in the store both services share (tables audit_records
// and audit_head, storage/README.md): appends chained records (see
// auth/audit_chain.h) and reads them back for the AuditService. A backend
// (SqliteAuditTrail, PostgresAuditTrail) stores them; this class chains
// them, so that both backends build and check the same chain.
//
// Both services append (the query service records the calls it denies), so
// each backend serializes appends across processes (SQLite's write lock, a
// PostgreSQL advisory lock) and chains each batch to the head anchor read
// inside its transaction, which keeps the chain linear. On PostgreSQL the
// query service only queues its records (AuditAppender::kQuerier), for the
// ingest service to chain: it then holds no lock a writer waits for.
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

// Which service appends through a trail, and so how (AuditTrail::Open).
enum class AuditAppender {
  // The ingest service, active or standby: chains its appends itself, and
  // chains the records queriers queued (AuditTrail::ChainQueued).
  kWriter,
  // The query service, which must hold nothing a writer waits for: a
  // PostgreSQL transaction holding the audit lock would stop every
  // audited commit for as long as it stayed open. So on PostgreSQL each
  // append only queues its records, unchained (table audit_inbox, one
  // statement that takes no lock), for a writer to chain. A SQLite store
  // chains them as kWriter does: its write lock is the file's, which any
  // process that can open the file for writing can hold anyway.
  kQuerier,
};

class AuditTrail {
 public:
  // The trail of the store `spec` names, as OpenStore takes it, appended to
  // by `appender`. For "sqlite:PATH" the file must exist (NOT_FOUND
  // otherwise; the ingest service creates it) and the audit tables are
  // created when missing; a PostgreSQL store must be migrated
  // (FAILED_PRECONDITION otherwise).
  static absl::StatusOr<std::unique_ptr<AuditTrail>> Open(
      absl::string_view spec, AuditAppender appender = AuditAppender::kWriter);
  virtual ~AuditTrail() = default;

  // Appends `record` (who, what, outcome), setting its sequence, time,
  // previous_hash and hash. Chains to the head anchor (table audit_head),
  // never to whatever row is last, so removing the newest records leaves a
  // gap later appends do not fill; DATA_LOSS while records exist without
  // the anchor. Durable before it returns; fails together with the records
  // sharing its transaction. A kQuerier trail on PostgreSQL queues it
  // instead, with the time it was queued, durable before it returns.
  absl::Status Append(budget::v1::AuditRecord record);
  // Append of every record of `records`, in order, in one transaction.
  absl::Status AppendAll(std::vector<budget::v1::AuditRecord> records);

  // Moves the records kQuerier trails queued into the chain, oldest first,
  // keeping the time each was queued at: each batch in one transaction
  // that takes them from the queue and appends them, so a record is
  // chained once, or stays queued. Safe in several writers at once (they
  // take turns on the append lock). OK at once when nothing is
  // queued (one read), and on a backend or trail that queues nothing
  // (SQLite, kQuerier). List and Verify of a kWriter trail call it first,
  // so that they show what was queued before them; its error is then
  // ignored (DATA_LOSS without a head anchor is Verify's to report), and
  // the records stay queued.
  virtual absl::Status ChainQueued() { return absl::OkStatus(); }

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
  // ChainAfter of records queued earlier, keeping the time each carries
  // (when it was queued) instead of setting it.
  static absl::StatusOr<auth::ChainHead> ChainQueuedAfter(
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

  // ChainAfter, setting each record's time to now or keeping it.
  enum class RecordTime { kNow, kKept };
  static absl::StatusOr<auth::ChainHead> Chain(
      const std::optional<auth::ChainHead>& anchor, bool records_exist,
      absl::Span<budget::v1::AuditRecord* const> batch, RecordTime time);

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
