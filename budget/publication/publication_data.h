// Everything a publication is generated from: the explanatory figures of
// 第二部分 (v1::Summary, built with the prior year as comparison) and the
// thirteen disclosure tables, exactly as the query service serves them to the
// reader — so masking of classified projects has already been applied. The
// publication never looks behind them. Plain values; thread-compatible.
#ifndef BUDGET_PUBLICATION_PUBLICATION_DATA_H_
#define BUDGET_PUBLICATION_PUBLICATION_DATA_H_

#include <map>
#include <string>

#include "absl/strings/string_view.h"
#include "budget/v1/tables.pb.h"

namespace budget {

struct PublicationData {
  v1::Summary summary;
  // By table id "01".."13".
  std::map<std::string, v1::DisclosureTable> tables;

  // The table, or an empty one when it is missing.
  const v1::DisclosureTable& Table(absl::string_view id) const;
};

// The first amount of the table's 合计 row in fen; 0 when the table has no
// total row or its total is blank or masked.
int64_t TableTotalFen(const v1::DisclosureTable& table);

}  // namespace budget

#endif  // BUDGET_PUBLICATION_PUBLICATION_DATA_H_
