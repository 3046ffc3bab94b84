// Renders a DisclosureTable as RFC 4180 CSV (budget/budget_file/csv.h): the
// header rows laid out on the column grid (a spanning cell's text in its
// first column, the positions it covers empty), then the body rows, then
// each note in a record of its own. Cells print as in render_text.h
// (万元 "96,262.5", "XXXX"), so reading the CSV back yields the printed
// cells. Pure function; thread-safe.
#ifndef BUDGET_TABLES_RENDER_CSV_H_
#define BUDGET_TABLES_RENDER_CSV_H_

#include <string>

#include "budget/v1/tables.pb.h"

namespace budget {

std::string RenderCsv(const v1::DisclosureTable& table);

}  // namespace budget

#endif  // BUDGET_TABLES_RENDER_CSV_H_
