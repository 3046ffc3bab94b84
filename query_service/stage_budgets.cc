#include "query_service/stage_budgets.h"

#include <cstdio>

#include "absl/strings/str_format.h"
#include "budget/cycle/adjustment.h"
#include "budget/cycle/stage.h"

namespace query {
namespace {

using budget::v1::BudgetStage;

constexpr std::array<BudgetStage, 4> kReadStages = {
    budget::v1::BUDGET_STAGE_PROPOSAL, budget::v1::BUDGET_STAGE_SUBMISSION,
    budget::v1::BUDGET_STAGE_APPROVED, budget::v1::BUDGET_STAGE_ADJUSTED};

constexpr size_t kAdjusted = 3;  // Index of ADJUSTED in kReadStages.

// Callers check the stage; an undefined one reads APPROVED.
size_t IndexOf(BudgetStage stage) {
  BudgetStage read = budget::ReadStage(stage);
  return budget::v1::BudgetStage_IsValid(read) ? static_cast<size_t>(read) - 1
                                               : 2;
}

void LogFailure(absl::string_view what, absl::string_view unit,
                const absl::Status& status) {
  if (status.ok()) return;
  absl::FPrintF(stderr, "query_service: %s of %s not applied: %s\n", what, unit,
                status.ToString());
}

}  // namespace

StageBudgets::StageBudgets(const budget::UnitTree* tree) {
  // Empty, every stage is the same.
  stages_.fill(std::make_shared<budget::Consolidator>(
      tree, budget::Consolidator::Compacting::kByCaller));
}

const budget::Consolidator& StageBudgets::Stage(BudgetStage stage) const {
  return *stages_[IndexOf(stage)];
}

template <typename Write>
void StageBudgets::ForEachConsolidator(const StageSet& set, Write write) {
  for (size_t i = 0; i < stages_.size(); ++i) {
    if (!set[i]) continue;
    bool seen = false;
    for (size_t j = 0; j < i; ++j) seen |= set[j] && stages_[j] == stages_[i];
    if (!seen) write(*stages_[i]);
  }
}

void StageBudgets::Separate(const StageSet& written) {
  for (size_t i = 0; i < stages_.size(); ++i) {
    if (written[i]) continue;
    bool shared = false;
    for (size_t j = 0; j < stages_.size(); ++j) {
      shared |= written[j] && stages_[j] == stages_[i];
    }
    if (!shared) continue;
    // This stage and the other unwritten ones sharing with it move to one
    // copy together: they stay the same as each other.
    const std::shared_ptr<budget::Consolidator> held = stages_[i];
    std::shared_ptr<budget::Consolidator> copy = held->Clone();
    for (size_t k = i; k < stages_.size(); ++k) {
      if (!written[k] && stages_[k] == held) stages_[k] = copy;
    }
  }
}

absl::Status StageBudgets::OnUnitAdded(absl::string_view code) {
  absl::Status status;
  ForEachConsolidator({true, true, true, true},
                      [&](budget::Consolidator& stage) {
                        if (status.ok()) status = stage.OnUnitAdded(code);
                      });
  return status;
}

std::vector<std::shared_ptr<budget::NodeRollup>>
StageBudgets::TakeDueRollups() {
  std::vector<std::shared_ptr<budget::NodeRollup>> due;
  ForEachConsolidator({true, true, true, true},
                      [&](budget::Consolidator& stage) {
                        for (std::shared_ptr<budget::NodeRollup>& rollup :
                             stage.TakeDueRollups()) {
                          due.push_back(std::move(rollup));
                        }
                      });
  return due;
}

BudgetStage StageBudgets::ApplyRevision(
    BudgetStage stage, std::shared_ptr<const budget::PackedBudget> packed) {
  const bool approved =
      budget::CountsFor(stage, budget::v1::BUDGET_STAGE_APPROVED);
  // An adjusted unit's adjusted budget is re-derived below; an unadjusted
  // one's is its approved budget, written like the other stages.
  const bool adjusted =
      approved &&
      adjustments_.count({packed->unit_code(), packed->fiscal_year()}) > 0;
  StageSet written;
  for (size_t i = 0; i < kReadStages.size(); ++i) {
    written[i] =
        budget::CountsFor(stage, kReadStages[i]) &&
        !(kReadStages[i] == budget::v1::BUDGET_STAGE_ADJUSTED && adjusted);
  }
  Separate(written);
  ForEachConsolidator(written, [&](budget::Consolidator& consolidator) {
    LogFailure("revision", packed->unit_code(),
               consolidator.ReplacePackedBudget(packed));
  });
  if (adjusted) Readjust(packed->unit_code(), packed->fiscal_year());
  return approved ? budget::v1::BUDGET_STAGE_APPROVED : stage;
}

std::vector<std::string> StageBudgets::ApplyRecord(
    const budget::v1::CycleRecord& record) {
  if (record.has_control_figures()) {
    const budget::v1::ControlFigures& figures = record.control_figures();
    control_[{figures.unit_code(), figures.fiscal_year()}] = figures;
    return {};
  }
  const budget::v1::Adjustment& adjustment = record.adjustment();
  std::vector<std::string> units = budget::AdjustedUnits(adjustment);
  for (const std::string& unit : units) {
    adjustments_[{unit, adjustment.fiscal_year()}].push_back(adjustment);
    Readjust(unit, adjustment.fiscal_year());
  }
  return units;
}

const budget::v1::ControlFigures* StageBudgets::Control(
    absl::string_view unit_code, int32_t year) const {
  auto it = control_.find({std::string(unit_code), year});
  return it == control_.end() ? nullptr : &it->second;
}

void StageBudgets::Readjust(const std::string& unit_code, int32_t year) {
  const auto found = adjustments_.find({unit_code, year});
  if (found == adjustments_.end()) return;  // Callers add one first.
  StageSet written{};
  written[kAdjusted] = true;
  Separate(written);
  std::shared_ptr<const budget::v1::UnitBudget> base =
      Stage(budget::v1::BUDGET_STAGE_APPROVED).Budget(unit_code, year);
  if (base == nullptr) return;
  std::vector<const budget::v1::Adjustment*> in_order;
  for (const budget::v1::Adjustment& a : found->second) in_order.push_back(&a);
  absl::StatusOr<budget::v1::UnitBudget> result =
      budget::AdjustedBudget(*base, in_order);
  if (!result.ok()) {
    LogFailure("adjustment", unit_code, result.status());
    return;
  }
  LogFailure(
      "adjustment", unit_code,
      stages_[kAdjusted]->ReplaceUnitBudget(
          std::make_shared<const budget::v1::UnitBudget>(std::move(*result))));
}

}  // namespace query
