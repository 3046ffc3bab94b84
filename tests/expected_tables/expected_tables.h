// Compares disclosure tables with the published cells of a golden fixture
// (fixtures/<name>/expected/TNN.tsv), allowing exactly the cells listed in
// expected/known_differences.tsv. For any test that builds tables: the
// domain's table tests and the query service's end-to-end test alike.
//
// Two ways to pair cells: position by position (the fixture's TSVs copy the
// project's layout and row order, as fixtures/zhengzhou-iit does), or by
// meaning (CompareOptions::keys): rows paired by a key (a code, a label),
// columns by their canonical names (table_columns.h), so a province's
// column order, row order and omitted rows or columns do not matter.
//
// Pure functions of the files read; thread-safe.
#ifndef TESTS_EXPECTED_TABLES_EXPECTED_TABLES_H_
#define TESTS_EXPECTED_TABLES_EXPECTED_TABLES_H_

#include <cstdint>
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

// One way to name rows of a table compared by meaning.
struct RowKey {
  // Canonical columns whose cells, joined, name the row; a TSV header
  // "lei+kuan+xiang" stands for the three columns' texts concatenated
  // (a code printed in one cell).
  std::vector<std::string> key_columns;
  // Columns compared under this key; empty: every column of the TSV that
  // is no key column of any RowKey.
  std::vector<std::string> value_columns;
};

struct CompareOptions {
  // Empty: position by position, as above. Otherwise by meaning: for each
  // RowKey, the n-th expected row of a key is compared with the n-th row of
  // the table with that key, in the columns the TSV names. A table row no
  // expected row names is a problem when it prints a non-zero figure in
  // those columns. Two keys (e.g. table 01: income_item and
  // expenditure_item) compare the two halves of a two-sided table apart.
  std::vector<RowKey> keys;
  // True when the TSV holds only some rows of the table (cells the
  // document states in its text while its table could not be read): rows
  // the TSV does not name are not compared.
  bool partial = false;
  // How the document prints amounts: in 万元 (true) or 元, with `decimals`
  // decimals. Amounts compare as numbers at that precision (rounded half
  // away from zero from the exact fen); an empty cell is zero.
  bool in_wan = true;
  int decimals = 1;
};

// By meaning, or position by position when `options.keys` is empty. The
// known differences name printed and reproduced values as printed.
std::vector<std::string> CompareWithExpected(
    const budget::v1::DisclosureTable& table, const std::string& expected_dir,
    const CompareOptions& options);

// True when `printed` (as the document prints it, e.g. "8,783.60") is the
// amount `fen` at the precision of `options`; `reproduced` gets the amount
// as printed at that precision, for messages.
bool SamePrintedAmount(const std::string& printed, int64_t fen,
                       const CompareOptions& options, std::string* reproduced);

}  // namespace expected_tables

#endif  // TESTS_EXPECTED_TABLES_EXPECTED_TABLES_H_
