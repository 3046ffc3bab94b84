// How the tables group funding sources: the published columns name funds
// (一般公共预算, 政府性基金, 国有资本经营, 财政专户管理资金, 单位资金) and
// whether the money is this year's or carried over (上年结转结余). Internal
// to budget/tables. Pure functions, thread-safe.
#ifndef BUDGET_TABLES_FUNDS_H_
#define BUDGET_TABLES_FUNDS_H_

#include "budget/v1/budget.pb.h"

namespace budget {

enum class Fund {
  kGeneralPublic,  // 一般公共预算 (of which 财政拨款 when appropriation).
  kGovernmentFund,  // 政府性基金预算.
  kStateCapital,    // 国有资本经营预算.
  kSpecialAccount,  // 财政专户管理资金.
  kUnitFunds,  // 单位资金: 事业收入, 经营收入, 其他收入 and the like.
};

struct FundOf {
  Fund fund = Fund::kUnitFunds;
  // Money of earlier years, not this year's income: 上年结转结余, and
  // 用事业基金弥补收支差额 (the 事业基金 an institution accumulated from
  // earlier years' 结余, as the disclosures' 名词解释 define it).
  bool carryover = false;
};

FundOf ClassifySource(v1::FundingSource source);

// 一般公共预算 of this year: the money tables 05, 06 and 08 cover.
inline bool IsGeneralPublicBudget(v1::FundingSource source) {
  const FundOf of = ClassifySource(source);
  return of.fund == Fund::kGeneralPublic && !of.carryover;
}

// 政府预算资金 (table 12/13): 一般公共预算, 政府性基金 and 国有资本经营,
// this year's or carried over.
inline bool IsGovernmentBudget(v1::FundingSource source) {
  const Fund fund = ClassifySource(source).fund;
  return fund == Fund::kGeneralPublic || fund == Fund::kGovernmentFund ||
         fund == Fund::kStateCapital;
}

}  // namespace budget

#endif  // BUDGET_TABLES_FUNDS_H_
