// The SQLite implementation of BudgetStore: one database file in WAL mode,
// every write a transaction synced to disk (synchronous=FULL) before it
// returns. The schema is documented in storage/README.md; readers such as
// the query service may open the same file read-only and tail the
// submissions table by consolidated_revision.
//
// Owns its connections and closes them on destruction. Thread-safe: the
// writing connection behind a mutex (SQLite allows one writer at a time
// anyway), a read-only one behind another for FindRequest, and a third
// that checkpoints the WAL on a thread of its own (sqlite_checkpointer.h).
#ifndef STORAGE_SQLITE_STORE_H_
#define STORAGE_SQLITE_STORE_H_

#include <sqlite3.h>

#include <memory>
#include <string>

#include "absl/synchronization/mutex.h"
#include "storage/budget_store.h"
#include "storage/sqlite_checkpointer.h"
#include "storage/sqlite_statement.h"

namespace storage {

// The store-wide consolidated revision (0 for an empty store): submissions
// and cycle records share one sequence.
inline constexpr char kSqliteRevisionQuery[] =
    "SELECT MAX((SELECT COALESCE(MAX(consolidated_revision), 0) FROM "
    "submissions), (SELECT COALESCE(MAX(consolidated_revision), 0) FROM "
    "cycle_records))";

class SqliteStore : public BudgetStore {
 public:
  // Opens or creates the database at `path`, creating the schema when the
  // file is new. FAILED_PRECONDITION for a schema version it does not know.
  static absl::StatusOr<std::unique_ptr<SqliteStore>> Open(
      const std::string& path);
  ~SqliteStore() override;

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
  absl::Status CommitSubmissions(
      absl::Span<const NewSubmission> submissions) override;
  bool AppendsAuditRecords() const override { return true; }
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

 private:
  explicit SqliteStore(sqlite3* db) : db_(db), statements_(db) {}

  absl::Status InitSchema() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Chains copies of `audit` onto the audit trail inside the caller's open
  // transaction (AppendsAuditRecords).
  absl::Status AppendAudit(absl::Span<const budget::v1::AuditRecord> audit)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Brings a schema of an older version to kSchemaVersion.
  absl::Status Upgrade(int64_t from_version) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::Status InsertSubmission(const NewSubmission& submission)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::StatusOr<int64_t> ConsolidatedRevisionLocked()
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::StatusOr<std::vector<budget::v1::Submission>> QuerySubmissions(
      absl::string_view unit_code, int32_t fiscal_year, int64_t revision,
      bool with_budgets) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // ALREADY_EXISTS when `table` holds `request_id`: request ids are unique
  // across submissions and cycle_records.
  absl::Status RequestIdUnused(absl::string_view request_id,
                               absl::string_view table)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::Status AttachReviews(budget::v1::Submission& submission)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Calls `visit` with column 0 of each row of `query`, in its order.
  absl::Status VisitColumn(
      absl::string_view query,
      absl::FunctionRef<absl::Status(absl::string_view)> visit)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  absl::Mutex mu_;
  sqlite3* db_ ABSL_GUARDED_BY(mu_);
  // The statements every submission runs.
  SqliteStatementCache statements_ ABSL_GUARDED_BY(mu_);
  // A read-only connection for the request-id look-up that precedes every
  // submission: WAL lets it read the last commit while db_ syncs the next
  // one, so deciding a submission never waits for another's sync.
  absl::Mutex reader_mu_;
  sqlite3* reader_ ABSL_GUARDED_BY(reader_mu_) = nullptr;
  std::unique_ptr<SqliteStatementCache> reader_statements_
      ABSL_GUARDED_BY(reader_mu_);
  // Checkpoints the WAL off the writer's commits (sqlite_checkpointer.h).
  std::unique_ptr<SqliteCheckpointer> checkpointer_;
};

}  // namespace storage

#endif  // STORAGE_SQLITE_STORE_H_
