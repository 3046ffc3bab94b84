// The storage interface of the ingest service: the unit registry, every
// accepted revision of every budget (kept as the exact bytes accepted, with
// its stage of the budget cycle), the cycle's other records (control
// figures, adjustments; exact bytes too), the consolidated totals of every
// node, reviews and year locks.
//
// CommitSubmissions is the one write that matters: each revision, its first
// answer and the new totals of the unit and all its ancestors become visible
// together or not at all, durable on disk before it returns.
//
// Implementations are thread-safe. The service serializes the
// read-decide-write sequence of submissions itself; the store checks that
// the revisions it is handed are the next ones and refuses otherwise, so a
// second writer can never fork the history.
#ifndef STORAGE_BUDGET_STORE_H_
#define STORAGE_BUDGET_STORE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "budget/v1/audit.pb.h"
#include "budget/v1/budget.pb.h"
#include "budget/v1/ingest_service.pb.h"

namespace storage {

// An accepted budget about to be stored.
struct NewSubmission {
  // Metadata: unit, year, revision, consolidated revision, request id,
  // submitter, time, warnings and stage. Its budget and reviews fields are
  // ignored.
  budget::v1::Submission metadata;
  // The serialized UnitBudget exactly as accepted; reads parse these bytes.
  std::string payload;
  // The serialized SubmitBudgetResponse, replayed to retries.
  std::string response;
  // New totals of the unit and every ancestor, all at the new consolidated
  // revision.
  std::vector<budget::v1::NodeTotals> totals;
  // The audit record of the call that made it (outcome OK), for a store
  // that AppendsAuditRecords: appended to the audit trail (audit_trail.h)
  // in the same transaction, so the revision and its record are durable
  // together or not at all. Its chain fields are set by the store.
  std::optional<budget::v1::AuditRecord> audit;
};

// What a request id was first used for.
struct StoredRequest {
  std::string payload;   // Serialized UnitBudget.
  std::string response;  // Serialized SubmitBudgetResponse.
  // The revision's budget.v1.BudgetStage; kNoStage for a cycle record.
  static constexpr int kNoStage = -1;
  int stage = kNoStage;
};

// A stored fact of the budget cycle that is not a revision: control figures
// or an adjustment (budget.v1.CycleRecord). It takes the next store-wide
// consolidated revision, the sequence submissions use, so that readers
// order both; the store keeps its bytes exactly as accepted and never
// interprets them.
struct NewCycleRecord {
  // The next consolidated revision (after every submission and record).
  int64_t consolidated_revision = 0;
  // Unique among the request ids of submissions and cycle records.
  std::string request_id;
  // The node the record is about (the unit of control figures, the node of
  // an adjustment) and its year, for listing.
  std::string node_code;
  int32_t fiscal_year = 0;
  // The serialized budget.v1.CycleRecord exactly as accepted.
  std::string payload;
  // The serialized first reply, replayed to retries.
  std::string response;
  // The audit record of the call that made it, appended in the record's
  // transaction by a store that AppendsAuditRecords (as NewSubmission's).
  std::optional<budget::v1::AuditRecord> audit;
};

// A year locked for a node.
struct YearLock {
  std::string node_code;
  int32_t fiscal_year = 0;
  std::string locked_by;
  int64_t locked_at_micros = 0;
  int64_t consolidated_revision = 0;
  // AddLock: the audit record of the call, appended in the lock's
  // transaction by a store that AppendsAuditRecords. Never loaded.
  std::optional<budget::v1::AuditRecord> audit;
};

class BudgetStore {
 public:
  virtual ~BudgetStore() = default;

  // Registered units in registration order, so parents come first.
  virtual absl::StatusOr<std::vector<budget::v1::Unit>> LoadUnits() = 0;
  // Registers `units`, in order, in one durable transaction (one sync for
  // all: group commit); all of them or none. ALREADY_EXISTS for a duplicate
  // code; the caller checks the tree rules. A store that
  // AppendsAuditRecords appends `audit` (the records of the calls that
  // registered them) in the same transaction, so that no crash leaves a
  // unit registered and its record missing; others ignore it.
  virtual absl::Status AddUnits(
      absl::Span<const budget::v1::Unit> units,
      absl::Span<const budget::v1::AuditRecord> audit) = 0;
  absl::Status AddUnit(const budget::v1::Unit& unit) {
    return AddUnits({&unit, 1}, {});
  }

  // The first use of `request_id` by a submission or a cycle record, or
  // nullopt.
  virtual absl::StatusOr<std::optional<StoredRequest>> FindRequest(
      absl::string_view request_id) = 0;
  // Calls `visit` with the request id of every submission and cycle record,
  // in no particular order, for rebuilding the writer's set of the ids used
  // at start (so that a new id needs no FindRequest). Stops at and returns
  // the first error `visit` returns.
  virtual absl::Status VisitRequestIds(
      absl::FunctionRef<absl::Status(absl::string_view request_id)> visit) = 0;
  // Stores revisions and their totals, in order, in one durable transaction
  // (one sync for all: group commit); all of them or none. ABORTED when a
  // revision or consolidated revision is not the next one; ALREADY_EXISTS
  // when a request id was used before.
  virtual absl::Status CommitSubmissions(
      absl::Span<const NewSubmission> submissions) = 0;
  absl::Status CommitSubmission(const NewSubmission& submission) {
    return CommitSubmissions({&submission, 1});
  }
  // Whether CommitSubmissions (and AddUnits) append each submission's
  // `audit` record (each unit's) to
  // the store's audit trail in its own transaction, chained in order after
  // the trail's head anchor under the trail's append lock (as
  // AuditTrail::AppendAll would): one durable write instead of two. When
  // false, `audit` is ignored and the caller appends the records to the
  // AuditTrail once the commit is durable.
  virtual bool AppendsAuditRecords() const { return false; }

  // One revision with its reviews; revision 0 is the latest. NOT_FOUND when
  // absent.
  virtual absl::StatusOr<budget::v1::Submission> GetSubmission(
      absl::string_view unit_code, int32_t fiscal_year, int64_t revision) = 0;
  // Every revision of a unit and year, oldest first, with reviews.
  virtual absl::StatusOr<std::vector<budget::v1::Submission>> ListSubmissions(
      absl::string_view unit_code, int32_t fiscal_year, bool with_budgets) = 0;
  // Calls `visit` with the latest revision of every unit and year, oldest
  // first, one at a time (a store may hold more budgets than fit in memory
  // as messages), for rebuilding in-memory consolidation at start. Stops at
  // and returns the first error `visit` returns.
  virtual absl::Status VisitLatestBudgets(
      absl::FunctionRef<absl::Status(const budget::v1::UnitBudget&)> visit) = 0;
  // The highest consolidated revision committed; 0 for an empty store.
  virtual absl::StatusOr<int64_t> ConsolidatedRevision() = 0;
  // Totals of a node and year; NOT_FOUND when nothing below it was
  // submitted.
  virtual absl::StatusOr<budget::v1::NodeTotals> GetNodeTotals(
      absl::string_view node_code, int32_t fiscal_year) = 0;

  // Stores cycle records, in order, in one durable transaction; all or
  // none. ABORTED when a consolidated revision is not the next one (the
  // sequence is shared with CommitSubmissions); ALREADY_EXISTS when a
  // request id was used before by a submission or a record.
  virtual absl::Status CommitCycleRecords(
      absl::Span<const NewCycleRecord> records) = 0;
  // Calls `visit` with the payload (a serialized budget.v1.CycleRecord) of
  // every cycle record, by consolidated revision, for rebuilding in-memory
  // state at start. Stops at and returns the first error `visit` returns.
  virtual absl::Status VisitCycleRecords(
      absl::FunctionRef<absl::Status(absl::string_view payload)> visit) = 0;

  // NOT_FOUND when the revision reviewed does not exist.
  // `audit`: the records of the call, appended in the review's transaction
  // by a store that AppendsAuditRecords.
  virtual absl::Status AddReview(
      const budget::v1::Review& review,
      absl::Span<const budget::v1::AuditRecord> audit) = 0;
  absl::Status AddReview(const budget::v1::Review& review) {
    return AddReview(review, {});
  }
  // ALREADY_EXISTS when the node and year are locked already. Records the
  // lock at lock.consolidated_revision, or at the store's newest revision
  // when that is later (a writer whose idea of it lags): a feed reader
  // past the newest revision then still reads the lock (FeedBatch::locks).
  virtual absl::Status AddLock(const YearLock& lock) = 0;
  virtual absl::StatusOr<std::vector<YearLock>> LoadLocks() = 0;

  // Fences every later write with writer-lease epoch `epoch` (the writer
  // election of the ingest service; 0: unfenced): once another process has
  // taken the lease (a higher epoch), writes fail UNAVAILABLE instead of
  // landing. A backend whose writer cannot lose its lease while it lives
  // (SQLite's file lock) ignores it.
  virtual void SetWriterEpoch(int64_t epoch) {}
};

}  // namespace storage

#endif  // STORAGE_BUDGET_STORE_H_
