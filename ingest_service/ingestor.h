// The ingest use cases without the transport: registers units, validates
// and stores budget revisions with their consolidated totals, records
// reviews and locks years. The gRPC service (ingest_service.h) only
// translates requests and results.
//
// Holds the registry (UnitTree) and the current budgets (Consolidator) in
// memory, rebuilt from the store at start; the store stays the authority.
// Decisions are serialized by one mutex, so the revision numbers it hands
// the store are always the next ones.
//
// Group commit: an accepted submission is applied in memory and queued;
// one caller at a time commits everything queued in one store transaction
// while the others validate and queue behind it, and each caller returns
// only once its own transaction is durable. When a transaction fails, every
// submission queued since the last durable one fails (none is
// acknowledged: later ones were decided on top of it) and memory is rolled
// back to the store's state.
//
// Borrows the store, which must outlive it. Thread-safe.
#ifndef INGEST_SERVICE_INGESTOR_H_
#define INGEST_SERVICE_INGESTOR_H_

#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "budget/consolidation/consolidator.h"
#include "budget/consolidation/unit_tree.h"
#include "budget/v1/ingest_service.pb.h"
#include "ingest_service/ingest_observer.h"
#include "storage/budget_store.h"

namespace ingest {

// The answer to one submitted budget.
struct SubmitOutcome {
  // OK, or why not. INVALID_ARGUMENT with a non-empty report when rules
  // broke.
  absl::Status status;
  budget::v1::SubmitBudgetResponse response;  // When OK.
  budget::v1::ValidationReport report;        // Every finding.
};

class Ingestor {
 public:
  // Loads the registry, the latest budgets and the locks from `store`.
  // `strict` makes every submission strict.
  static absl::StatusOr<std::unique_ptr<Ingestor>> Create(
      storage::BudgetStore* store, bool strict);

  Ingestor(const Ingestor&) = delete;
  Ingestor& operator=(const Ingestor&) = delete;

  // Tells `observer` (borrowed; outlives this) of every submission and
  // commit. Call before the ingestor is shared between threads.
  void set_observer(IngestObserver* observer) { observer_ = observer; }
  // The latest durable consolidated revision.
  int64_t ConsolidatedRevision() const;

  absl::StatusOr<budget::v1::Unit> RegisterUnit(const budget::v1::Unit& unit);
  // `root_code` and everything below it; the whole registry when empty.
  // The node's code and its ancestors' (auth/lineage.h).
  std::vector<std::string> Lineage(absl::string_view code) const;
  absl::StatusOr<std::vector<budget::v1::Unit>> ListUnits(
      const std::string& root_code) const;

  // Validates, then (unless validate_only) stores a new revision and the
  // totals of the unit and its ancestors in one transaction, shared with
  // the submissions queued alongside it; returns once that transaction is
  // durable or has failed. Nothing is queued once `deadline` has passed.
  // `submitted_by` is who the revision is recorded as submitted by (the
  // service attributes the caller); the request's own field is not read.
  SubmitOutcome Submit(const budget::v1::SubmitBudgetRequest& request,
                       absl::string_view submitted_by, absl::Time deadline);

  absl::StatusOr<budget::v1::Submission> GetSubmission(
      const budget::v1::GetSubmissionRequest& request) const;
  // One page of the revisions (ingest_service.proto: page_size,
  // page_token); INVALID_ARGUMENT for a token that is not one of ours.
  absl::StatusOr<budget::v1::ListSubmissionsResponse> ListSubmissions(
      const budget::v1::ListSubmissionsRequest& request) const;
  // FAILED_PRECONDITION once the year is locked for the unit or a node
  // above it: a locked budget is final.
  absl::StatusOr<budget::v1::Review> Review(
      const budget::v1::ReviewSubmissionRequest& request);
  // One page of the validation report of request.budget(), validated as
  // Submit would; INVALID_ARGUMENT for a bad page token or size.
  absl::StatusOr<budget::v1::ValidateBudgetResponse> ValidatePage(
      const budget::v1::ValidateBudgetRequest& request) const;
  // Locks a year for a node. FAILED_PRECONDITION unless at least one unit
  // below the node has a budget for the year and every such unit's latest
  // revision has an approval as its latest review.
  absl::StatusOr<budget::v1::LockYearResponse> LockYear(
      const budget::v1::LockYearRequest& request);

 private:
  Ingestor(storage::BudgetStore* store, bool strict)
      : store_(store), strict_(strict), consolidator_(&tree_) {}

  absl::Status Load();
  // Submit without telling the observer.
  SubmitOutcome SubmitUnobserved(const budget::v1::SubmitBudgetRequest& request,
                                 absl::string_view submitted_by,
                                 absl::Time deadline);
  // Every finding on `budget` (validation.h), against the registry and the
  // unit's prior-year budget.
  budget::v1::ValidationReport Validate(const budget::v1::UnitBudget& budget,
                                        bool strict) const
      ABSL_SHARED_LOCKS_REQUIRED(mu_);
  // Validation, lock check and totals of a request; fills `outcome`.
  void Decide(const budget::v1::SubmitBudgetRequest& request,
              SubmitOutcome& outcome) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // A queued submission and what undoes it in memory.
  struct Queued {
    std::string unit_code;
    int32_t year = 0;
    std::string request_id;
    std::shared_ptr<const budget::PackedBudget> previous;  // Null: none.
    int64_t previous_unit_revision = 0;
    absl::Status* status;  // The caller's; set when its transaction ends.
    bool* durable_or_failed;
  };

  // Applies an accepted submission in memory and queues it for the next
  // transaction; fills the response.
  absl::Status Enqueue(const budget::v1::SubmitBudgetRequest& request,
                       absl::string_view submitted_by, std::string payload,
                       SubmitOutcome& outcome, absl::Status* status,
                       bool* durable_or_failed)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Returns once `*durable_or_failed`, committing queued batches itself
  // whenever no other caller is; the batches it settles go to `settled`.
  void AwaitCommit(const bool* durable_or_failed, std::vector<Queued>& settled)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Commits everything queued in one transaction, without the lock held
  // while the store syncs, and moves the batch to `settled`: the caller
  // frees the budgets it replaced once the lock is released.
  void CommitQueue(std::vector<Queued>& settled)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Undoes `undone` in memory, newest first.
  void RollBack(const std::vector<Queued>& undone)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // The latest revision of a unit and year, queued ones included.
  absl::StatusOr<int64_t*> LatestUnitRevision(const std::string& unit_code,
                                              int32_t year)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::Status CheckNotLocked(const std::string& unit_code, int32_t year) const
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::Status CheckApproved(const std::string& unit_code, int32_t year) const;

  storage::BudgetStore* const store_;
  const bool strict_;
  IngestObserver* observer_ = nullptr;
  mutable absl::Mutex mu_;
  budget::UnitTree tree_ ABSL_GUARDED_BY(mu_);
  budget::Consolidator consolidator_ ABSL_GUARDED_BY(mu_);
  std::set<std::pair<std::string, int32_t>> locks_ ABSL_GUARDED_BY(mu_);
  int64_t consolidated_revision_ ABSL_GUARDED_BY(mu_) = 0;  // Durable.
  int64_t queued_revision_ ABSL_GUARDED_BY(mu_) = 0;        // Last handed out.
  // Per unit and year, read from the store on first use.
  absl::flat_hash_map<std::pair<std::string, int32_t>, int64_t> unit_revisions_
      ABSL_GUARDED_BY(mu_);
  // Waiting for a transaction, in order; the rows to store, one per entry.
  std::vector<Queued> queue_ ABSL_GUARDED_BY(mu_);
  std::vector<storage::NewSubmission> queued_rows_ ABSL_GUARDED_BY(mu_);
  bool committing_ ABSL_GUARDED_BY(mu_) = false;
  // Request ids queued or being committed: a retry waits for the first.
  absl::flat_hash_set<std::string> pending_requests_ ABSL_GUARDED_BY(mu_);
};

}  // namespace ingest

#endif  // INGEST_SERVICE_INGESTOR_H_
