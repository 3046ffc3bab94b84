#include "budget/tables/three_public.h"

#include "budget/money.h"
#include "budget/tables/funds.h"

namespace budget {

absl::StatusOr<v1::ThreePublicExpenses> SumThreePublic(
    const NodeRollup& rollup) {
  MoneySum outbound, purchase, operation, reception, total;
  for (const auto& [key, cell] : rollup.expenditure) {
    if (!IsGeneralPublicBudget(key.source())) continue;
    MoneySum* component = nullptr;
    if (key.dept_economic_code() == "30212") component = &outbound;
    if (key.dept_economic_code() == "31013") component = &purchase;
    if (key.dept_economic_code() == "30231") component = &operation;
    if (key.dept_economic_code() == "30217") component = &reception;
    if (component == nullptr) continue;
    component->Add(cell.fen);
    total.Add(cell.fen);
  }
  if (!total.ok()) return total.status();
  v1::ThreePublicExpenses expenses;
  expenses.set_total_fen(total.value());
  expenses.set_outbound_travel_fen(outbound.value());
  expenses.set_vehicle_purchase_fen(purchase.value());
  expenses.set_vehicle_operation_fen(operation.value());
  expenses.set_reception_fen(reception.value());
  return expenses;
}

}  // namespace budget
