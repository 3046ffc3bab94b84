#include "budgetctl/budget_input.h"

#include <algorithm>
#include <fstream>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "budget/budget_file/budget_file.h"
#include "budget/budget_file/sectioned_file.h"
#include "budgetctl/json_locations.h"
#include "google/protobuf/util/json_util.h"

namespace budgetctl {

namespace {

constexpr char kJsonExpected[] =
    "the proto JSON mapping of budget.v1.UnitBudget";

// The text of line `line` (1-based) of `text`, clipped, as the value given.
std::string LineText(absl::string_view text, int line) {
  size_t start = 0;
  for (int i = 1; i < line && start != absl::string_view::npos; ++i) {
    start = text.find('\n', start);
    if (start != absl::string_view::npos) ++start;
  }
  if (start == absl::string_view::npos) return "";
  absl::string_view rest = text.substr(start);
  return std::string(absl::StripAsciiWhitespace(
      rest.substr(0, std::min(rest.find('\n'), size_t{80}))));
}

// Protobuf's JSON parser names a refused value by its field path:
// "(expenditures[1].amount_fen): invalid value ...", and an unknown member
// by its parent's path and its name: "(expenditures) bogus: Cannot find
// field." or "bogus: Cannot find field.". The path, when one is named.
std::string PathOf(absl::string_view message) {
  std::string parent;
  if (absl::ConsumePrefix(&message, "(")) {
    const size_t close = message.find(')');
    if (close == absl::string_view::npos) return "";
    parent = std::string(message.substr(0, close));
    message.remove_prefix(close + 1);
    if (absl::StartsWith(message, ":")) return parent;
    message = absl::StripLeadingAsciiWhitespace(message);
  }
  const size_t colon = message.find(": Cannot find field");
  if (colon == absl::string_view::npos) return parent;
  const std::string name(message.substr(0, colon));
  return parent.empty() ? name : absl::StrCat(parent, ".", name);
}

// A JSON budget: located by a scan of the text, parsed by protobuf.
void ParseJsonBudget(absl::string_view text, absl::string_view path,
                     BudgetInput* input) {
  // A byte-order mark, as Notepad writes, is not part of the text (RFC
  // 8259 section 8.1 lets a parser ignore it); .budget files accept it too.
  absl::ConsumePrefix(&text, "\xEF\xBB\xBF");
  const JsonLocations places(text);
  input->source_map = places.ToSourceMap(path);
  if (!places.syntax_error().empty()) {
    const TextPlace at = places.syntax_error_place();
    input->errors.push_back(
        {places.duplicate_member() ? "JSON-E003" : "JSON-E001", "fatal",
         std::string(path), at.line, "", LineText(text, at.line), kJsonExpected,
         absl::StrCat(places.duplicate_member() ? "" : "not JSON: ",
                      places.syntax_error(), " (column ", at.column, ")")});
    return;
  }
  google::protobuf::util::Status status =
      google::protobuf::util::JsonStringToMessage(std::string(text),
                                                  &input->budget);
  if (status.ok()) return;
  const std::string message(status.message());
  const std::string field = PathOf(message);
  const TextPlace at = places.Find(field);
  input->errors.push_back(
      {"JSON-E002", "fatal", std::string(path), at.line, field,
       at.line > 0 ? LineText(text, at.line) : std::string(text.substr(0, 40)),
       kJsonExpected,
       at.line > 0 ? absl::StrCat(message, " (column ", at.column, ")")
                   : message});
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
  ParseJsonBudget(text, path, &input);
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
