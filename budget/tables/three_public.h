// 一般公共预算"三公"经费 derived from the economic codes of a node's lines:
// 因公出国（境）费 30212, 公务用车购置费 31013, 公务用车运行维护费 30231,
// 公务接待费 30217 — never typed in twice. Used by table 08 and the summary.
// Pure function; thread-compatible.
#ifndef BUDGET_TABLES_THREE_PUBLIC_H_
#define BUDGET_TABLES_THREE_PUBLIC_H_

#include "absl/status/statusor.h"
#include "budget/consolidation/node_rollup.h"
#include "budget/v1/tables.pb.h"

namespace budget {

// Sums this year's general public budget lines, basic and project alike.
// OUT_OF_RANGE on overflow.
absl::StatusOr<v1::ThreePublicExpenses> SumThreePublic(
    const NodeRollup& rollup);

}  // namespace budget

#endif  // BUDGET_TABLES_THREE_PUBLIC_H_
