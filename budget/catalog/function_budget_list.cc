#include "budget/catalog/function_budget_list.h"

#include <algorithm>
#include <iterator>

namespace budget {
namespace {

// The 款 of the 政府性基金预算支出功能分类科目 (2024 edition) that the
// catalog holds (data/catalog/function_codes.csv), and 类 234, which that
// list alone holds. A test checks that every catalog 款 named like a fund's
// is here or deliberately not (function_budget_list_test.cc).
constexpr absl::string_view kGovernmentFundSections[] = {
    "20822",  // 大中型水库移民后期扶持基金支出
    "20823",  // 小型水库移民扶助基金安排的支出
    "21208",  // 国有土地使用权出让收入安排的支出
    "21210",  // 国有土地收益基金安排的支出
    "21211",  // 农业土地开发资金安排的支出
    "21213",  // 城市基础设施配套费安排的支出
    "21214",  // 污水处理费安排的支出
    "21366",  // 大中型水库库区基金安排的支出
    "22006",  // 耕地保护考核奖惩基金支出
    "22904",  // 其他政府性基金及对应专项债务收入安排的支出
    "22908",  // 彩票发行销售机构业务费安排的支出
    "22960",  // 彩票公益金安排的支出
    "23104",  // 地方政府专项债务还本支出
    "23204",  // 地方政府专项债务付息支出
    "23304",  // 地方政府专项债务发行费用支出
};

}  // namespace

absl::string_view FunctionBudgetList(absl::string_view function_code) {
  const absl::string_view class_code = function_code.substr(0, 3);
  if (class_code == "230") return "";
  if (class_code == "223") return "国有资本经营预算";
  if (class_code == "234") return "政府性基金预算";
  if (function_code.size() >= 5 &&
      std::find(std::begin(kGovernmentFundSections),
                std::end(kGovernmentFundSections),
                function_code.substr(0, 5)) !=
          std::end(kGovernmentFundSections)) {
    return "政府性基金预算";
  }
  return "一般公共预算";
}

}  // namespace budget
