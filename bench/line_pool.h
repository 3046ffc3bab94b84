// The codings a generated expenditure line may carry, drawn from the
// embedded catalogs so that every generated line passes validation: the
// function 项 codes, and the 部门↔政府 economic pairs the crosswalk lists,
// split by the nature they may be booked under and by the unit kinds whose
// government classes they fit.
//
// Immutable after construction; thread-safe.
#ifndef BENCH_LINE_POOL_H_
#define BENCH_LINE_POOL_H_

#include <string>
#include <vector>

#include "budget/catalog/catalog.h"
#include "budget/v1/budget.pb.h"

namespace bench {

struct EconomicPair {
  std::string dept_code;
  std::string gov_code;
};

class LinePool {
 public:
  explicit LinePool(const budget::Catalog& catalog);

  // The pool of the process-wide embedded catalog.
  static const LinePool& Default();

  // Every 支出功能分类 项 of the catalog, in code order.
  const std::vector<std::string>& function_items() const {
    return function_items_;
  }
  // Pairs a unit of `office` kind (行政 or 参公) or not (事业) may book
  // under `nature`. Never empty for a catalog that loads.
  const std::vector<EconomicPair>& Pairs(budget::v1::ExpenditureNature nature,
                                         bool office) const;

 private:
  static constexpr int kNatures = 3;  // Personnel, public, project.
  std::vector<std::string> function_items_;
  std::vector<EconomicPair> pairs_[kNatures][2];  // [nature - 1][office].
};

}  // namespace bench

#endif  // BENCH_LINE_POOL_H_
