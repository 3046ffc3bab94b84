// Reads a budget a user asks budgetctl to submit: the plain-text `.budget`
// format (docs/budget-file-format.md), or, for files ending in `.json`, the
// proto JSON mapping of budget.v1.UnitBudget, located by a scan of its text
// (json_locations.h): syntax errors (JSON-E001), values protobuf refuses
// and unknown members (JSON-E002) and the validator's findings all carry
// file:line, the first two the column too.
//
// Pure functions apart from reading the file; thread-safe.
#ifndef BUDGETCTL_BUDGET_INPUT_H_
#define BUDGETCTL_BUDGET_INPUT_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "budget/budget_file/source_map.h"
#include "budget/v1/budget.pb.h"
#include "budgetctl/located_violation.h"

namespace budgetctl {

struct BudgetInput {
  budget::v1::UnitBudget budget;
  budget::SourceMap source_map;
  // Syntax errors; when any, `budget` is incomplete and must not be sent.
  std::vector<LocatedViolation> errors;
};

// Parses `text` as the file `path` (its extension picks the format).
BudgetInput ParseBudgetInput(absl::string_view text, absl::string_view path);

// Reads and parses `path`; NOT_FOUND when it cannot be read.
absl::StatusOr<BudgetInput> ReadBudgetInput(const std::string& path);

// Reads a whole file; NOT_FOUND naming it when it cannot be read.
absl::StatusOr<std::string> ReadFile(const std::string& path);

}  // namespace budgetctl

#endif  // BUDGETCTL_BUDGET_INPUT_H_
