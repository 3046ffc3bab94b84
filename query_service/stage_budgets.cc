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
  for (auto& stage : stages_) {
    stage = std::make_unique<budget::Consolidator>(tree);
  }
}

const budget::Consolidator& StageBudgets::Stage(BudgetStage stage) const {
  return *stages_[IndexOf(stage)];
}

budget::Consolidator& StageBudgets::Mutable(BudgetStage stage) {
  return *stages_[IndexOf(stage)];
}

absl::Status StageBudgets::OnUnitAdded(absl::string_view code) {
  for (auto& stage : stages_) {
    if (absl::Status held = stage->OnUnitAdded(code); !held.ok()) return held;
  }
  return absl::OkStatus();
}

BudgetStage StageBudgets::ApplyRevision(
    BudgetStage stage, std::shared_ptr<const budget::PackedBudget> packed) {
  for (BudgetStage read : kReadStages) {
    if (read == budget::v1::BUDGET_STAGE_ADJUSTED ||
        !budget::CountsFor(stage, read)) {
      continue;
    }
    LogFailure("revision", packed->unit_code(),
               Mutable(read).ReplacePackedBudget(packed));
  }
  if (budget::CountsFor(stage, budget::v1::BUDGET_STAGE_ADJUSTED)) {
    Readjust(packed->unit_code(), packed->fiscal_year());
    return budget::v1::BUDGET_STAGE_APPROVED;
  }
  return stage;
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
  const budget::Consolidator& approved =
      Stage(budget::v1::BUDGET_STAGE_APPROVED);
  budget::Consolidator& adjusted = Mutable(budget::v1::BUDGET_STAGE_ADJUSTED);
  auto found = adjustments_.find({unit_code, year});
  if (found == adjustments_.end()) {
    // Nothing adjusted: the very budget the approved stage holds.
    std::shared_ptr<const budget::PackedBudget> packed =
        approved.Packed(unit_code, year);
    LogFailure("approved budget", unit_code,
               packed ? adjusted.ReplacePackedBudget(std::move(packed))
                      : adjusted.RemoveUnitBudget(unit_code, year));
    return;
  }
  std::shared_ptr<const budget::v1::UnitBudget> base =
      approved.Budget(unit_code, year);
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
      adjusted.ReplaceUnitBudget(
          std::make_shared<const budget::v1::UnitBudget>(std::move(*result))));
}

}  // namespace query
