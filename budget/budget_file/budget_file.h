// Reads and writes a unit's budget in the plain-text `.budget` format of
// docs/budget-file-format.md: CSV in named sections, amounts in yuan, enums
// by short name or Chinese label. Parsing reports every syntax error of a
// file at once with its line; what the values mean (codes, totals) is left
// to the validator, whose findings the SourceMap places back on file lines.
//
// Pure functions; thread-safe.
#ifndef BUDGET_BUDGET_FILE_BUDGET_FILE_H_
#define BUDGET_BUDGET_FILE_BUDGET_FILE_H_

#include <string>

#include "absl/strings/string_view.h"
#include "budget/budget_file/file_error.h"
#include "budget/budget_file/source_map.h"
#include "budget/v1/budget.pb.h"

namespace budget {

struct BudgetFile {
  v1::UnitBudget budget;
  SourceMap source_map;  // Field paths of `budget` to lines of the file.
};

// Parses the text of a `.budget` file; `file_name` is only used to name the
// file in errors and in the source map.
ParsedFile<BudgetFile> ParseBudgetFile(absl::string_view text,
                                       absl::string_view file_name);

// Writes `budget` in the same format, starting with a comment line. Parsing
// the result gives `budget` back, provided project codes hold no spaces
// (parsing drops them), project codes are unique (indicators are attached by
// code) and enums hold defined values.
std::string FormatBudgetFile(const v1::UnitBudget& budget);

}  // namespace budget

#endif  // BUDGET_BUDGET_FILE_BUDGET_FILE_H_
