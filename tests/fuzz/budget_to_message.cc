// Writes each `.budget` file named on the command line as a serialized
// UnitBudget into the directory given first, named after the file: the seed
// corpus of unit_budget_fuzzer, derived from the fixtures at run time so that
// it follows them. Usage: budget_to_message OUT_DIR FILE.budget...
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include "budget/budget_file/budget_file.h"

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: budget_to_message OUT_DIR FILE.budget...\n";
    return 2;
  }
  const std::filesystem::path out_dir = argv[1];
  int failures = 0;
  for (int i = 2; i < argc; ++i) {
    const std::filesystem::path path = argv[i];
    std::ifstream in(path, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    budget::ParsedFile<budget::BudgetFile> parsed =
        budget::ParseBudgetFile(text.str(), path.string());
    if (!parsed.ok()) {
      std::cerr << parsed.status() << "\n";
      ++failures;
      continue;
    }
    // Fixtures of different departments may share a unit code and year.
    std::string name = path.parent_path().parent_path().filename().string() +
                       "-" + path.parent_path().filename().string() + "-" +
                       path.stem().string() + ".pb";
    std::ofstream out(out_dir / name, std::ios::binary);
    parsed.value.budget.SerializeToOstream(&out);
  }
  return failures == 0 ? 0 : 1;
}
