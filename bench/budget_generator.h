// Generates a unit's budget for the benchmarks: `lines_per_budget`
// expenditure lines with catalog codings fitting the unit's kind, projects
// that the project lines name, and income per funding source equal to the
// expenditure it funds, so that budget::ValidateUnitBudget finds nothing
// fatal. The same unit, workload and variant always give the same budget;
// another variant gives a different one (a resubmission).
//
// Pure function over the embedded catalog; thread-safe.
#ifndef BENCH_BUDGET_GENERATOR_H_
#define BENCH_BUDGET_GENERATOR_H_

#include "bench/workload.h"
#include "budget/v1/budget.pb.h"

namespace bench {

// `unit` must be a non-GROUP unit of GenerateUnits(workload).
budget::v1::UnitBudget GenerateBudget(const budget::v1::Unit& unit,
                                      const Workload& workload, int variant);

}  // namespace bench

#endif  // BENCH_BUDGET_GENERATOR_H_
