// Reads and writes the unit registry in the plain-text `.units` format of
// docs/budget-file-format.md: one [unit] table of code, name, parent_code
// and kind. Syntax errors are reported all at once with their lines; the
// tree itself (unknown parents, duplicates) is UnitTree::Build's to check.
//
// Pure functions; thread-safe.
#ifndef BUDGET_BUDGET_FILE_UNITS_FILE_H_
#define BUDGET_BUDGET_FILE_UNITS_FILE_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "budget/budget_file/file_error.h"
#include "budget/v1/budget.pb.h"

namespace budget {

// Units in file order. `file_name` names the file in errors. When `lines`
// is given it receives the line of each unit, in the same order.
ParsedFile<std::vector<v1::Unit>> ParseUnitsFile(
    absl::string_view text, absl::string_view file_name,
    std::vector<int>* lines = nullptr);

// The order in which `units` can be registered, as indices into `units`:
// each unit after its parent when the parent is among them, otherwise in
// the given order (a file may list a child before its parent). Units in a
// cycle keep the given order; the registry refuses them.
std::vector<size_t> ParentsFirst(const std::vector<v1::Unit>& units);

// Writes `units` in the same format, in the order given, starting with a
// comment line; ParseUnitsFile reads them back unchanged.
std::string FormatUnitsFile(const std::vector<v1::Unit>& units);

}  // namespace budget

#endif  // BUDGET_BUDGET_FILE_UNITS_FILE_H_
