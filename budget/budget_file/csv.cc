#include "budget/budget_file/csv.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"

namespace budget {
namespace {

std::string Quote(absl::string_view field) {
  return absl::StrCat("\"", absl::StrReplaceAll(field, {{"\"", "\"\""}}), "\"");
}

}  // namespace

std::string CsvEscape(absl::string_view field) {
  if (field.find_first_of(",\"\r\n") == absl::string_view::npos) {
    return std::string(field);
  }
  return Quote(field);
}

std::string CsvRecord(const std::vector<std::string>& fields) {
  if (fields.empty()) return "";
  const absl::string_view first = absl::StripLeadingAsciiWhitespace(fields[0]);
  const bool reads_as_comment_or_section =
      absl::StartsWith(first, "#") || absl::StartsWith(first, "[");
  const bool reads_as_blank_line =
      std::all_of(fields.begin(), fields.end(), [](const std::string& f) {
        return absl::StripAsciiWhitespace(f).empty();
      });
  std::string out = reads_as_comment_or_section || reads_as_blank_line
                        ? Quote(fields[0])
                        : CsvEscape(fields[0]);
  for (size_t i = 1; i < fields.size(); ++i) {
    absl::StrAppend(&out, ",", CsvEscape(fields[i]));
  }
  return out;
}

std::string SpreadsheetText(absl::string_view text) {
  if (!text.empty() && absl::string_view("=+-@\t\r").find(text.front()) !=
                           absl::string_view::npos) {
    return absl::StrCat("'", text);
  }
  return std::string(text);
}

}  // namespace budget
