// A BudgetStore for tests of the Ingestor and the service above it: it
// delegates to a real store, and can hold commits open, fail them, or hold
// a request lookup's result, and counts what it was asked. Thread-safe.
#ifndef TESTS_INGEST_GATED_STORE_H_
#define TESTS_INGEST_GATED_STORE_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "storage/budget_store.h"

namespace ingest_test {

// Delegates to `store`; records batch sizes, fails commits on demand, and
// can hold commits until enough requests have been looked up or until
// released.
class GatedStore : public storage::BudgetStore {
 public:
  explicit GatedStore(std::unique_ptr<storage::BudgetStore> store)
      : store_(std::move(store)) {}

  void FailCommits(bool fail) {
    absl::MutexLock lock(&mu_);
    fail_ = fail;
  }
  // The next commit waits until `lookups` request lookups have read the
  // store, and `reads` revision reads (an Ingestor reads a unit's latest
  // revision under its lock while deciding the unit's first submission).
  void HoldNextCommitUntil(int lookups, int reads) {
    absl::MutexLock lock(&mu_);
    hold_until_lookups_ = lookups;
    hold_until_reads_ = reads;
  }
  // Every commit waits, before it reaches the store, until ReleaseCommits.
  void HoldCommits() {
    absl::MutexLock lock(&mu_);
    commits_held_ = true;
  }
  void ReleaseCommits() {
    absl::MutexLock lock(&mu_);
    commits_held_ = false;
  }
  // The `n`-th request lookup (from 1) returns what it read only once
  // `release` is notified: by then the answer may be stale.
  void HoldLookupResult(int n, absl::Notification* release) {
    absl::MutexLock lock(&mu_);
    held_lookup_ = n;
    release_lookup_ = release;
  }
  // Every AddUnits call holding `code` fails.
  void FailUnit(const std::string& code) {
    absl::MutexLock lock(&mu_);
    failing_unit_ = code;
  }
  std::vector<size_t> batch_sizes() const {
    absl::MutexLock lock(&mu_);
    return batch_sizes_;
  }
  int lookups() const {
    absl::MutexLock lock(&mu_);
    return lookups_;
  }
  // Revision reads (GetSubmission) so far.
  int reads() const {
    absl::MutexLock lock(&mu_);
    return reads_;
  }
  // Whether `reads` revision reads have happened within `timeout`.
  bool AwaitReads(int reads, absl::Duration timeout) const {
    absl::MutexLock lock(&mu_);
    auto reached = [this, reads]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      return reads_ >= reads;
    };
    return mu_.AwaitWithTimeout(absl::Condition(&reached), timeout);
  }

  absl::Status CommitSubmissions(
      absl::Span<const storage::NewSubmission> submissions) override {
    {
      absl::MutexLock lock(&mu_);
      auto released = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
        return !commits_held_ && lookups_ >= hold_until_lookups_ &&
               reads_ >= hold_until_reads_;
      };
      mu_.Await(absl::Condition(&released));
      hold_until_lookups_ = 0;
      hold_until_reads_ = 0;
      batch_sizes_.push_back(submissions.size());
      if (fail_) return absl::UnavailableError("disk gone");
    }
    return store_->CommitSubmissions(submissions);
  }
  bool AppendsAuditRecords() const override {
    return store_->AppendsAuditRecords();
  }
  void SetWriterEpoch(int64_t epoch) override { store_->SetWriterEpoch(epoch); }
  absl::StatusOr<std::optional<storage::StoredRequest>> FindRequest(
      absl::string_view request_id) override {
    absl::StatusOr<std::optional<storage::StoredRequest>> found =
        store_->FindRequest(request_id);
    absl::Notification* release = nullptr;
    {
      absl::MutexLock lock(&mu_);
      if (++lookups_ == held_lookup_) release = release_lookup_;
    }
    if (release != nullptr) release->WaitForNotification();
    return found;
  }
  absl::Status VisitRequestIds(
      absl::FunctionRef<absl::Status(absl::string_view)> visit) override {
    return store_->VisitRequestIds(visit);
  }

  absl::StatusOr<std::vector<budget::v1::Unit>> LoadUnits() override {
    return store_->LoadUnits();
  }
  absl::Status AddUnits(
      absl::Span<const budget::v1::Unit> units,
      absl::Span<const budget::v1::AuditRecord> audit) override {
    {
      absl::MutexLock lock(&mu_);
      for (const budget::v1::Unit& unit : units) {
        if (unit.code() == failing_unit_) {
          return absl::UnavailableError("disk gone");
        }
      }
    }
    return store_->AddUnits(units, audit);
  }
  absl::StatusOr<budget::v1::Submission> GetSubmission(
      absl::string_view unit_code, int32_t fiscal_year,
      int64_t revision) override {
    {
      absl::MutexLock lock(&mu_);
      ++reads_;
    }
    return store_->GetSubmission(unit_code, fiscal_year, revision);
  }
  absl::StatusOr<std::vector<budget::v1::Submission>> ListSubmissions(
      absl::string_view unit_code, int32_t fiscal_year,
      bool with_budgets) override {
    return store_->ListSubmissions(unit_code, fiscal_year, with_budgets);
  }
  absl::Status VisitLatestBudgets(
      absl::FunctionRef<absl::Status(const budget::v1::UnitBudget&)> visit)
      override {
    return store_->VisitLatestBudgets(visit);
  }
  absl::StatusOr<int64_t> ConsolidatedRevision() override {
    return store_->ConsolidatedRevision();
  }
  absl::StatusOr<budget::v1::NodeTotals> GetNodeTotals(
      absl::string_view node_code, int32_t fiscal_year) override {
    return store_->GetNodeTotals(node_code, fiscal_year);
  }
  absl::Status CommitCycleRecords(
      absl::Span<const storage::NewCycleRecord> records) override {
    return store_->CommitCycleRecords(records);
  }
  absl::Status VisitCycleRecords(
      absl::FunctionRef<absl::Status(absl::string_view)> visit) override {
    return store_->VisitCycleRecords(visit);
  }
  using BudgetStore::AddReview;
  absl::Status AddReview(
      const budget::v1::Review& review,
      absl::Span<const budget::v1::AuditRecord> audit) override {
    return store_->AddReview(review, audit);
  }
  absl::Status AddLock(const storage::YearLock& lock) override {
    return store_->AddLock(lock);
  }
  absl::StatusOr<std::vector<storage::YearLock>> LoadLocks() override {
    return store_->LoadLocks();
  }

 private:
  std::unique_ptr<storage::BudgetStore> store_;
  mutable absl::Mutex mu_;
  bool fail_ ABSL_GUARDED_BY(mu_) = false;
  bool commits_held_ ABSL_GUARDED_BY(mu_) = false;
  int lookups_ ABSL_GUARDED_BY(mu_) = 0;
  int hold_until_lookups_ ABSL_GUARDED_BY(mu_) = 0;
  int reads_ ABSL_GUARDED_BY(mu_) = 0;
  int hold_until_reads_ ABSL_GUARDED_BY(mu_) = 0;
  int held_lookup_ ABSL_GUARDED_BY(mu_) = 0;
  absl::Notification* release_lookup_ ABSL_GUARDED_BY(mu_) = nullptr;
  std::vector<size_t> batch_sizes_ ABSL_GUARDED_BY(mu_);
  std::string failing_unit_ ABSL_GUARDED_BY(mu_);
};

}  // namespace ingest_test

#endif  // TESTS_INGEST_GATED_STORE_H_
