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

absl::string_view StageName(v1::BudgetStage stage) {
  switch (stage) {
    case v1::BUDGET_STAGE_PROPOSAL:
      return "proposal";
    case v1::BUDGET_STAGE_SUBMISSION:
      return "submission";
    case v1::BUDGET_STAGE_APPROVED:
      return "approved";
    case v1::BUDGET_STAGE_ADJUSTED:
      return "adjusted";
    default:
      return "";
  }
}

absl::string_view StageLabel(v1::BudgetStage stage) {
  switch (stage) {
    case v1::BUDGET_STAGE_PROPOSAL:
      return "一上";
    case v1::BUDGET_STAGE_SUBMISSION:
      return "二上";
    case v1::BUDGET_STAGE_APPROVED:
      return "二下 批复";
    case v1::BUDGET_STAGE_ADJUSTED:
      return "调整后";
    default:
      return "";
  }
}

absl::StatusOr<v1::BudgetStage> ParseStageName(absl::string_view name) {
  for (v1::BudgetStage stage :
       {v1::BUDGET_STAGE_PROPOSAL, v1::BUDGET_STAGE_SUBMISSION,
        v1::BUDGET_STAGE_APPROVED, v1::BUDGET_STAGE_ADJUSTED}) {
    if (name == StageName(stage)) return stage;
  }
  return absl::InvalidArgumentError(
      absl::StrCat("unknown stage '", name,
                   "'; expected proposal, submission, approved or adjusted"));
}

}  // namespace budget
