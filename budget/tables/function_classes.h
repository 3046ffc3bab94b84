// The 支出功能分类 类 rows that tables 01 and 04 print in full, whether or not
// the node spends anything on them, with the labels exactly as the reference
// disclosure prints them (2024 郑州市工业和信息化局部门预算, 预算 01 表 and
// 预算 04 表). Internal to budget/tables. Immutable data; thread-safe.
#ifndef BUDGET_TABLES_FUNCTION_CLASSES_H_
#define BUDGET_TABLES_FUNCTION_CLASSES_H_

#include <vector>

#include "absl/strings/string_view.h"

namespace budget {

struct FunctionClassRow {
  absl::string_view code;      // 3-digit 类 code.
  absl::string_view label_01;  // e.g. "八、社会保障和就业".
  absl::string_view label_04;  // e.g. "（八）社会保障和就业支出".
};

// Every 类 row, in published order.
const std::vector<FunctionClassRow>& FunctionClassRows();

}  // namespace budget

#endif  // BUDGET_TABLES_FUNCTION_CLASSES_H_
