// Builds the thirteen disclosure tables (预算 01-13 表) of a consolidated node
// and year as data, in the published layout: same rows, order, codes, names
// and columns as the reference disclosure, including rows published empty.
// Rendering to text or CSV is separate (render_text.h, render_csv.h).
//
// The request borrows the Consolidator and Catalog; both must outlive the
// call and not change during it. Pure functions of their inputs; safe to call
// concurrently on inputs nobody writes.
#ifndef BUDGET_TABLES_DISCLOSURE_TABLES_H_
#define BUDGET_TABLES_DISCLOSURE_TABLES_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "budget/v1/tables.pb.h"

namespace budget {

class Catalog;
class Consolidator;

struct TableRequest {
  const Consolidator* consolidation = nullptr;
  const Catalog* catalog = nullptr;
  std::string node_code;
  int32_t fiscal_year = 0;
  // A cleared reader sees classified projects (涉密项目) in full.
  bool cleared = false;
};

// table_id is "01".."13" or "T01".."T13". INVALID_ARGUMENT for an unknown
// id or a request missing its inputs; NOT_FOUND when the node is unknown or
// nothing below it has a budget for the year; OUT_OF_RANGE on overflow.
absl::StatusOr<v1::DisclosureTable> BuildDisclosureTable(
    absl::string_view table_id, const TableRequest& request);

// Labels of table 01's income rows of two 财政拨款 funds, for readers that
// look the rows up (the 第二部分 text): this year's money of each fund.
inline constexpr absl::string_view kTable01GovernmentFundIncome =
    "二、政府性基金预算拨款收入";
inline constexpr absl::string_view kTable01StateCapitalIncome =
    "三、国有资本经营预算拨款收入";

// The three 财政拨款 funds, in table 04's order.
enum class FiscalFundRow { kGeneralPublic, kGovernmentFund, kStateCapital };

// The fund's money carried over from last year and spent this year, as
// table 04 (built by BuildDisclosureTable) lists it under 二、上年结转; 0
// when blank. Tables 05, 07, 09 and 10 show this year's money only.
int64_t Table04CarryOverFen(const v1::DisclosureTable& table04,
                            FiscalFundRow fund);

}  // namespace budget

#endif  // BUDGET_TABLES_DISCLOSURE_TABLES_H_
