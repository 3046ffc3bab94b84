// Fuzzes the `.units` registry parser (budget/budget_file/units_file.h) and
// the tree built from what it accepts: any text must parse without crashing,
// and units that parse cleanly must be written back in a form that parses
// to the same units.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "absl/strings/string_view.h"
#include "budget/budget_file/units_file.h"
#include "budget/consolidation/unit_tree.h"
#include "google/protobuf/util/message_differencer.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view text(reinterpret_cast<const char*>(data), size);
  budget::ParsedFile<std::vector<budget::v1::Unit>> parsed =
      budget::ParseUnitsFile(text, "fuzz.units");
  (void)parsed.status();
  if (!parsed.ok()) return 0;

  absl::StatusOr<budget::UnitTree> tree = budget::UnitTree::Build(parsed.value);
  if (tree.ok()) {
    for (const budget::v1::Unit* root : tree->Roots()) {
      for (const budget::UnitTree::Visit& visit : tree->Subtree(root->code())) {
        (void)tree->PathToRoot(visit.unit->code());
      }
    }
  }

  const std::string written = budget::FormatUnitsFile(parsed.value);
  budget::ParsedFile<std::vector<budget::v1::Unit>> reparsed =
      budget::ParseUnitsFile(written, "written.units");
  bool same = reparsed.ok() && reparsed.value.size() == parsed.value.size();
  for (size_t i = 0; same && i < parsed.value.size(); ++i) {
    same = google::protobuf::util::MessageDifferencer::Equals(
        parsed.value[i], reparsed.value[i]);
  }
  if (!same) {
    std::fprintf(stderr, "written units do not read back: %s\n%s\n",
                 reparsed.status().ToString().c_str(), written.c_str());
    std::abort();
  }
  return 0;
}
