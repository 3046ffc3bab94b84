// Renders a DisclosureTable as monospaced text laid out like the published
// table: header cells span columns and rows as published, columns are as
// wide as their widest cell (CJK counting two columns), text left-aligned,
// amounts right-aligned in 万元 with one decimal and thousands separators,
// masked amounts as XXXX. Every grid line has the same display width.
// Pure function; thread-safe.
#ifndef BUDGET_TABLES_RENDER_TEXT_H_
#define BUDGET_TABLES_RENDER_TEXT_H_

#include <string>

#include "budget/v1/tables.pb.h"

namespace budget {

std::string RenderText(const v1::DisclosureTable& table);

}  // namespace budget

#endif  // BUDGET_TABLES_RENDER_TEXT_H_
