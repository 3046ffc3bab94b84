#include "budgetctl/budget_input.h"

#include <algorithm>
#include <fstream>
#include <sstream>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "budget/budget_file/budget_file.h"
#include "budget/budget_file/sectioned_file.h"
#include "google/protobuf/util/json_util.h"

namespace budgetctl {

namespace {

// Where in the text protobuf's JSON parser stopped.
struct JsonErrorPlace {
  int line = 0;  // 0: unknown.
  int column = 0;
  std::string reason;
  std::string excerpt;
};

// Protobuf's syntax errors read "REASON\nSEGMENT\n    ^", SEGMENT being
// the text around the fault and the caret under it; the segment is found
// in `text` to give the fault a line. Unknown place for other errors.
JsonErrorPlace PlaceOf(absl::string_view text, absl::string_view message) {
  JsonErrorPlace place;
  const size_t first = message.find('\n');
  const size_t last = message.rfind('\n');
  if (first == absl::string_view::npos || first == last ||
      !absl::EndsWith(message, "^")) {
    return place;
  }
  const absl::string_view segment = message.substr(first + 1, last - first - 1);
  const size_t caret = message.size() - last - 2;
  const size_t at = text.find(segment);
  if (at == absl::string_view::npos || caret > segment.size()) return place;
  const size_t offset = at + caret;
  const size_t line_start = text.rfind('\n', offset == 0 ? 0 : offset - 1);
  place.line = 1 + static_cast<int>(
                       std::count(text.begin(), text.begin() + offset, '\n'));
  place.column = static_cast<int>(
      offset - (line_start == absl::string_view::npos ? 0 : line_start + 1) +
      1);
  place.reason = std::string(message.substr(0, first));
  place.excerpt = std::string(segment);
  return place;
}

}  // namespace

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
  budget::FileErrorSink text_errors(path);
  if (!budget::CheckFileText(text, &text_errors)) {
    input.errors = FromFileErrors(text_errors.TakeSorted());
    return input;
  }
  google::protobuf::util::Status status =
      google::protobuf::util::JsonStringToMessage(std::string(text),
                                                  &input.budget);
  if (!status.ok()) {
    const std::string message(status.message());
    const JsonErrorPlace place = PlaceOf(text, message);
    input.errors.push_back(
        {"JSON-E001", "fatal", std::string(path), place.line, "",
         place.line > 0 ? place.excerpt : std::string(text.substr(0, 40)),
         "the proto JSON mapping of budget.v1.UnitBudget",
         place.line > 0
             ? absl::StrCat(place.reason, " (column ", place.column, ")")
             : message});
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
