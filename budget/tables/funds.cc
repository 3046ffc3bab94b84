#include "budget/tables/funds.h"

namespace budget {

FundOf ClassifySource(v1::FundingSource source) {
  switch (source) {
    case v1::FUNDING_SOURCE_GENERAL_PUBLIC_BUDGET:
    case v1::FUNDING_SOURCE_GENERAL_PUBLIC_BUDGET_OTHER:
      return {Fund::kGeneralPublic, false};
    case v1::FUNDING_SOURCE_GOVERNMENT_FUND:
      return {Fund::kGovernmentFund, false};
    case v1::FUNDING_SOURCE_STATE_CAPITAL:
      return {Fund::kStateCapital, false};
    case v1::FUNDING_SOURCE_FISCAL_SPECIAL_ACCOUNT:
      return {Fund::kSpecialAccount, false};
    case v1::FUNDING_SOURCE_CARRYOVER_GENERAL_PUBLIC_BUDGET:
      return {Fund::kGeneralPublic, true};
    case v1::FUNDING_SOURCE_CARRYOVER_GOVERNMENT_FUND:
      return {Fund::kGovernmentFund, true};
    case v1::FUNDING_SOURCE_CARRYOVER_STATE_CAPITAL:
      return {Fund::kStateCapital, true};
    case v1::FUNDING_SOURCE_CARRYOVER_FISCAL_SPECIAL_ACCOUNT:
      return {Fund::kSpecialAccount, true};
    case v1::FUNDING_SOURCE_CARRYOVER_UNIT_FUNDS:
    case v1::FUNDING_SOURCE_INSTITUTION_FUND:
      return {Fund::kUnitFunds, true};
    default:
      return {Fund::kUnitFunds, false};
  }
}

}  // namespace budget
