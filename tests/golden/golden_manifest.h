// The manifest of a golden department (fixtures/<slug>/golden.cfg): what
// the department's end-to-end test loads and which published tables it
// compares, and how. One setting a line, '#' starts a comment:
//
//   department 021              node whose tables the document prints
//   year 2024                   the document's fiscal year
//   submit_years 2023 2024      budget folders to submit (default: year)
//   amounts wan 1               every table prints 万元 (or yuan), 1 decimal
//   table 05 key code           compare by meaning, rows named by `code`
//   table 03 key lei+kuan+xiang,unit_code
//   table 01 key income_item:income_amount key
//   expenditure_item:expenditure_amount table 06 position           the TSV
//   copies the project's layout and order table 02 key code partial   the TSV
//   holds only some rows (figures the
//                               text states; the table was not readable)
//   summary income_change 8,783.60
//                               a figure of the summary (budget.v1.Summary:
//                               a *_fen total named without _fen, or a
//                               Change's change_fen), of the current view
//   view 021001 2023 unit-2023  the tables below: node 021001, year 2023,
//                               cells in expected/unit-2023/ (a second
//                               document, e.g. a unit's own 单位预算)
//
// A key lists key columns (comma-separated TSV column names), optionally
// ':' and the value columns compared under it (default: every other
// column). See tests/expected_tables/expected_tables.h.
//
// Plain data; thread-compatible.
#ifndef TESTS_GOLDEN_GOLDEN_MANIFEST_H_
#define TESTS_GOLDEN_GOLDEN_MANIFEST_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "tests/expected_tables/expected_tables.h"

namespace golden {

// What a table or summary figure is read from, and at which precision.
struct ManifestTarget {
  std::string node;  // node whose table or summary is read
  int year = 0;      // its fiscal year
  expected_tables::CompareOptions options;  // keys empty: by position
};

struct ManifestTable {
  std::string id;  // "01".."13"
  ManifestTarget target;
  std::string expected_dir;  // under the fixture: "expected" or "expected/X"
};

// A figure of the summary the document states (第二部分 / 情况说明).
struct ManifestSummary {
  std::string field;    // e.g. "income_change", "income_total"
  std::string printed;  // as the document prints it
  ManifestTarget target;
};

struct Manifest {
  // The default view: the department's tables of `year` in expected/.
  std::string department;
  int year = 0;
  std::vector<int> submit_years;
  std::vector<ManifestTable> tables;
  std::vector<ManifestSummary> summaries;
};

// Parses the text of a golden.cfg; the error names the line.
absl::StatusOr<Manifest> ParseManifest(const std::string& text);

}  // namespace golden

#endif  // TESTS_GOLDEN_GOLDEN_MANIFEST_H_
