#include "query_service/consolidated_view.h"

#include <algorithm>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "auth/lineage.h"
#include "budget/consolidation/path_totals.h"
#include "budget/cycle/stage.h"

namespace query {
namespace {

// A submission's budget packed; null for a cycle record. A budget left
// serialized is packed from its bytes (PackedBudget::FromWire), not parsed
// first: at a cold start parsing was the largest part of packing.
std::shared_ptr<const budget::PackedBudget> PackedOf(
    const storage::FeedSubmission& submission) {
  if (submission.record.has_value()) return nullptr;
  if (submission.budget_payload.empty()) {
    return std::make_shared<const budget::PackedBudget>(submission.budget);
  }
  std::optional<budget::PackedBudget> packed =
      budget::PackedBudget::FromWire(submission.budget_payload);
  if (!packed.has_value()) {
    // Only a defect gets here (the ingest service wrote these bytes from a
    // parsed message): packed empty, the consolidator refuses it and the
    // view logs and skips it, as any refused submission.
    absl::FPrintF(stderr,
                  "query_service: the budget at consolidated revision %d "
                  "does not parse\n",
                  submission.consolidated_revision);
    return std::make_shared<const budget::PackedBudget>(
        budget::v1::UnitBudget());
  }
  return std::make_shared<const budget::PackedBudget>(*std::move(packed));
}

}  // namespace

ConsolidatedView::ConsolidatedView(RevisionWaiters::Limits wait_limits,
                                   size_t replay_revisions)
    : tree_(std::make_unique<budget::UnitTree>()),
      stages_(std::make_unique<StageBudgets>(tree_.get())),
      replay_revisions_(replay_revisions),
      waiters_(wait_limits) {}

ConsolidatedView::PackedBatch ConsolidatedView::Pack(storage::FeedBatch batch) {
  PackedBatch packed{std::move(batch), {}};
  std::vector<storage::FeedSubmission>& submissions = packed.feed.submissions;
  packed.packed.reserve(submissions.size());
  for (storage::FeedSubmission& submission : submissions) {
    packed.packed.push_back(PackedOf(submission));
    // Freed here, by the thread that packed it: freeing it where the batch
    // is applied costs that thread the allocator's cross-arena work.
    submission.budget = budget::v1::UnitBudget();
    submission.budget_payload = std::string();
  }
  return packed;
}

void ConsolidatedView::Apply(const storage::FeedBatch& batch) {
  PackedBatch packed{{}, {}};
  packed.feed.units = batch.units;
  packed.feed.last_unit_seq = batch.last_unit_seq;
  packed.feed.locks = batch.locks;
  packed.feed.as_of_revision = batch.as_of_revision;
  for (const storage::FeedSubmission& submission : batch.submissions) {
    // Everything but the budget, which is held packed.
    storage::FeedSubmission& entry = packed.feed.submissions.emplace_back();
    entry.consolidated_revision = submission.consolidated_revision;
    entry.unit_revision = submission.unit_revision;
    entry.stage = submission.stage;
    entry.record = submission.record;
    packed.packed.push_back(PackedOf(submission));
  }
  Apply(packed);
}

void ConsolidatedView::Apply(const PackedBatch& batch,
                             Compactions compactions) {
  absl::MutexLock applying(&apply_mu_);
  {
    absl::MutexLock lock(&mu_);
    if (!batch.feed.units.empty()) AddUnits(batch.feed.units);
    // Only the locks recorded since the last batch (FeedBatch::locks).
    locks_.insert(batch.feed.locks.begin(), batch.feed.locks.end());
  }
  for (size_t i = 0; i < batch.feed.submissions.size(); ++i) {
    const storage::FeedSubmission& submission = batch.feed.submissions[i];
    {
      absl::MutexLock lock(&mu_);
      ApplySubmission(submission, batch.packed[i], batch.feed.head_revision);
    }
    waiters_.Applied(submission.consolidated_revision);
  }
  if (batch.feed.as_of_revision > 0) {
    // A past state: its revision is the one asked, whatever its last entry.
    absl::MutexLock lock(&mu_);
    revision_ = std::max(revision_, batch.feed.as_of_revision);
  }
  if (compactions == Compactions::kAfterBatch) CompactDue();
}

void ConsolidatedView::CompactRollups() {
  absl::MutexLock applying(&apply_mu_);
  CompactDue();
}

void ConsolidatedView::CompactDue() {
  std::vector<std::shared_ptr<budget::NodeRollup>> due;
  {
    absl::MutexLock lock(&mu_);
    due = stages_->TakeDueRollups();
  }
  // Readers read these cells meanwhile; nothing writes them (apply_mu_).
  // One rollup at a time, so that its replaced cells are freed before the
  // next is built: a cold start's end compacts every held rollup, and
  // building them all first would hold both forms of every rollup at once.
  for (const std::shared_ptr<budget::NodeRollup>& rollup : due) {
    budget::ExpenditureCells::Compaction built =
        rollup->expenditure.Compacted();
    {
      absl::MutexLock lock(&mu_);
      // Cannot fail: nothing wrote the cells since. Were it to, the rollup
      // would stay uncompacted until a write noted it due again.
      rollup->expenditure.Install(built);
    }
    // `built` now holds the replaced cells: freed here, outside the lock.
  }
}

auth::Target ConsolidatedView::TargetOf(absl::string_view node_code,
                                        int32_t fiscal_year,
                                        budget::v1::BudgetStage stage) const {
  absl::ReaderMutexLock lock(&mu_);
  auth::Target target{auth::Lineage(*tree_, node_code), false};
  if (!budget::CountsFor(budget::v1::BUDGET_STAGE_APPROVED,
                         budget::ReadStage(stage))) {
    return target;
  }
  for (const std::string& node : target.lineage) {
    if (locks_.count({node, fiscal_year}) > 0) target.published = true;
  }
  return target;
}

void ConsolidatedView::AddUnits(const std::vector<budget::v1::Unit>& units) {
  // The feed lists units in registration order, so parents come first.
  for (const budget::v1::Unit& unit : units) {
    absl::Status added = tree_->Add(unit);
    if (added.ok()) added = stages_->OnUnitAdded(unit.code());
    if (!added.ok()) {
      absl::FPrintF(stderr, "query_service: unit %s not added: %s\n",
                    unit.code(), added.ToString());
    }
  }
}

void ConsolidatedView::ApplySubmission(
    const storage::FeedSubmission& submission,
    std::shared_ptr<const budget::PackedBudget> packed, int64_t head_revision) {
  revision_ = submission.consolidated_revision;
  AppliedRevision entry;
  if (packed == nullptr) {
    entry = ApplyRecord(submission);
  } else {
    budget::v1::BudgetStage read =
        stages_->ApplyRevision(submission.stage, packed);
    if (listeners_.empty() &&
        head_revision - revision_ >= static_cast<int64_t>(replay_revisions_)) {
      // No one watches, and the store holds at least replay_revisions_
      // entries after this one (revisions are dense), which the tailer
      // applies next: the log would drop this entry before anyone could
      // subscribe to it, so its path totals (a leaf's rollup built, ~90 %
      // of a cold start's revisions at L) are not computed.
      forgotten_through_ = revision_;
      log_.clear();
      return;
    }
    entry = {revision_,
             packed->unit_code(),
             packed->fiscal_year(),
             submission.unit_revision,
             budget::TotalsAlongPath(stages_->Stage(read), packed->unit_code(),
                                     packed->fiscal_year(), revision_),
             submission.stage};
  }
  for (const auto& [id, listener] : listeners_) listener(entry);
  // The log is an unbroken run of revisions up to the newest, and
  // forgotten_through_ the one before it. Revisions are dense, but a cold
  // start leaves out those a later one replaced (StoreTailer): a caller
  // resuming inside such a gap is refused rather than silently given the
  // revisions after it.
  if (!log_.empty() && log_.back().revision != revision_ - 1) log_.clear();
  if (log_.empty()) {
    forgotten_through_ = std::max(forgotten_through_, revision_ - 1);
  }
  log_.push_back(std::move(entry));
  while (log_.size() > replay_revisions_) {
    forgotten_through_ = log_.front().revision;
    log_.pop_front();
  }
}

AppliedRevision ConsolidatedView::ApplyRecord(
    const storage::FeedSubmission& submission) {
  const budget::v1::CycleRecord& record = *submission.record;
  AppliedRevision entry;
  entry.revision = revision_;
  if (record.has_control_figures()) {
    entry.unit_code = record.control_figures().unit_code();
    entry.fiscal_year = record.control_figures().fiscal_year();
    control_revision_ = revision_;
  } else {
    entry.unit_code = record.adjustment().node_code();
    entry.fiscal_year = record.adjustment().fiscal_year();
    entry.stage = budget::v1::BUDGET_STAGE_ADJUSTED;
  }
  std::set<std::string> announced;
  for (const std::string& unit : stages_->ApplyRecord(record)) {
    for (budget::v1::NodeTotals& totals : budget::TotalsAlongPath(
             stages_->Stage(budget::v1::BUDGET_STAGE_ADJUSTED), unit,
             entry.fiscal_year, revision_)) {
      if (announced.insert(totals.node_code()).second) {
        entry.path_totals.push_back(std::move(totals));
      }
    }
  }
  return entry;
}

absl::StatusOr<int64_t> ConsolidatedView::Subscribe(int64_t after_revision,
                                                    Listener listener) {
  absl::MutexLock lock(&mu_);
  if (after_revision > 0 && after_revision < forgotten_through_) {
    return absl::OutOfRangeError(
        absl::StrCat("after_revision: ", after_revision,
                     " given; the service replays the ", replay_revisions_,
                     " newest revisions (--watch_replay_revisions), after ",
                     forgotten_through_,
                     " or later: read the current state (GetSummary) "
                     "and watch after its revision"));
  }
  // 0 asks for new revisions only.
  for (const AppliedRevision& applied : log_) {
    if (after_revision > 0 && applied.revision > after_revision) {
      listener(applied);
    }
  }
  // The view may still be behind `after_revision` (the tailer lags the
  // store): revisions up to it that are applied later are not new to the
  // caller either.
  int64_t id = next_listener_++;
  listeners_.emplace(id, [after_revision, listener = std::move(listener)](
                             const AppliedRevision& applied) {
    if (applied.revision > after_revision) listener(applied);
  });
  return id;
}

void ConsolidatedView::Unsubscribe(int64_t id) {
  absl::MutexLock lock(&mu_);
  listeners_.erase(id);
}

}  // namespace query
