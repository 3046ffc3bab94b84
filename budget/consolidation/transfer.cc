#include "budget/consolidation/transfer.h"

namespace budget {

std::optional<TransferPair> TransferOf(const v1::ExpenditureLine& line,
                                       absl::string_view unit_code) {
  if (line.transfer_kind() == v1::TRANSFER_KIND_UNSPECIFIED) {
    return std::nullopt;
  }
  return TransferPair{std::string(unit_code), line.counterpart_unit(),
                      line.transfer_kind()};
}

std::optional<TransferPair> TransferOf(const v1::IncomeLine& line,
                                       absl::string_view unit_code) {
  switch (line.source()) {
    case v1::FUNDING_SOURCE_SUBSIDY_FROM_SUPERIOR:
      return TransferPair{line.counterpart_unit(), std::string(unit_code),
                          v1::TRANSFER_KIND_SUBSIDY_TO_SUBORDINATE};
    case v1::FUNDING_SOURCE_REMITTANCE_FROM_SUBORDINATE:
      return TransferPair{line.counterpart_unit(), std::string(unit_code),
                          v1::TRANSFER_KIND_REMITTANCE_TO_SUPERIOR};
    default:
      return std::nullopt;
  }
}

const std::string& CounterpartOf(const TransferPair& transfer,
                                 absl::string_view unit_code) {
  return transfer.payer_unit == unit_code ? transfer.payee_unit
                                          : transfer.payer_unit;
}

}  // namespace budget
