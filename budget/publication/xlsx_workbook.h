// Tables 01–13 as an XLSX workbook (libxlsxwriter): one sheet per table in
// the published layout — title and unit line, header cells merged as
// published, numbers as numbers in 万元 shown with one decimal (so sums in
// the spreadsheet work), masked cells as the text "XXXX", column widths
// from the content, header rows frozen and repeated on every printed page,
// A4 landscape fitted to the page width. Thread-safe (no shared state).
#ifndef BUDGET_PUBLICATION_XLSX_WORKBOOK_H_
#define BUDGET_PUBLICATION_XLSX_WORKBOOK_H_

#include <string>

#include "absl/status/status.h"
#include "budget/publication/publication_data.h"

namespace budget {

// The first sheet row of a table's header; rows above hold the title and
// the 部门名称 / 单位 line.
inline constexpr int kXlsxHeaderRow = 2;

// Writes the workbook to `path`, replacing any file there. INTERNAL with
// libxlsxwriter's message when the file cannot be written.
absl::Status WriteXlsxWorkbook(const PublicationData& data,
                               const std::string& path);

}  // namespace budget

#endif  // BUDGET_PUBLICATION_XLSX_WORKBOOK_H_
