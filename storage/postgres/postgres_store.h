// The PostgreSQL implementation of BudgetStore, with the SQLite store's
// contract (budget_store.h): every write one transaction, acknowledged only
// after COMMIT returns with synchronous_commit on (set on the session, so a
// server default of off does not weaken it), the batch of CommitSubmissions
// in one transaction (group commit), with the audit records of its
// submissions (AppendsAuditRecords: chained under the audit trail's lock,
// pg_audit_rows.h). The schema and its migrations are in
// pg_migrations.h; Open refuses a store not migrated to this build's
// version.
//
// Writes may be fenced by a writer-lease epoch (SetWriterEpoch). They take
// a transaction-scoped advisory lock, so that writers from
// several processes serialize and revisions, unit positions and review ids
// are allocated without gaps in commit order (a reader tailing by
// consolidated revision never sees revision n+1 before n). Each write that
// changes what readers see sends NOTIFY budget_changes inside its
// transaction, with the consolidated revision as payload; listeners get it
// only once the transaction commits.
//
// Owns its connections. Thread-safe: the writing connection behind a mutex,
// and a second one behind another for FindRequest, so that deciding a
// submission never waits for another's commit.
#ifndef STORAGE_POSTGRES_POSTGRES_STORE_H_
#define STORAGE_POSTGRES_POSTGRES_STORE_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "auth/audit_chain.h"
#include "storage/budget_store.h"
#include "storage/postgres/pg_connection.h"
#include "storage/postgres/pg_submission_batch.h"

namespace storage {

// The channel of the store's change notifications; the payload is the
// consolidated revision (decimal) after the transaction.
inline constexpr char kPostgresChangesChannel[] = "budget_changes";

// The store-wide consolidated revision (0 for an empty store): submissions
// and cycle records share one sequence.
inline constexpr char kPostgresRevisionQuery[] =
    "SELECT GREATEST((SELECT COALESCE(MAX(consolidated_revision), 0) FROM "
    "submissions), (SELECT COALESCE(MAX(consolidated_revision), 0) FROM "
    "cycle_records))";

class PostgresStore : public BudgetStore {
 public:
  // Connects to `uri` (postgresql://...). UNAVAILABLE when the server
  // cannot be reached; FAILED_PRECONDITION when the schema is missing or of
  // another version (CheckPostgresSchema).
  static absl::StatusOr<std::unique_ptr<PostgresStore>> Open(
      absl::string_view uri);

  absl::StatusOr<std::vector<budget::v1::Unit>> LoadUnits() override;
  using BudgetStore::AddUnit;
  absl::Status AddUnits(
      absl::Span<const budget::v1::Unit> units,
      absl::Span<const budget::v1::AuditRecord> audit) override;
  absl::StatusOr<std::optional<StoredRequest>> FindRequest(
      absl::string_view request_id) override;
  absl::Status VisitRequestIds(
      absl::FunctionRef<absl::Status(absl::string_view request_id)> visit)
      override;
  bool AppendsAuditRecords() const override { return true; }
  absl::Status CommitSubmissions(
      absl::Span<const NewSubmission> submissions) override;
  absl::StatusOr<budget::v1::Submission> GetSubmission(
      absl::string_view unit_code, int32_t fiscal_year,
      int64_t revision) override;
  absl::StatusOr<std::vector<budget::v1::Submission>> ListSubmissions(
      absl::string_view unit_code, int32_t fiscal_year,
      bool with_budgets) override;
  absl::Status VisitLatestBudgets(
      absl::FunctionRef<absl::Status(const budget::v1::UnitBudget&)> visit)
      override;
  absl::StatusOr<int64_t> ConsolidatedRevision() override;
  absl::StatusOr<budget::v1::NodeTotals> GetNodeTotals(
      absl::string_view node_code, int32_t fiscal_year) override;
  absl::Status CommitCycleRecords(
      absl::Span<const NewCycleRecord> records) override;
  absl::Status VisitCycleRecords(
      absl::FunctionRef<absl::Status(absl::string_view payload)> visit)
      override;
  using BudgetStore::AddReview;
  absl::Status AddReview(
      const budget::v1::Review& review,
      absl::Span<const budget::v1::AuditRecord> audit) override;
  absl::Status AddLock(const YearLock& lock) override;
  absl::StatusOr<std::vector<YearLock>> LoadLocks() override;
  // When set, each write transaction first reads writer_lease FOR SHARE
  // and fails UNAVAILABLE when its epoch moved on: the new writer's
  // UPDATE of the epoch waits for a commit in flight, so every write of
  // the old writer lands before the new one takes over, or not at all.
  void SetWriterEpoch(int64_t epoch) override;

 private:
  PostgresStore(std::unique_ptr<PgConnection> writer,
                std::unique_ptr<PgConnection> reader)
      : writer_(std::move(writer)), reader_(std::move(reader)) {}

  // Runs `body` in a transaction holding the store's write lock, then
  // notifies listeners in the same transaction.
  absl::Status WriteTransaction(absl::FunctionRef<absl::Status()> body)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Chains copies of `audit` onto the audit trail inside the open
  // transaction of WriteTransaction (AppendsAuditRecords), under the audit
  // lock; forgets the head CommitSubmissions would chain after.
  absl::Status AppendAuditInTransaction(
      absl::Span<const budget::v1::AuditRecord> audit)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // UNAVAILABLE when fenced and the lease's epoch is `epoch_now`, not ours.
  absl::Status LeaseHeld(int64_t epoch_now) const
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // OK when `row`, the result of `chunk`'s statement (BuildChunkStatement),
  // says it passed its checks and inserted every submission.
  absl::Status ChunkCommitted(absl::Span<const NewSubmission> chunk,
                              const PgResult& row) const
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // The statements of `chunks`, the last one notifying replicas.
  std::vector<PgStatement> ChunkStatements(
      absl::Span<const absl::Span<const NewSubmission>> chunks,
      ChunkChecks checks) const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // CommitSubmissions in one round trip, chaining the audit records
  // (`chained`) after audit_head_ (set when `chained` is not empty): BEGIN,
  // `locks`, the chunks' statements, the audit rows and COMMIT, which the
  // server skips unless every chunk passed its checks and the audit head
  // is still audit_head_. `new_head`: the head the records end at.
  absl::Status CommitInOneRoundTrip(
      absl::Span<const absl::Span<const NewSubmission>> chunks,
      absl::Span<const std::string> locks,
      absl::Span<budget::v1::AuditRecord* const> chained,
      auth::ChainHead& new_head) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // CommitSubmissions in two round trips: the chunks' checks and the audit
  // anchor are read in the first, the records chained after it go with
  // COMMIT in the second.
  absl::Status CommitInTwoRoundTrips(
      absl::Span<const absl::Span<const NewSubmission>> chunks,
      absl::Span<const std::string> locks,
      absl::Span<budget::v1::AuditRecord* const> chained,
      auth::ChainHead& new_head) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::StatusOr<int64_t> ConsolidatedRevisionLocked()
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // ALREADY_EXISTS when `table` holds `request_id` (ids are unique across
  // submissions and cycle records).
  absl::Status RequestIdUnused(absl::string_view request_id,
                               absl::string_view table)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::StatusOr<std::vector<budget::v1::Submission>> QuerySubmissions(
      absl::string_view unit_code, int32_t fiscal_year, int64_t revision,
      bool with_budgets) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::Status AttachReviews(budget::v1::Submission& submission)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Calls `visit` with column 1 of each row of `query` (columns
  // consolidated_revision, payload; parameters $1 = after that revision,
  // $2 = page size), page by page in one read-only snapshot.
  absl::Status VisitPayloads(
      absl::string_view query,
      absl::FunctionRef<absl::Status(const std::string&)> visit)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  absl::Mutex mu_;
  std::unique_ptr<PgConnection> writer_ ABSL_GUARDED_BY(mu_);
  int64_t writer_epoch_ ABSL_GUARDED_BY(mu_) = 0;
  // The audit head this store's last commit of submissions left, while no
  // commit has failed since: the next commit chains after it without
  // reading it (and checks it still is the head).
  std::optional<auth::ChainHead> audit_head_ ABSL_GUARDED_BY(mu_);
  absl::Mutex reader_mu_;
  std::unique_ptr<PgConnection> reader_ ABSL_GUARDED_BY(reader_mu_);
};

}  // namespace storage

#endif  // STORAGE_POSTGRES_POSTGRES_STORE_H_
