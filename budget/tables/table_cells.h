// Building blocks of a DisclosureTable: cells, header cells with spans, and
// overflow-checked column sums appended as amount cells. Internal to
// budget/tables. Plain values and free functions; thread-compatible.
#ifndef BUDGET_TABLES_TABLE_CELLS_H_
#define BUDGET_TABLES_TABLE_CELLS_H_

#include <cstdint>
#include <initializer_list>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "budget/money.h"
#include "budget/v1/tables.pb.h"

namespace budget {

v1::TableCell TextCell(absl::string_view text);
v1::TableCell AmountCell(int64_t fen);
v1::TableCell MaskedCell();
v1::TableCell EmptyCell();
// A header cell spanning `columns` columns and `rows` rows.
v1::TableCell HeaderCell(absl::string_view text, int columns = 1, int rows = 1);

// Appends a row of the given kind and returns it.
v1::TableRow* AddRow(google::protobuf::RepeatedPtrField<v1::TableRow>* rows,
                     v1::RowKind kind);
// Appends a header row made of `cells`.
void AddHeaderRow(v1::DisclosureTable* table,
                  std::initializer_list<v1::TableCell> cells);
// Appends text cells ("" becomes an empty cell).
void AppendTexts(v1::TableRow* row,
                 std::initializer_list<absl::string_view> texts);

// How a zero amount prints: most tables leave it blank, table 05 prints
// "0.0".
enum class ZeroCell { kBlank, kZero };

// Sums of one row's amount columns; remembers the first overflow.
class ColumnSums {
 public:
  explicit ColumnSums(int columns) : sums_(columns) {}

  void Add(int column, int64_t fen) { sums_[column].Add(fen); }
  void AddAll(const ColumnSums& other);
  int64_t at(int column) const { return sums_[column].value(); }
  int size() const { return static_cast<int>(sums_.size()); }
  bool IsZero() const;
  absl::Status status() const;

  // Appends one amount cell per column; masked cells (when `masked`) show
  // "XXXX" where the amount is non-zero and stay blank elsewhere.
  void AppendTo(v1::TableRow* row, ZeroCell zero = ZeroCell::kBlank,
                bool masked = false) const;

 private:
  std::vector<MoneySum> sums_;
  bool inherited_overflow_ = false;  // AddAll met an overflowed source.
};

// The first non-OK status of `sums`, or OK.
absl::Status FirstError(const std::vector<const ColumnSums*>& sums);

}  // namespace budget

#endif  // BUDGET_TABLES_TABLE_CELLS_H_
