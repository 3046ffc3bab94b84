#include "budgetctl/budget_input.h"

#include <fstream>
#include <sstream>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "budget/budget_file/budget_file.h"
#include "google/protobuf/util/json_util.h"

namespace budgetctl {

BudgetInput ParseBudgetInput(absl::string_view text, absl::string_view path) {
  BudgetInput input;
  if (!absl::EndsWithIgnoreCase(path, ".json")) {
    budget::ParsedFile<budget::BudgetFile> parsed =
        budget::ParseBudgetFile(text, path);
    input.errors = FromFileErrors(parsed.errors);
    input.budget = std::move(parsed.value.budget);
    input.source_map = std::move(parsed.value.source_map);
    return input;
  }
  input.source_map = budget::SourceMap(path);
  google::protobuf::util::Status status =
      google::protobuf::util::JsonStringToMessage(std::string(text),
                                                  &input.budget);
  if (!status.ok()) {
    input.errors.push_back({"JSON-E001", "fatal", std::string(path), 0, "",
                            std::string(text.substr(0, 40)),
                            "the proto JSON mapping of budget.v1.UnitBudget",
                            std::string(status.message())});
  }
  return input;
}

absl::StatusOr<std::string> ReadFile(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    return absl::NotFoundError(absl::StrCat("cannot read ", path,
                                            ": check the path and its "
                                            "permissions"));
  }
  std::ostringstream text;
  text << file.rdbuf();
  return text.str();
}

absl::StatusOr<BudgetInput> ReadBudgetInput(const std::string& path) {
  absl::StatusOr<std::string> text = ReadFile(path);
  if (!text.ok()) return text.status();
  return ParseBudgetInput(*text, path);
}

}  // namespace budgetctl
