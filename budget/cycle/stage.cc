#include "budget/cycle/stage.h"

#include "absl/strings/str_cat.h"

namespace budget {

v1::BudgetStage ReadStage(v1::BudgetStage requested) {
  return requested == v1::BUDGET_STAGE_UNSPECIFIED ? v1::BUDGET_STAGE_APPROVED
                                                   : requested;
}

bool CountsFor(v1::BudgetStage revision_stage, v1::BudgetStage read_stage) {
  switch (ReadStage(read_stage)) {
    case v1::BUDGET_STAGE_PROPOSAL:
      return revision_stage == v1::BUDGET_STAGE_PROPOSAL;
    case v1::BUDGET_STAGE_SUBMISSION:
      return revision_stage == v1::BUDGET_STAGE_SUBMISSION ||
             revision_stage == v1::BUDGET_STAGE_UNSPECIFIED;
    case v1::BUDGET_STAGE_APPROVED:
    case v1::BUDGET_STAGE_ADJUSTED:
      return revision_stage == v1::BUDGET_STAGE_APPROVED ||
             revision_stage == v1::BUDGET_STAGE_UNSPECIFIED;
    default:
      return false;
  }
}

namespace {

// Every stage a read or a revision names, with its two spellings.
struct StageSpelling {
  v1::BudgetStage stage;
  absl::string_view name;   // budgetctl's and the docs'.
  absl::string_view label;  // The budget cycle's.
};
constexpr StageSpelling kStages[] = {
    {v1::BUDGET_STAGE_PROPOSAL, "proposal", "一上"},
    {v1::BUDGET_STAGE_SUBMISSION, "submission", "二上"},
    {v1::BUDGET_STAGE_APPROVED, "approved", "二下 批复"},
    {v1::BUDGET_STAGE_ADJUSTED, "adjusted", "调整后"}};

const StageSpelling* SpellingOf(v1::BudgetStage stage) {
  for (const StageSpelling& spelling : kStages) {
    if (spelling.stage == stage) return &spelling;
  }
  return nullptr;
}

}  // namespace

absl::string_view StageName(v1::BudgetStage stage) {
  const StageSpelling* spelling = SpellingOf(stage);
  return spelling == nullptr ? "" : spelling->name;
}

absl::string_view StageLabel(v1::BudgetStage stage) {
  const StageSpelling* spelling = SpellingOf(stage);
  return spelling == nullptr ? "" : spelling->label;
}

absl::StatusOr<v1::BudgetStage> ParseStageName(absl::string_view name) {
  for (const StageSpelling& spelling : kStages) {
    if (name == spelling.name) return spelling.stage;
  }
  return absl::InvalidArgumentError(
      absl::StrCat("unknown stage '", name,
                   "'; expected proposal, submission, approved or adjusted"));
}

}  // namespace budget
