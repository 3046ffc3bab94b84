// Reads the catalog files that span several editions of 政府收支分类科目:
// editions.csv names the editions (one per fiscal year), and every code or
// pair row carries `since` and `until`, the first and last edition listing
// it (`until` empty: still listed in the newest). A row is validated once
// here; Catalog then builds one edition at a time from the rows it spans.
// Pure functions; thread-safe.
#ifndef BUDGET_CATALOG_EDITION_TABLE_H_
#define BUDGET_CATALOG_EDITION_TABLE_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "budget/catalog/csv_table.h"

namespace budget {

// A record of a catalog file and the editions it belongs to.
struct EditionRecord {
  CsvRecord record;  // Every column, since and until included.
  int since = 0;
  int until = 0;  // 0 when still listed in the newest edition.

  bool InEdition(int year) const {
    return since <= year && (until == 0 || year <= until);
  }
};

// The edition years of editions.csv (`year,title`), oldest first. Years must
// be strictly increasing.
absl::StatusOr<std::vector<int>> ParseEditions(absl::string_view file_name,
                                               absl::string_view text);

// Parses a file whose header is `columns`, which must include "since" and
// "until"; both must name years of `editions`, since <= until.
absl::StatusOr<std::vector<EditionRecord>> ParseEditionTable(
    absl::string_view file_name, absl::string_view text,
    const std::vector<std::string>& columns, const std::vector<int>& editions);

}  // namespace budget

#endif  // BUDGET_CATALOG_EDITION_TABLE_H_
