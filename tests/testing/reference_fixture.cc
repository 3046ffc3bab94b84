#include "tests/testing/reference_fixture.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "budget/budget_file/budget_file.h"
#include "budget/budget_file/units_file.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"

namespace e2e_testing {
namespace {

namespace fs = std::filesystem;

const fs::path kFixtures = GOLDEN_FIXTURES_DIR;

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

std::vector<budget::v1::Unit> ReferenceUnits() {
  const fs::path path = kFixtures / "units.units";
  budget::ParsedFile<std::vector<budget::v1::Unit>> units =
      budget::ParseUnitsFile(ReadFile(path), path.string());
  if (!units.ok()) ADD_FAILURE() << units.status();
  return units.value;
}

std::vector<ReferenceBudget> ReferenceBudgets(int year) {
  return ReferenceBudgetsIn(std::to_string(year));
}

std::string ReferenceFile(const std::string& path) {
  return ReadFile(kFixtures / path);
}

void ParseReferenceJson(const std::string& path,
                        google::protobuf::Message* message) {
  auto parsed =
      google::protobuf::util::JsonStringToMessage(ReferenceFile(path), message);
  if (!parsed.ok()) ADD_FAILURE() << path << ": " << parsed.ToString();
}

std::vector<ReferenceBudget> ReferenceBudgetsIn(const std::string& folder) {
  std::vector<fs::path> paths;
  for (const auto& entry : fs::directory_iterator(kFixtures / folder)) {
    if (entry.path().extension() == ".budget") paths.push_back(entry.path());
  }
  std::sort(paths.begin(), paths.end());
  std::vector<ReferenceBudget> budgets;
  for (const fs::path& path : paths) {
    budget::ParsedFile<budget::BudgetFile> parsed =
        budget::ParseBudgetFile(ReadFile(path), path.string());
    if (!parsed.ok()) {
      ADD_FAILURE() << parsed.status();
      continue;
    }
    budgets.push_back({path.string(), std::move(parsed.value.budget)});
  }
  return budgets;
}

}  // namespace e2e_testing
