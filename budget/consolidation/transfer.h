// Reads a budget line as one side of an internal transfer: who pays, who
// receives, and which kind of transfer it is. Elimination and reconciliation
// both need this reading, so it lives in one place.
//
// Pure functions; thread-safe.
#ifndef BUDGET_CONSOLIDATION_TRANSFER_H_
#define BUDGET_CONSOLIDATION_TRANSFER_H_

#include <optional>
#include <string>

#include "absl/strings/string_view.h"
#include "budget/v1/budget.pb.h"

namespace budget {

// A transfer between two units, named the same way by both of its sides.
struct TransferPair {
  std::string payer_unit;
  std::string payee_unit;
  v1::TransferKind kind = v1::TRANSFER_KIND_UNSPECIFIED;
};

// The transfer an expenditure line of `unit_code` pays out; nullopt when the
// line is not a transfer.
std::optional<TransferPair> TransferOf(const v1::ExpenditureLine& line,
                                       absl::string_view unit_code);

// The transfer an income line of `unit_code` receives (上级补助收入 as a
// subsidy paid by its counterpart, 附属单位上缴收入 as a remittance paid by
// its counterpart); nullopt for any other source.
std::optional<TransferPair> TransferOf(const v1::IncomeLine& line,
                                       absl::string_view unit_code);

// The other side of `transfer` as seen from `unit_code`.
const std::string& CounterpartOf(const TransferPair& transfer,
                                 absl::string_view unit_code);

}  // namespace budget

#endif  // BUDGET_CONSOLIDATION_TRANSFER_H_
