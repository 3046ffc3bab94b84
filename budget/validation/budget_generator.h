// Random unit budgets that the official definitions allow, for property tests
// of the validator: every code comes from one catalog edition (all of its
// 支出功能分类 项 and economic 款, iterated through the Catalog API), every
// (部门, 政府) economic pair from its crosswalk, chosen for the unit's kind
// (行政 / 参公 book 501-504, 事业单位 505-506, anyone the other classes), and
// every nature from the 人员经费 / 公用经费 / 项目支出 definitions. Income
// balances expenditure fund by fund; transfers name registered counterparts
// on the side their definition puts them (a 机关 passing a subsidy on to a
// 事业单位 may book it on 505/506); local practices the rules accept
// (30239 either way, other 302 款 as 人员经费, 用事业基金弥补收支差额, 一体化
// project codes on basic lines) appear too.
//
// The generator is written from the definitions, not from the validator's
// code, so that the two can disagree. Test-only. The catalog and registry
// are borrowed and must outlive it; Generate is const and thread-safe given
// distinct random engines.
#ifndef BUDGET_VALIDATION_BUDGET_GENERATOR_H_
#define BUDGET_VALIDATION_BUDGET_GENERATOR_H_

#include <map>
#include <random>
#include <string>
#include <vector>

#include "budget/catalog/catalog.h"
#include "budget/consolidation/unit_tree.h"
#include "budget/v1/budget.pb.h"

namespace budget {

class BudgetGenerator {
 public:
  // `catalog` is the edition the budgets' fiscal year is checked against.
  BudgetGenerator(const Catalog& catalog, const UnitTree& registry);

  // A budget of the registered, non-GROUP unit `unit_code` for `fiscal_year`.
  v1::UnitBudget Generate(const std::string& unit_code, int fiscal_year,
                          std::mt19937_64& rng) const;

  // A (部门, 政府) economic pair of the crosswalk.
  struct Pair {
    std::string dept;
    std::string gov;
  };
  // The pairs a unit of `kind` may book on lines of `nature`; empty for
  // GROUP and unset kinds.
  const std::vector<Pair>& PairsFor(v1::UnitKind kind,
                                    v1::ExpenditureNature nature) const;
  // The 302 款 other than 30239 a unit of `kind` may book as 人员经费 by
  // local practice (accepted with warning BGT-E034).
  const std::vector<Pair>& PersonnelByPractice(v1::UnitKind kind) const;
  // The 505/506 counterparts of `dept`, which a 机关 books when it passes a
  // subsidy on to a 事业单位 below it; empty when there are none.
  const std::vector<std::string>& SubsidyCodesFor(
      const std::string& dept) const;
  // Every 支出功能分类 项 of the edition.
  const std::vector<std::string>& FunctionItems() const {
    return function_items_;
  }
  // The 项 a line paid by `fund` (FiscalFund; "" for the unit's own money)
  // books: those of the fund's own list (FunctionBudgetList, BGT-E023).
  const std::vector<std::string>& FunctionItemsPaidBy(
      absl::string_view fund) const;

 private:
  struct KindPairs {
    std::vector<Pair> personnel;           // 301, 303 and 30239.
    std::vector<Pair> personnel_practice;  // Other 302 款 (local practice).
    std::vector<Pair> public_funds;        // 302, 310.
    std::vector<Pair> any;                 // Project lines: every pair.
  };
  const KindPairs& Of(v1::UnitKind kind) const;

  const UnitTree& registry_;
  std::vector<std::string> function_items_;
  // FunctionBudgetList -> the 项 a line of that fund books.
  std::map<std::string, std::vector<std::string>, std::less<>>
      function_items_by_fund_;
  KindPairs office_;       // 行政 and 参公.
  KindPairs institution_;  // 事业单位.
  KindPairs none_;
  std::map<std::string, std::vector<std::string>> subsidy_codes_;
  const std::vector<std::string> no_codes_;
};

}  // namespace budget

#endif  // BUDGET_VALIDATION_BUDGET_GENERATOR_H_
