// The shape of a benchmark workload (how many departments, units and lines)
// and the deterministic unit tree built from it. Sizes S, M and L are the
// ones issue 7 names: one department of 100 units, 10,000 units, 100,000
// units, each unit submitting a budget of 200 expenditure lines.
//
// Plain values and pure functions; thread-safe.
#ifndef BENCH_WORKLOAD_H_
#define BENCH_WORKLOAD_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "budget/v1/budget.pb.h"

namespace bench {

struct Workload {
  int departments = 0;
  int units_per_department = 0;
  int lines_per_budget = 0;
  int32_t fiscal_year = 2024;

  int64_t units() const {
    return static_cast<int64_t>(departments) * units_per_department;
  }
  int64_t lines() const { return units() * lines_per_budget; }
};

// "S", "M" or "L"; INVALID_ARGUMENT otherwise.
absl::StatusOr<Workload> WorkloadOfSize(absl::string_view size);

// For the bench tools' --size flag: the workload, or a message naming
// `tool` on stderr and exit status 2.
Workload WorkloadOfSizeOrExit(absl::string_view size, absl::string_view tool);

// Registry code of the region every department belongs to.
inline constexpr absl::string_view kRegionCode = "4101";

// Code of department `d` (0-based): four digits, "0001" first.
std::string DepartmentCode(int d);
// Code of unit `u` (0-based) of department `d`: the department's code and
// three digits; unit 0 is the department's office (机关).
std::string UnitCode(int d, int u);

// The region, then each department followed by its units: parents before
// children, the order RegisterUnit needs.
std::vector<budget::v1::Unit> GenerateUnits(const Workload& workload);

}  // namespace bench

#endif  // BENCH_WORKLOAD_H_
