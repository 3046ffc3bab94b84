// Compares disclosure tables with the published cells of a golden fixture
// (fixtures/<name>/expected/TNN.tsv), allowing exactly the cells listed in
// expected/known_differences.tsv. For any test that builds tables: the
// domain's table tests and the query service's end-to-end test alike.
//
// Pure functions of the files read; thread-safe.
#ifndef TESTS_EXPECTED_TABLES_EXPECTED_TABLES_H_
#define TESTS_EXPECTED_TABLES_EXPECTED_TABLES_H_

#include <string>
#include <vector>

#include "budget/v1/tables.pb.h"

namespace expected_tables {

// Body rows of `table`, printed as published (amounts in 万元, XXXX),
// against the rows of `expected_dir`/T<table_id>.tsv, position by position.
// Table 12 is first brought into its TSV's layout (part, heading, item,
// subitem, value, explanation; merged cells carried down). Returns one
// message per cell that differs unless known_differences.tsv lists it
// (table, a label of the row or "" for an unlabelled row, column name,
// printed, reproduced), and per missing or extra row. A listed column
// `row_position` names a row the table places at the reproduced 1-based
// position instead of the printed one; it is moved back before comparing
// and must be where listed. Empty: equal.
std::vector<std::string> CompareWithExpected(
    const budget::v1::DisclosureTable& table, const std::string& expected_dir);

}  // namespace expected_tables

#endif  // TESTS_EXPECTED_TABLES_EXPECTED_TABLES_H_
