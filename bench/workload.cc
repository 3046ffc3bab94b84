#include "bench/workload.h"

#include <cstdio>
#include <cstdlib>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace bench {
namespace {

using budget::v1::Unit;
using budget::v1::UnitKind;

Unit MakeUnit(std::string code, std::string name, absl::string_view parent,
              UnitKind kind) {
  Unit unit;
  unit.set_code(std::move(code));
  unit.set_name(std::move(name));
  unit.set_parent_code(std::string(parent));
  unit.set_kind(kind);
  return unit;
}

// The reference department has an administrative office, 参公 units and
// institutions; the generated ones mix the kinds the same way.
UnitKind KindOfUnit(int u) {
  if (u == 0) return budget::v1::UNIT_KIND_ADMINISTRATIVE;
  return u % 3 == 0 ? budget::v1::UNIT_KIND_CIVIL_SERVICE_INSTITUTION
                    : budget::v1::UNIT_KIND_INSTITUTION;
}

}  // namespace

absl::StatusOr<Workload> WorkloadOfSize(absl::string_view size) {
  Workload workload;
  workload.units_per_department = 100;
  workload.lines_per_budget = 200;
  if (size == "S") {
    workload.departments = 1;
  } else if (size == "M") {
    workload.departments = 100;
  } else if (size == "L") {
    workload.departments = 1000;
  } else {
    return absl::InvalidArgumentError(
        absl::StrCat("size \"", size, "\" is not S, M or L"));
  }
  return workload;
}

Workload WorkloadOfSizeOrExit(absl::string_view size, absl::string_view tool) {
  absl::StatusOr<Workload> workload = WorkloadOfSize(size);
  if (!workload.ok()) {
    absl::FPrintF(stderr, "%s: %s\n", tool, workload.status().ToString());
    std::exit(2);
  }
  return *workload;
}

std::string DepartmentCode(int d) { return absl::StrFormat("%04d", d + 1); }

std::string UnitCode(int d, int u) {
  return absl::StrFormat("%s%03d", DepartmentCode(d), u + 1);
}

std::vector<Unit> GenerateUnits(const Workload& workload) {
  std::vector<Unit> units;
  units.reserve(1 + workload.departments * (1 + workload.units_per_department));
  units.push_back(MakeUnit(std::string(kRegionCode), "基准测试市", "",
                           budget::v1::UNIT_KIND_GROUP));
  for (int d = 0; d < workload.departments; ++d) {
    const std::string department = DepartmentCode(d);
    units.push_back(MakeUnit(department, absl::StrCat("基准部门", department),
                             kRegionCode, budget::v1::UNIT_KIND_GROUP));
    for (int u = 0; u < workload.units_per_department; ++u) {
      std::string code = UnitCode(d, u);
      std::string name = u == 0 ? absl::StrCat("基准部门", department, "机关")
                                : absl::StrCat("基准单位", code);
      units.push_back(MakeUnit(std::move(code), std::move(name), department,
                               KindOfUnit(u)));
    }
  }
  return units;
}

}  // namespace bench
