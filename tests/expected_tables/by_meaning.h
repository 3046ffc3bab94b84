// Internal to expected_tables: compares a table with its expected TSV by
// meaning (expected_tables.h, CompareOptions). Pure; thread-safe.
#ifndef TESTS_EXPECTED_TABLES_BY_MEANING_H_
#define TESTS_EXPECTED_TABLES_BY_MEANING_H_

#include <string>
#include <vector>

#include "budget/v1/tables.pb.h"
#include "tests/expected_tables/expected_tables.h"
#include "tests/expected_tables/tsv.h"

namespace expected_tables {

// One message per difference not listed in `known`; empty: equal.
std::vector<std::string> CompareByMeaning(
    const budget::v1::DisclosureTable& table, const Tsv& expected,
    const Tsv& known, const CompareOptions& options);

}  // namespace expected_tables

#endif  // TESTS_EXPECTED_TABLES_BY_MEANING_H_
