// Fuzzes the `.budget` file parser (budget/budget_file/budget_file.h) and
// its writer: any text must parse without crashing, and a budget that parses
// cleanly must be written back in a form that parses to the same budget.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/string_view.h"
#include "budget/budget_file/budget_file.h"
#include "google/protobuf/util/message_differencer.h"

namespace {

bool ProjectCodesUnique(const budget::v1::UnitBudget& budget) {
  absl::flat_hash_set<std::string> codes;
  for (const budget::v1::Project& project : budget.projects()) {
    if (!codes.insert(project.code()).second) return false;
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view text(reinterpret_cast<const char*>(data), size);
  budget::ParsedFile<budget::BudgetFile> parsed =
      budget::ParseBudgetFile(text, "fuzz.budget");
  for (const budget::FileError& error : parsed.errors) (void)error.ToString();
  (void)parsed.status();
  if (!parsed.ok()) return 0;

  const std::string written = budget::FormatBudgetFile(parsed.value.budget);
  budget::ParsedFile<budget::BudgetFile> reparsed =
      budget::ParseBudgetFile(written, "written.budget");
  // FormatBudgetFile promises the same budget back when project codes are
  // unique (indicators are attached by code); parsing alone gives the rest
  // of its conditions (no spaces in codes, defined enums).
  if (!reparsed.ok() || (ProjectCodesUnique(parsed.value.budget) &&
                         !google::protobuf::util::MessageDifferencer::Equals(
                             parsed.value.budget, reparsed.value.budget))) {
    std::fprintf(stderr, "written budget does not read back: %s\n%s\n",
                 reparsed.status().ToString().c_str(), written.c_str());
    std::abort();
  }
  return 0;
}
