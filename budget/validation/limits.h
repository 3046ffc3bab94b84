// The explicit size limits of one unit budget and of one validation report.
// A budget over a count limit is refused before any other rule runs, so
// the work and memory spent on a hostile budget stay bounded; a report
// keeps at most kMaxFindingsKept findings and counts the rest per rule id.
// docs/limits.md lists every limit of the project with its reasoning.
//
// Constants; thread-safe.
#ifndef BUDGET_VALIDATION_LIMITS_H_
#define BUDGET_VALIDATION_LIMITS_H_

#include <cstddef>

namespace budget {

// Income lines of one budget: one per funding source and counterpart is
// the norm, so a few dozen; 1,000 leaves room for many transfers.
inline constexpr int kMaxIncomeLines = 1'000;
// Expenditure lines of one budget: the largest unit of the reference
// department has under 200; 50,000 leaves two orders of magnitude for the
// largest units elsewhere.
inline constexpr int kMaxExpenditureLines = 50'000;
// Declared projects of one budget.
inline constexpr int kMaxProjects = 10'000;
// Performance indicators of one project, and of the overall goal (the
// reference projects have 5 to 20).
inline constexpr int kMaxIndicators = 200;
// Tasks of the overall performance goal.
inline constexpr int kMaxGoalTasks = 200;
// Bytes of any one text field of a budget (codes, names, memos, indicator
// texts): 4 KB holds over 1,300 Chinese characters.
inline constexpr size_t kMaxTextBytes = 4'096;
// Findings one validation report lists; beyond it they are counted per
// rule id (ValidationReport.omitted). Bounded by the line limits anyway;
// this keeps a report of a budget of empty lines in a few megabytes.
inline constexpr int kMaxFindingsKept = 10'000;
// Findings one reply lists (SubmitBudget's warnings, a SubmitBudgets
// result's report); the rest are counted per rule id, and ValidateBudget
// pages through all of them.
inline constexpr int kMaxFindingsPerReply = 100;

}  // namespace budget

#endif  // BUDGET_VALIDATION_LIMITS_H_
