#include "budget/tables/table_cells.h"

#include <string>

namespace budget {

v1::TableCell TextCell(absl::string_view text) {
  v1::TableCell cell;
  if (!text.empty()) cell.set_text(std::string(text));
  return cell;
}

v1::TableCell AmountCell(int64_t fen) {
  v1::TableCell cell;
  cell.set_amount_fen(fen);
  return cell;
}

v1::TableCell MaskedCell() {
  v1::TableCell cell;
  cell.set_masked(true);
  return cell;
}

v1::TableCell EmptyCell() { return v1::TableCell(); }

v1::TableCell HeaderCell(absl::string_view text, int columns, int rows) {
  v1::TableCell cell = TextCell(text);
  if (columns > 1) cell.set_column_span(columns);
  if (rows > 1) cell.set_row_span(rows);
  return cell;
}

v1::TableRow* AddRow(google::protobuf::RepeatedPtrField<v1::TableRow>* rows,
                     v1::RowKind kind) {
  v1::TableRow* row = rows->Add();
  row->set_kind(kind);
  return row;
}

void AddHeaderRow(v1::DisclosureTable* table,
                  std::initializer_list<v1::TableCell> cells) {
  v1::TableRow* row =
      AddRow(table->mutable_header_rows(), v1::ROW_KIND_HEADING);
  for (const v1::TableCell& cell : cells) *row->add_cells() = cell;
}

void AppendTexts(v1::TableRow* row,
                 std::initializer_list<absl::string_view> texts) {
  for (absl::string_view text : texts) *row->add_cells() = TextCell(text);
}

void ColumnSums::AddAll(const ColumnSums& other) {
  for (int i = 0; i < size() && i < other.size(); ++i) {
    sums_[i].Add(other.at(i));
  }
  if (!other.status().ok()) inherited_overflow_ = true;
}

bool ColumnSums::IsZero() const {
  for (const MoneySum& sum : sums_) {
    if (sum.value() != 0) return false;
  }
  return true;
}

absl::Status ColumnSums::status() const {
  if (inherited_overflow_) {
    return absl::OutOfRangeError("amount sum overflows int64 fen");
  }
  for (const MoneySum& sum : sums_) {
    if (!sum.ok()) return sum.status();
  }
  return absl::OkStatus();
}

void ColumnSums::AppendTo(v1::TableRow* row, ZeroCell zero, bool masked) const {
  for (const MoneySum& sum : sums_) {
    if (sum.value() == 0) {
      *row->add_cells() =
          zero == ZeroCell::kZero && !masked ? AmountCell(0) : EmptyCell();
    } else {
      *row->add_cells() = masked ? MaskedCell() : AmountCell(sum.value());
    }
  }
}

absl::Status FirstError(const std::vector<const ColumnSums*>& sums) {
  for (const ColumnSums* s : sums) {
    if (absl::Status status = s->status(); !status.ok()) return status;
  }
  return absl::OkStatus();
}

}  // namespace budget
