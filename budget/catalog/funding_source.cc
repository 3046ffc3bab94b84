// Catalog::FundingSourceName: the labels of table 02 (部门收入总体情况表)
// and of table 07's columns, kept apart from the code lists because they
// are fixed by the proto enum rather than by data files.
#include "budget/catalog/catalog.h"

namespace budget {

absl::string_view Catalog::FundingSourceName(v1::FundingSource source) {
  switch (source) {
    case v1::FUNDING_SOURCE_GENERAL_PUBLIC_BUDGET:
      return "一般公共预算";
    case v1::FUNDING_SOURCE_GENERAL_PUBLIC_BUDGET_OTHER:
      return "一般公共预算（非财政拨款）";
    case v1::FUNDING_SOURCE_GOVERNMENT_FUND:
      return "政府性基金预算";
    case v1::FUNDING_SOURCE_STATE_CAPITAL:
      return "国有资本经营预算";
    case v1::FUNDING_SOURCE_FISCAL_SPECIAL_ACCOUNT:
      return "财政专户管理资金";
    case v1::FUNDING_SOURCE_BUSINESS_INCOME:
      return "事业收入";
    case v1::FUNDING_SOURCE_OPERATING_INCOME:
      return "事业单位经营收入";
    case v1::FUNDING_SOURCE_SUBSIDY_FROM_SUPERIOR:
      return "上级补助收入";
    case v1::FUNDING_SOURCE_REMITTANCE_FROM_SUBORDINATE:
      return "附属单位上缴收入";
    case v1::FUNDING_SOURCE_OTHER_INCOME:
      return "其他收入";
    case v1::FUNDING_SOURCE_INSTITUTION_FUND:
      return "用事业基金弥补收支差额";
    case v1::FUNDING_SOURCE_CARRYOVER_GENERAL_PUBLIC_BUDGET:
      return "上年结转结余（一般公共预算）";
    case v1::FUNDING_SOURCE_CARRYOVER_GOVERNMENT_FUND:
      return "上年结转结余（政府性基金）";
    case v1::FUNDING_SOURCE_CARRYOVER_STATE_CAPITAL:
      return "上年结转结余（国有资本经营预算）";
    case v1::FUNDING_SOURCE_CARRYOVER_FISCAL_SPECIAL_ACCOUNT:
      return "上年结转结余（财政专户管理资金）";
    case v1::FUNDING_SOURCE_CARRYOVER_UNIT_FUNDS:
      return "上年结转结余（单位资金）";
    default:
      return "";
  }
}

}  // namespace budget
