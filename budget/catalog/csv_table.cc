#include "budget/catalog/csv_table.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace budget {

absl::Status CsvError(absl::string_view file_name, int line,
                      absl::string_view message) {
  return absl::InvalidArgumentError(
      absl::StrCat(file_name, ":", line, ": ", message));
}

absl::StatusOr<std::vector<CsvRecord>> ParseCsvTable(
    absl::string_view file_name, absl::string_view text,
    const std::vector<std::string>& columns) {
  absl::ConsumePrefix(&text, "\xEF\xBB\xBF");
  std::vector<CsvRecord> records;
  bool header_seen = false;
  int line_number = 0;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    ++line_number;
    absl::ConsumeSuffix(&line, "\r");
    if (line.empty()) continue;
    if (line.find('"') != absl::string_view::npos) {
      return CsvError(file_name, line_number,
                      "quoted fields are not allowed in catalog files");
    }
    std::vector<std::string> fields = absl::StrSplit(line, ',');
    if (!header_seen) {
      if (fields != columns) {
        return CsvError(file_name, line_number,
                        absl::StrCat("header is \"", line, "\", expected \"",
                                     absl::StrJoin(columns, ","), "\""));
      }
      header_seen = true;
      continue;
    }
    if (fields.size() != columns.size()) {
      return CsvError(
          file_name, line_number,
          absl::StrCat(fields.size(), " fields, expected ", columns.size()));
    }
    records.push_back({line_number, std::move(fields)});
  }
  if (!header_seen) {
    return CsvError(file_name, 1, "empty file, expected a header line");
  }
  return records;
}

}  // namespace budget
