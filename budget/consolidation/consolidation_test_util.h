// Builders and an independent brute-force oracle shared by the
// consolidation tests. Test-only.
#ifndef BUDGET_CONSOLIDATION_CONSOLIDATION_TEST_UTIL_H_
#define BUDGET_CONSOLIDATION_CONSOLIDATION_TEST_UTIL_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "budget/consolidation/node_rollup.h"
#include "budget/consolidation/unit_tree.h"
#include "budget/v1/budget.pb.h"

namespace budget {

v1::Unit MakeUnit(const std::string& code, const std::string& parent,
                  v1::UnitKind kind = v1::UNIT_KIND_INSTITUTION);

v1::UnitBudget MakeBudget(const std::string& unit_code, int32_t year = 2024);

// A basic-personnel 2150501/30101/50101 line paid from the general budget;
// a transfer when `kind` is set.
v1::ExpenditureLine* AddSpending(
    v1::UnitBudget* budget, int64_t fen,
    v1::TransferKind kind = v1::TRANSFER_KIND_UNSPECIFIED,
    const std::string& counterpart = "");

v1::IncomeLine* AddIncome(v1::UnitBudget* budget, v1::FundingSource source,
                          int64_t fen, const std::string& counterpart = "");

// Recomputes every node's rollup from scratch, by definition: each line of
// each unit within the node, unless it is a transfer whose lowest common
// ancestor is the node or lies below it. Nodes without budgets are absent.
std::map<std::string, NodeRollup> BruteForceRollups(
    const UnitTree& tree, const std::vector<v1::UnitBudget>& budgets);

// Every field of two rollups, nullptr meaning "no rollup"; failures name
// `where`.
void ExpectSameRollup(const NodeRollup* actual, const NodeRollup* expected,
                      const std::string& where);

}  // namespace budget

#endif  // BUDGET_CONSOLIDATION_CONSOLIDATION_TEST_UTIL_H_
