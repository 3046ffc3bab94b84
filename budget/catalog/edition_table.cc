#include "budget/catalog/edition_table.h"

#include <algorithm>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace budget {
namespace {

int ColumnIndex(const std::vector<std::string>& columns,
                absl::string_view name) {
  return static_cast<int>(std::find(columns.begin(), columns.end(), name) -
                          columns.begin());
}

// Parses an edition year of `field`; `what` names the column for the error.
absl::StatusOr<int> EditionYear(absl::string_view file_name, int line,
                                absl::string_view what, absl::string_view field,
                                const std::vector<int>& editions) {
  int year = 0;
  if (!absl::SimpleAtoi(field, &year) ||
      !std::binary_search(editions.begin(), editions.end(), year)) {
    return CsvError(
        file_name, line,
        absl::StrCat(what, " \"", field, "\" is not a year of editions.csv"));
  }
  return year;
}

}  // namespace

absl::StatusOr<std::vector<int>> ParseEditions(absl::string_view file_name,
                                               absl::string_view text) {
  absl::StatusOr<std::vector<CsvRecord>> records =
      ParseCsvTable(file_name, text, {"year", "title"});
  if (!records.ok()) return records.status();
  std::vector<int> years;
  for (const CsvRecord& record : *records) {
    int year = 0;
    if (!absl::SimpleAtoi(record.fields[0], &year) ||
        (!years.empty() && year <= years.back())) {
      return CsvError(file_name, record.line,
                      absl::StrCat("year \"", record.fields[0],
                                   "\" is not a year after the one above"));
    }
    if (record.fields[1].empty()) {
      return CsvError(file_name, record.line, "title is required");
    }
    years.push_back(year);
  }
  if (years.empty()) return CsvError(file_name, 1, "no edition listed");
  return years;
}

absl::StatusOr<std::vector<EditionRecord>> ParseEditionTable(
    absl::string_view file_name, absl::string_view text,
    const std::vector<std::string>& columns, const std::vector<int>& editions) {
  absl::StatusOr<std::vector<CsvRecord>> records =
      ParseCsvTable(file_name, text, columns);
  if (!records.ok()) return records.status();
  const int since_column = ColumnIndex(columns, "since");
  const int until_column = ColumnIndex(columns, "until");
  std::vector<EditionRecord> rows;
  rows.reserve(records->size());
  for (CsvRecord& record : *records) {
    EditionRecord row;
    absl::StatusOr<int> since = EditionYear(
        file_name, record.line, "since", record.fields[since_column], editions);
    if (!since.ok()) return since.status();
    row.since = *since;
    if (!record.fields[until_column].empty()) {
      absl::StatusOr<int> until =
          EditionYear(file_name, record.line, "until",
                      record.fields[until_column], editions);
      if (!until.ok()) return until.status();
      if (*until < row.since) {
        return CsvError(file_name, record.line, "until is before since");
      }
      row.until = *until;
    }
    row.record = std::move(record);
    rows.push_back(std::move(row));
  }
  return rows;
}

}  // namespace budget
