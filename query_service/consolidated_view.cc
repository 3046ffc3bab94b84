#include "query_service/consolidated_view.h"

#include <cstdio>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "auth/lineage.h"
#include "budget/consolidation/path_totals.h"

namespace query {

ConsolidatedView::ConsolidatedView(RevisionWaiters::Limits wait_limits)
    : tree_(std::make_unique<budget::UnitTree>()),
      consolidator_(std::make_unique<budget::Consolidator>(tree_.get())),
      waiters_(wait_limits) {}

void ConsolidatedView::Apply(const storage::FeedBatch& batch) {
  {
    absl::MutexLock lock(&mu_);
    if (!batch.units.empty()) AddUnits(batch.units);
    locks_ = batch.locks;
  }
  for (const storage::FeedSubmission& submission : batch.submissions) {
    // Packing needs no lock, so readers go on meanwhile.
    auto packed =
        std::make_shared<const budget::PackedBudget>(submission.budget);
    {
      absl::MutexLock lock(&mu_);
      ApplySubmission(submission, std::move(packed));
    }
    waiters_.Applied(submission.consolidated_revision);
  }
}

auth::Target ConsolidatedView::TargetOf(absl::string_view node_code,
                                        int32_t fiscal_year) const {
  absl::ReaderMutexLock lock(&mu_);
  auth::Target target{auth::Lineage(*tree_, node_code), false};
  for (const std::string& node : target.lineage) {
    if (locks_.count({node, fiscal_year}) > 0) target.published = true;
  }
  return target;
}

void ConsolidatedView::AddUnits(const std::vector<budget::v1::Unit>& units) {
  // The feed lists units in registration order, so parents come first.
  for (const budget::v1::Unit& unit : units) {
    absl::Status added = tree_->Add(unit);
    if (added.ok()) added = consolidator_->OnUnitAdded(unit.code());
    if (!added.ok()) {
      absl::FPrintF(stderr, "query_service: unit %s not added: %s\n",
                    unit.code(), added.ToString());
    }
  }
}

void ConsolidatedView::ApplySubmission(
    const storage::FeedSubmission& submission,
    std::shared_ptr<const budget::PackedBudget> packed) {
  absl::Status applied = consolidator_->ReplacePackedBudget(packed);
  if (!applied.ok()) {
    absl::FPrintF(stderr, "query_service: revision %d of %s not applied: %s\n",
                  submission.consolidated_revision, packed->unit_code(),
                  applied.ToString());
  }
  revision_ = submission.consolidated_revision;
  AppliedRevision entry{
      revision_, packed->unit_code(), packed->fiscal_year(),
      submission.unit_revision,
      budget::TotalsAlongPath(*consolidator_, packed->unit_code(),
                              packed->fiscal_year(), revision_)};
  for (const auto& [id, listener] : listeners_) listener(entry);
  log_.push_back(std::move(entry));
}

int64_t ConsolidatedView::Subscribe(int64_t after_revision, Listener listener) {
  absl::MutexLock lock(&mu_);
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
