#include "bench/line_pool.h"

#include "absl/strings/string_view.h"
#include "budget/catalog/function_budget_list.h"

namespace bench {
namespace {

using budget::CodeSystem;
using budget::v1::ExpenditureNature;

// Mirrors the validator's nature rule (BGT-E031): personnel is 301xx, 303xx
// and 30239; public is the rest of 302xx and 310xx. Project lines are drawn
// from goods and services, capital and enterprise subsidies, as the
// reference's projects are.
ExpenditureNature NatureOf(absl::string_view dept_code) {
  const absl::string_view cls = dept_code.substr(0, 3);
  if (cls == "301" || cls == "303" || dept_code == "30239") {
    return budget::v1::EXPENDITURE_NATURE_BASIC_PERSONNEL;
  }
  if (cls == "302" || cls == "310") {
    return budget::v1::EXPENDITURE_NATURE_BASIC_PUBLIC;
  }
  return budget::v1::EXPENDITURE_NATURE_UNSPECIFIED;
}

bool IsProjectClass(absl::string_view dept_code) {
  const absl::string_view cls = dept_code.substr(0, 3);
  return cls == "302" || cls == "310" || cls == "312";
}

// The government classes tied to a unit's kind (BGT-E020): 501-504 for
// offices, 505-506 for institutions; other classes fit both.
bool FitsOffice(absl::string_view gov_code, bool office) {
  const absl::string_view cls = gov_code.substr(0, 3);
  if (cls >= "501" && cls <= "504") return office;
  if (cls == "505" || cls == "506") return !office;
  return true;
}

}  // namespace

LinePool::LinePool(const budget::Catalog& catalog) {
  for (const auto* cls : catalog.Children(CodeSystem::kFunction, "")) {
    for (const auto* section :
         catalog.Children(CodeSystem::kFunction, cls->code)) {
      for (const auto* item :
           catalog.Children(CodeSystem::kFunction, section->code)) {
        // The lines are paid by 一般公共预算 or the unit's own money, so
        // the fund and state-capital lists' codes would be BGT-E023.
        const absl::string_view list = budget::FunctionBudgetList(item->code);
        if (list.empty() || list == "一般公共预算") {
          function_items_.push_back(item->code);
        }
      }
    }
  }
  for (const auto* cls : catalog.Children(CodeSystem::kDeptEconomic, "")) {
    for (const auto* section :
         catalog.Children(CodeSystem::kDeptEconomic, cls->code)) {
      const std::string& dept = section->code;
      for (const std::string& gov : catalog.GovCodesFor(dept)) {
        for (bool office : {false, true}) {
          if (!FitsOffice(gov, office)) continue;
          const ExpenditureNature basic = NatureOf(dept);
          if (basic != budget::v1::EXPENDITURE_NATURE_UNSPECIFIED) {
            pairs_[basic - 1][office].push_back({dept, gov});
          }
          if (IsProjectClass(dept)) {
            pairs_[budget::v1::EXPENDITURE_NATURE_PROJECT - 1][office]
                .push_back({dept, gov});
          }
        }
      }
    }
  }
}

const LinePool& LinePool::Default() {
  static const LinePool* const pool = new LinePool(budget::Catalog::Default());
  return *pool;
}

const std::vector<EconomicPair>& LinePool::Pairs(ExpenditureNature nature,
                                                 bool office) const {
  return pairs_[nature - 1][office];
}

}  // namespace bench
