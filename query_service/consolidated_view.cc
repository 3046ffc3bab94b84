#include "query_service/consolidated_view.h"

#include <cstdio>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "auth/lineage.h"
#include "budget/consolidation/path_totals.h"
#include "budget/cycle/stage.h"

namespace query {

ConsolidatedView::ConsolidatedView(RevisionWaiters::Limits wait_limits)
    : tree_(std::make_unique<budget::UnitTree>()),
      stages_(std::make_unique<StageBudgets>(tree_.get())),
      waiters_(wait_limits) {}

void ConsolidatedView::Apply(const storage::FeedBatch& batch) {
  {
    absl::MutexLock lock(&mu_);
    if (!batch.units.empty()) AddUnits(batch.units);
    locks_ = batch.locks;
  }
  for (const storage::FeedSubmission& submission : batch.submissions) {
    // Packing needs no lock, so readers go on meanwhile.
    std::shared_ptr<const budget::PackedBudget> packed;
    if (!submission.record.has_value()) {
      packed = std::make_shared<const budget::PackedBudget>(submission.budget);
    }
    {
      absl::MutexLock lock(&mu_);
      ApplySubmission(submission, std::move(packed));
    }
    waiters_.Applied(submission.consolidated_revision);
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
    std::shared_ptr<const budget::PackedBudget> packed) {
  revision_ = submission.consolidated_revision;
  AppliedRevision entry;
  if (packed == nullptr) {
    entry = ApplyRecord(submission);
  } else {
    budget::v1::BudgetStage read =
        stages_->ApplyRevision(submission.stage, packed);
    entry = {revision_,
             packed->unit_code(),
             packed->fiscal_year(),
             submission.unit_revision,
             budget::TotalsAlongPath(stages_->Stage(read), packed->unit_code(),
                                     packed->fiscal_year(), revision_),
             submission.stage};
  }
  for (const auto& [id, listener] : listeners_) listener(entry);
  log_.push_back(std::move(entry));
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
