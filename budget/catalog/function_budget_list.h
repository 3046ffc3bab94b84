// Which part of 政府收支分类科目 lists a 支出功能分类 code. The Ministry of
// Finance publishes the function codes of each budget separately: 一般公共预算
// 支出功能分类科目, 政府性基金预算支出功能分类科目 and 国有资本经营预算支出
// 功能分类科目 (预算法 第五条: the budgets are separate and complete). The
// 款 of the fund and state-capital lists are few and fixed by name ("...
// 安排的支出", "专项债务..."), so they are held here by 款 rather than as a
// column of every catalog row.
//
// Pure functions of constant data; thread-safe.
#ifndef BUDGET_CATALOG_FUNCTION_BUDGET_LIST_H_
#define BUDGET_CATALOG_FUNCTION_BUDGET_LIST_H_

#include "absl/strings/string_view.h"

namespace budget {

// The list that holds `function_code` (a 类, 款 or 项 code):
// "一般公共预算", "政府性基金预算" or "国有资本经营预算", named as the
// validator names the 财政拨款 funds; "" for 230 转移性支出, which every list
// holds. A code of no catalog is taken to be of the 一般公共预算 list; the
// caller checks codes against the catalog first.
absl::string_view FunctionBudgetList(absl::string_view function_code);

}  // namespace budget

#endif  // BUDGET_CATALOG_FUNCTION_BUDGET_LIST_H_
