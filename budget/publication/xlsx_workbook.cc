#include "budget/publication/xlsx_workbook.h"

#include <algorithm>
#include <vector>

#include "absl/strings/str_cat.h"
#include "budget/money.h"
#include "budget/tables/display_width.h"
#include "budget/tables/table_grid.h"
#include "xlsxwriter.h"

namespace budget {
namespace {

constexpr double kMinWidth = 6;
constexpr double kMaxWidth = 48;  // Longer text wraps.

struct Formats {
  lxw_format* title;
  lxw_format* header;
  lxw_format* text;
  lxw_format* bold_text;
  lxw_format* amount;
  lxw_format* bold_amount;
  lxw_format* plain;
};

Formats MakeFormats(lxw_workbook* book) {
  auto bordered = [book](bool bold) {
    lxw_format* format = workbook_add_format(book);
    format_set_border(format, LXW_BORDER_THIN);
    format_set_align(format, LXW_ALIGN_VERTICAL_CENTER);
    format_set_font_size(format, 10);
    if (bold) format_set_bold(format);
    return format;
  };
  Formats f;
  f.title = workbook_add_format(book);
  format_set_bold(f.title);
  format_set_font_size(f.title, 16);
  format_set_align(f.title, LXW_ALIGN_CENTER);
  f.header = bordered(true);
  format_set_align(f.header, LXW_ALIGN_CENTER);
  format_set_text_wrap(f.header);
  f.text = bordered(false);
  format_set_text_wrap(f.text);
  f.bold_text = bordered(true);
  format_set_text_wrap(f.bold_text);
  // Amounts are stored in 万元 at full precision; the format shows the one
  // decimal the published tables print.
  f.amount = bordered(false);
  format_set_num_format(f.amount, "#,##0.0");
  f.bold_amount = bordered(true);
  format_set_num_format(f.bold_amount, "#,##0.0");
  f.plain = workbook_add_format(book);
  return f;
}

// Fen to 万元 for the spreadsheet: a number is what lets the reader sum
// cells, and the exact value keeps those sums equal to the totals. This is
// output only; nothing computes with it.
double WanNumber(int64_t fen) {
  return static_cast<double>(fen) / static_cast<double>(kFenPerWan);
}

// Writes one grid row: the k-th cell of `row` at the k-th grid position
// that holds a cell of its own, merged over its spans.
void WriteRow(lxw_worksheet* sheet, int sheet_row,
              const std::vector<GridCell>& grid_row, const v1::TableRow& row,
              bool header, const Formats& f, std::vector<double>* widths) {
  const bool bold =
      row.kind() == v1::ROW_KIND_TOTAL || row.kind() == v1::ROW_KIND_SUBTOTAL;
  int k = 0;
  for (int c = 0; c < static_cast<int>(grid_row.size()); ++c) {
    const GridCell& at = grid_row[c];
    if (at.covered || at.below_span) continue;
    if (k >= row.cells_size()) break;
    const v1::TableCell& cell = row.cells(k++);
    lxw_format* format = header ? f.header : bold ? f.bold_text : f.text;
    if (cell.has_amount_fen()) format = bold ? f.bold_amount : f.amount;
    const int last_row = sheet_row + at.row_span - 1;
    const int last_col = c + at.column_span - 1;
    if (last_row != sheet_row || last_col != c) {
      worksheet_merge_range(sheet, sheet_row, c, last_row, last_col, "",
                            format);
    }
    if (cell.has_amount_fen()) {
      worksheet_write_number(sheet, sheet_row, c, WanNumber(cell.amount_fen()),
                             format);
    } else if (!at.text.empty()) {
      worksheet_write_string(sheet, sheet_row, c, at.text.c_str(), format);
    } else {
      worksheet_write_blank(sheet, sheet_row, c, format);
    }
    if (at.column_span == 1) {
      (*widths)[c] = std::max((*widths)[c],
                              static_cast<double>(DisplayWidth(at.text) + 2));
    }
  }
}

void WriteSheet(lxw_workbook* book, const v1::DisclosureTable& table,
                const Formats& f) {
  const std::string name = absl::StrCat("预算", table.table_id(), "表");
  lxw_worksheet* sheet = workbook_add_worksheet(book, name.c_str());
  const TableGrid grid = LayOut(table);
  const int last_col = std::max(grid.columns, 1) - 1;
  worksheet_merge_range(sheet, 0, 0, 0, last_col, table.title().c_str(),
                        f.title);
  worksheet_write_string(sheet, 1, 0,
                         absl::StrCat("部门名称：", table.node_name()).c_str(),
                         f.plain);
  worksheet_write_string(sheet, 1, last_col, table.unit_label().c_str(),
                         f.plain);

  std::vector<double> widths(grid.columns, kMinWidth);
  int sheet_row = kXlsxHeaderRow;
  for (int r = 0; r < table.header_rows_size(); ++r) {
    WriteRow(sheet, sheet_row++, grid.header[r], table.header_rows(r),
             /*header=*/true, f, &widths);
  }
  const int body_row = sheet_row;
  for (int r = 0; r < table.body_rows_size(); ++r) {
    WriteRow(sheet, sheet_row++, grid.body[r], table.body_rows(r),
             /*header=*/false, f, &widths);
  }
  for (const std::string& note : table.notes()) {
    worksheet_write_string(sheet, sheet_row++, 0, note.c_str(), f.plain);
  }
  for (int c = 0; c < grid.columns; ++c) {
    worksheet_set_column(sheet, c, c, std::min(widths[c], kMaxWidth), nullptr);
  }
  worksheet_freeze_panes(sheet, body_row, 0);
  if (body_row > kXlsxHeaderRow) {
    worksheet_repeat_rows(sheet, kXlsxHeaderRow, body_row - 1);
  }
  worksheet_set_landscape(sheet);
  worksheet_set_paper(sheet, 9);  // A4.
  worksheet_fit_to_pages(sheet, 1, 0);
  worksheet_center_horizontally(sheet);
}

}  // namespace

absl::Status WriteXlsxWorkbook(const PublicationData& data,
                               const std::string& path) {
  lxw_workbook* book = workbook_new(path.c_str());
  if (book == nullptr) {
    return absl::InternalError(absl::StrCat("cannot create workbook ", path));
  }
  const Formats formats = MakeFormats(book);
  for (const auto& [id, table] : data.tables) WriteSheet(book, table, formats);
  const lxw_error error = workbook_close(book);
  if (error != LXW_NO_ERROR) {
    return absl::InternalError(absl::StrCat("cannot write workbook ", path,
                                            ": ", lxw_strerror(error)));
  }
  return absl::OkStatus();
}

}  // namespace budget
