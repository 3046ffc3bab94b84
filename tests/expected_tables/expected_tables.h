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
// Returns one message per cell that differs unless known_differences.tsv
// lists it (table, a label of the row or "" for an unlabelled row, column
// name, printed, reproduced), and per missing or extra row. Empty: equal.
std::vector<std::string> CompareWithExpected(
    const budget::v1::DisclosureTable& table, const std::string& expected_dir);

}  // namespace expected_tables

#endif  // TESTS_EXPECTED_TABLES_EXPECTED_TABLES_H_
