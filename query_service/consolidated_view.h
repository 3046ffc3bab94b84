// The query service's in-memory state: the unit tree and a Consolidator per
// stage of the budget cycle (stage_budgets.h) holding the budgets of every
// unit, at one consolidated revision of the store, and the log of revisions
// applied (for Watch).
//
// Thread-safe. Readers share a lock; the applier takes it exclusively once
// per consolidated revision, so a query never sees a half-applied revision.
// The applier (Apply and CompactRollups, one at a time) is the only writer
// of the budgets and rollups, so it compacts a held rollup's cells
// (budget/consolidation/expenditure_cells.h) in two steps: it builds the
// compacted arrays holding no lock, while readers read the cells, then
// takes the lock exclusively only to swap them in (O(1)). A reader never
// waits on a compaction's copying.
// New units are added to the tree in place (the Consolidator re-applies only
// budgets naming them as transfer counterparts); submissions are applied in
// time proportional to their lines.
#ifndef QUERY_SERVICE_CONSOLIDATED_VIEW_H_
#define QUERY_SERVICE_CONSOLIDATED_VIEW_H_

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "auth/authorization.h"
#include "budget/consolidation/consolidator.h"
#include "budget/consolidation/unit_tree.h"
#include "budget/v1/budget.pb.h"
#include "budget/v1/cycle.pb.h"
#include "query_service/revision_waiters.h"
#include "query_service/stage_budgets.h"
#include "storage/submission_feed.h"

namespace query {

// One applied revision and the new totals of every node on its unit's path.
struct AppliedRevision {
  int64_t revision = 0;
  std::string unit_code;
  int32_t fiscal_year = 0;
  int64_t unit_revision = 0;  // 0 for a cycle record.
  // Unit first; for an adjustment, the path of each unit it changes (each
  // node once); none for control figures.
  std::vector<budget::v1::NodeTotals> path_totals;
  // The revision's stage (UNSPECIFIED outside the cycle); ADJUSTED for an
  // adjustment. The totals are those of the stage it is read at.
  budget::v1::BudgetStage stage = budget::v1::BUDGET_STAGE_UNSPECIFIED;
};

class ConsolidatedView {
 public:
  // Watch replays the newest `replay_revisions` applied revisions to a
  // caller asking for revisions after an older one; the log of them is what
  // the view holds beside the budgets, so it is bounded (0: no replay, for a
  // view read once, as a past state is).
  static constexpr size_t kDefaultReplayRevisions = 10000;
  explicit ConsolidatedView(
      RevisionWaiters::Limits wait_limits = RevisionWaiters::Limits(),
      size_t replay_revisions = kDefaultReplayRevisions);

  // Applies new units, then each submission in order, one revision at a
  // time. A submission the Consolidator refuses (the ingest side validated
  // it, so only a defect gets here) is logged and skipped so tailing goes on.
  // A batch read as of a past revision (as_of_views.h) leaves the view at
  // that revision.
  void Apply(const storage::FeedBatch& batch);

  // Reads waiting for a revision; told of each one applied.
  RevisionWaiters& waiters() { return waiters_; }

  // How many of the newest revisions Watch replays: a backlog read before
  // the store's head minus these need not hold the revisions a later one
  // replaces (StoreTailer), since none of them would stay in the log.
  size_t replay_revisions() const { return replay_revisions_; }

  // A batch read from the store with its budgets packed: `packed` holds one
  // budget per submission, null for a cycle record; the submissions' own
  // budget messages are emptied.
  struct PackedBatch {
    storage::FeedBatch feed;
    std::vector<std::shared_ptr<const budget::PackedBudget>> packed;
  };
  // Packs a batch's budgets on the calling thread. Touches no view, takes
  // no lock: a tailer packs the next batches on other threads while this
  // view applies the one before, so that decoding and consolidating share
  // the cores (backlog_pipeline.h).
  static PackedBatch Pack(storage::FeedBatch batch);
  // When Apply compacts the held rollups its writes made due.
  enum class Compactions {
    // After the batch's last revision is visible (outside the exclusive
    // lock, see above), so that a fold delays none of the batch's.
    kAfterBatch,
    // Not at all, for a backlog (a cold start), where each rollup is
    // written many times in a row: its new cells stay a hash map, where a
    // look-up costs a hash instead of a binary search of the arrays (that
    // search doubled a cold start's consolidating at L). CompactRollups
    // compacts them at the backlog's end.
    kAtEnd,
  };
  // Apply, for a batch packed already.
  void Apply(const PackedBatch& batch,
             Compactions compactions = Compactions::kAfterBatch);
  // Compacts the held rollups that batches applied with
  // Compactions::kAtEnd left due.
  void CompactRollups();

  // Runs `read` with the consolidated state of `stage` (UNSPECIFIED:
  // APPROVED) and its revision under the shared lock; `read` must not keep
  // references past its return.
  template <typename Read>
  auto WithStage(budget::v1::BudgetStage stage, Read read) const {
    absl::ReaderMutexLock lock(&mu_);
    return read(stages_->Stage(stage), revision_);
  }
  // WithStage of the approved budgets, what the tables publish.
  template <typename Read>
  auto WithState(Read read) const {
    return WithStage(budget::v1::BUDGET_STAGE_APPROVED, std::move(read));
  }
  // Another stage's state, for a `read` running in WithStage (which holds
  // the lock) that compares stages.
  const budget::Consolidator& OtherStage(budget::v1::BudgetStage stage) const
      ABSL_NO_THREAD_SAFETY_ANALYSIS {
    return stages_->Stage(stage);
  }
  // The control figures last issued to a unit for a year (null when none),
  // for a `read` running in WithStage; valid until it returns.
  const budget::v1::ControlFigures* ControlOf(absl::string_view unit_code,
                                              int32_t year) const
      ABSL_NO_THREAD_SAFETY_ANALYSIS {
    return stages_->Control(unit_code, year);
  }
  // The consolidated revision of the latest control figures applied (0:
  // none), for a `read` running in WithStage: answers built from control
  // figures are cached under it, since issuing them changes no totals.
  int64_t ControlRevision() const ABSL_NO_THREAD_SAFETY_ANALYSIS {
    return control_revision_;
  }

  // Calls `listener` (under the view's lock: it must only enqueue) with
  // every applied revision after `after_revision` (0: none) already logged,
  // then with each new one after it, until Unsubscribe. Returns the
  // subscription id, or OUT_OF_RANGE when revisions after `after_revision`
  // have left the replay log (the caller would miss them silently). While
  // no one watches, a backlog's revisions the log would drop before the
  // backlog's end (FeedBatch::head_revision) are never logged.
  using Listener = std::function<void(const AppliedRevision&)>;

  // What authorization needs to know about a read of `node_code` in
  // `fiscal_year` at `stage`: its ancestry, and whether the year is locked
  // for it or an ancestor (published) and the stage approved or adjusted:
  // proposals and submissions are never published.
  auth::Target TargetOf(absl::string_view node_code, int32_t fiscal_year,
                        budget::v1::BudgetStage stage =
                            budget::v1::BUDGET_STAGE_UNSPECIFIED) const;
  absl::StatusOr<int64_t> Subscribe(int64_t after_revision, Listener listener);
  void Unsubscribe(int64_t id);

 private:
  void AddUnits(const std::vector<budget::v1::Unit>& units)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // `head_revision`: the store's newest revision when the submission was
  // read (FeedBatch::head_revision; 0 when not known).
  void ApplySubmission(const storage::FeedSubmission& submission,
                       std::shared_ptr<const budget::PackedBudget> packed,
                       int64_t head_revision)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // The entry of a cycle record applied to the stages.
  AppliedRevision ApplyRecord(const storage::FeedSubmission& submission)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Compacts the rollups due (StageBudgets::TakeDueRollups), one at a
  // time: builds its arrays without mu_, swaps them in under it, and frees
  // the replaced ones after releasing it.
  void CompactDue() ABSL_EXCLUSIVE_LOCKS_REQUIRED(apply_mu_)
      ABSL_LOCKS_EXCLUDED(mu_);

  // Held by the applier: Apply and CompactRollups run one at a time, so the
  // rollups' only writer may read them without mu_. Taken before mu_.
  absl::Mutex apply_mu_ ABSL_ACQUIRED_BEFORE(mu_);
  mutable absl::Mutex mu_;
  std::unique_ptr<budget::UnitTree> tree_ ABSL_GUARDED_BY(mu_);
  std::unique_ptr<StageBudgets> stages_ ABSL_GUARDED_BY(mu_);
  int64_t revision_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t control_revision_ ABSL_GUARDED_BY(mu_) = 0;
  const size_t replay_revisions_;
  std::deque<AppliedRevision> log_ ABSL_GUARDED_BY(mu_);
  // The newest revision dropped from log_ (0: none dropped).
  int64_t forgotten_through_ ABSL_GUARDED_BY(mu_) = 0;
  std::map<int64_t, Listener> listeners_ ABSL_GUARDED_BY(mu_);
  int64_t next_listener_ ABSL_GUARDED_BY(mu_) = 1;
  std::set<std::pair<std::string, int32_t>> locks_ ABSL_GUARDED_BY(mu_);
  RevisionWaiters waiters_;  // Told outside mu_: their reads take it.
};

}  // namespace query

#endif  // QUERY_SERVICE_CONSOLIDATED_VIEW_H_
