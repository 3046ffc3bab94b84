#include "budget/tables/expenditure_sums.h"

#include "absl/container/flat_hash_set.h"

namespace budget {

absl::StatusOr<GroupSums> SumExpenditure(
    const NodeRollup& rollup, int column_count,
    absl::FunctionRef<std::string(const ExpenditureKey&)> group,
    absl::FunctionRef<std::vector<int>(const ExpenditureKey&)> columns) {
  GroupSums groups;
  for (const auto& [key, cell] : rollup.expenditure) {
    std::string name = group(key);
    if (name.empty()) continue;
    const std::vector<int> targets = columns(key);
    if (targets.empty()) continue;
    ColumnSums& sums =
        groups.try_emplace(std::move(name), column_count).first->second;
    for (int column : targets) sums.Add(column, cell.fen);
  }
  for (const auto& [name, sums] : groups) {
    if (absl::Status status = sums.status(); !status.ok()) return status;
  }
  return groups;
}

absl::StatusOr<ColumnSums> SumGroups(const GroupSums& groups,
                                     int column_count) {
  ColumnSums total(column_count);
  for (const auto& [name, sums] : groups) total.AddAll(sums);
  if (absl::Status status = total.status(); !status.ok()) return status;
  return total;
}

std::vector<std::string> OrderByUnits(
    const TableContext& context, const GroupSums& groups,
    absl::FunctionRef<std::string(const ExpenditureKey&)> group) {
  std::vector<std::string> order;
  absl::flat_hash_set<std::string> seen;
  for (const TableContext::UnitBudgetRef& ref : context.units) {
    for (const PackedLine& line : ref.budget->lines()) {
      std::string name = group(line.key);
      if (groups.contains(name) && seen.insert(name).second) {
        order.push_back(std::move(name));
      }
    }
  }
  for (const auto& [name, sums] : groups) {
    if (seen.insert(name).second) order.push_back(name);
  }
  return order;
}

}  // namespace budget
