// The project's layout of disclosure tables 01-11 (budget/tables), one
// canonical name per column: the names the expected TSVs of a golden
// fixture use (fixtures/*/expected/TNN.tsv), so that a document laid out
// differently is transcribed into named cells and compared by meaning.
//
// Constant data; thread-safe.
#ifndef TESTS_EXPECTED_TABLES_TABLE_COLUMNS_H_
#define TESTS_EXPECTED_TABLES_TABLE_COLUMNS_H_

#include <string>
#include <vector>

namespace expected_tables {

// Columns of table `table_id` ("01".."11") left to right; empty for a table
// without a fixed column layout (12, 13) or an unknown id.
const std::vector<std::string>& TableColumns(const std::string& table_id);

}  // namespace expected_tables

#endif  // TESTS_EXPECTED_TABLES_TABLE_COLUMNS_H_
