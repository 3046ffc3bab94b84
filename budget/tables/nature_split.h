// Expenditure split as the tables and the summary print it: 基本支出,
// 项目支出, and 事业单位经营支出, which is neither (the 公开规程 部门支出总表
// gives it a column of its own). An unset nature, which validation
// refuses, counts as basic. Internal to budget/tables; not thread-safe.
#ifndef BUDGET_TABLES_NATURE_SPLIT_H_
#define BUDGET_TABLES_NATURE_SPLIT_H_

#include <cstdint>

#include "absl/status/status.h"
#include "budget/money.h"
#include "budget/v1/budget.pb.h"

namespace budget {

struct NatureSplit {
  MoneySum basic;
  MoneySum project;
  MoneySum operating;
  // Whether any 事业单位经营支出 was added, even of 0: where it is printed.
  bool any_operating = false;

  void Add(v1::ExpenditureNature nature, int64_t fen) {
    switch (nature) {
      case v1::EXPENDITURE_NATURE_PROJECT:
        project.Add(fen);
        return;
      case v1::EXPENDITURE_NATURE_OPERATING:
        any_operating = true;
        operating.Add(fen);
        return;
      default:
        basic.Add(fen);
    }
  }

  // The first overflow of the three sums.
  absl::Status status() const {
    for (const MoneySum* sum : {&basic, &project, &operating}) {
      if (!sum->ok()) return sum->status();
    }
    return absl::OkStatus();
  }
};

}  // namespace budget

#endif  // BUDGET_TABLES_NATURE_SPLIT_H_
