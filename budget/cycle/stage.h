// Which stored revisions a read of a cycle stage sees (cycle.proto,
// BudgetStage): a unit contributes to a stage its latest revision that
// counts for it. Revisions stored outside the cycle (stage UNSPECIFIED, as
// before stages existed) were what the tables published, so they count as
// the submission and as the approved budget.
//
// Pure functions; thread-safe.
#ifndef BUDGET_CYCLE_STAGE_H_
#define BUDGET_CYCLE_STAGE_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "budget/v1/cycle.pb.h"

namespace budget {

// The stage a read asks for: UNSPECIFIED reads APPROVED.
v1::BudgetStage ReadStage(v1::BudgetStage requested);

// True when a revision of `revision_stage` counts for a read of
// `read_stage` (after ReadStage). ADJUSTED reads the approved revision,
// then applies the adjustments.
bool CountsFor(v1::BudgetStage revision_stage, v1::BudgetStage read_stage);

// "proposal", "submission", "approved", "adjusted" (the names budgetctl and
// the docs use); "" for UNSPECIFIED.
absl::string_view StageName(v1::BudgetStage stage);

// The stage as the budget cycle names it: "一上", "二上", "二下 批复",
// "调整后"; "" for UNSPECIFIED.
absl::string_view StageLabel(v1::BudgetStage stage);

// The inverse of StageName; INVALID_ARGUMENT naming the accepted names.
absl::StatusOr<v1::BudgetStage> ParseStageName(absl::string_view name);

}  // namespace budget

#endif  // BUDGET_CYCLE_STAGE_H_
