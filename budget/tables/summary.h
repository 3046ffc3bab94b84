// The explanatory figures of 第二部分 (情况说明) for a consolidated node and
// year: totals, shares with their printed percents, "三公" by component, the
// stated other disclosures, changes against a prior year, and the internal
// transfers whose sides disagree. Pure function of the request; safe to call
// concurrently on inputs nobody writes.
#ifndef BUDGET_TABLES_SUMMARY_H_
#define BUDGET_TABLES_SUMMARY_H_

#include <cstddef>
#include <cstdint>

#include "absl/status/statusor.h"
#include "budget/tables/disclosure_tables.h"
#include "budget/v1/tables.pb.h"

namespace budget {

// How many disagreeing internal transfers a summary lists (the rest are
// counted): a region's summary stays small however many its units disagree.
inline constexpr size_t kMaxTransferMismatchesListed = 100;

// compare_year 0 means no comparison. When the prior year has no budget the
// comparison fields stay unset and compare_year is 0. Errors as for
// BuildDisclosureTable.
absl::StatusOr<v1::Summary> BuildSummary(const TableRequest& request,
                                         int32_t compare_year);

}  // namespace budget

#endif  // BUDGET_TABLES_SUMMARY_H_
