// Renders a budget.v1.DisclosureTable for people and for programs: aligned
// text like the published table (CJK two columns wide, amounts in 万元 with
// thousands separators and one decimal, right-aligned) and RFC 4180 CSV
// (spans flattened, amounts without separators). JSON is json_output.h's.
//
// Pure functions; thread-safe.
#ifndef BUDGETCTL_TABLE_RENDER_H_
#define BUDGETCTL_TABLE_RENDER_H_

#include <string>

#include "budget/v1/tables.pb.h"

namespace budgetctl {

std::string RenderTableText(const budget::v1::DisclosureTable& table);
std::string RenderTableCsv(const budget::v1::DisclosureTable& table);

}  // namespace budgetctl

#endif  // BUDGETCTL_TABLE_RENDER_H_
