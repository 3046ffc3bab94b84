// The ingest use cases without the transport: registers units, validates
// and stores budget revisions with their consolidated totals, records
// reviews and locks years. The gRPC service (ingest_service.h) only
// translates requests and results.
//
// Holds the registry (UnitTree) and the current budgets (Consolidator) in
// memory, rebuilt from the store at start; the store stays the authority.
// Writes are serialized by one mutex, so the revision numbers it hands the
// store are always the next ones.
//
// Borrows the store, which must outlive it. Thread-safe.
#ifndef INGEST_SERVICE_INGESTOR_H_
#define INGEST_SERVICE_INGESTOR_H_

#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "budget/consolidation/consolidator.h"
#include "budget/consolidation/unit_tree.h"
#include "budget/v1/ingest_service.pb.h"
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

  absl::StatusOr<budget::v1::Unit> RegisterUnit(const budget::v1::Unit& unit);
  // `root_code` and everything below it; the whole registry when empty.
  // The node's code and its ancestors' (auth/lineage.h).
  std::vector<std::string> Lineage(absl::string_view code) const;
  absl::StatusOr<std::vector<budget::v1::Unit>> ListUnits(
      const std::string& root_code) const;

  // Validates, then (unless validate_only) stores a new revision and the
  // totals of the unit and its ancestors in one transaction. Nothing is
  // stored once `deadline` has passed.
  SubmitOutcome Submit(const budget::v1::SubmitBudgetRequest& request,
                       absl::Time deadline);

  absl::StatusOr<budget::v1::Submission> GetSubmission(
      const budget::v1::GetSubmissionRequest& request) const;
  absl::StatusOr<budget::v1::ListSubmissionsResponse> ListSubmissions(
      const budget::v1::ListSubmissionsRequest& request) const;
  absl::StatusOr<budget::v1::Review> Review(
      const budget::v1::ReviewSubmissionRequest& request);
  // Locks a year for a node. FAILED_PRECONDITION unless at least one unit
  // below the node has a budget for the year and every such unit's latest
  // revision has an approval as its latest review.
  absl::StatusOr<budget::v1::LockYearResponse> LockYear(
      const budget::v1::LockYearRequest& request);

 private:
  Ingestor(storage::BudgetStore* store, bool strict)
      : store_(store), strict_(strict), consolidator_(&tree_) {}

  absl::Status Load();
  // Validation, lock check and totals of a request; fills `outcome`.
  void Decide(const budget::v1::SubmitBudgetRequest& request,
              SubmitOutcome& outcome) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::Status Commit(const budget::v1::SubmitBudgetRequest& request,
                      const std::string& payload, SubmitOutcome& outcome)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::Status CheckNotLocked(const std::string& unit_code, int32_t year) const
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::Status CheckApproved(const std::string& unit_code, int32_t year) const;

  storage::BudgetStore* const store_;
  const bool strict_;
  mutable absl::Mutex mu_;
  std::vector<budget::v1::Unit> units_ ABSL_GUARDED_BY(mu_);  // As stored.
  budget::UnitTree tree_ ABSL_GUARDED_BY(mu_);
  budget::Consolidator consolidator_ ABSL_GUARDED_BY(mu_);
  std::set<std::pair<std::string, int32_t>> locks_ ABSL_GUARDED_BY(mu_);
  int64_t consolidated_revision_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace ingest

#endif  // INGEST_SERVICE_INGESTOR_H_
