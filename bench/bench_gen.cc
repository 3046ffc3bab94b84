// bench_gen: writes a benchmark workload to files.
//
//   bench_gen --size=S --units=OUT/units.units --budget_dir=OUT/budgets
//       --lines_csv=OUT/lines.csv
//
// --units: the registry in the .units format; --budget_dir: one .budget file
// per unit (budget/budget_file/FormatBudgetFile); --lines_csv: one row per
// expenditure line with every dimension the SQL engines group by, for
// bench/sql/*.sql. Each output is optional; variant 0 of every budget.
#include <cstdio>
#include <fstream>
#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "bench/budget_generator.h"
#include "bench/workload.h"
#include "budget/budget_file/budget_file.h"
#include "budget/budget_file/units_file.h"

ABSL_FLAG(std::string, size, "S", "Workload size: S, M or L");
ABSL_FLAG(std::string, units, "", "Where to write the .units file");
ABSL_FLAG(std::string, budget_dir, "",
          "Existing directory to write one .budget file per unit into");
ABSL_FLAG(std::string, lines_csv, "", "Where to write the lines CSV");

namespace {

using budget::v1::ExpenditureLine;

bool WriteFile(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  return static_cast<bool>(out);
}

// Names as the query service's dimensions spell them (enum names without
// their prefix), so that SQL cuts and service cuts read the same.
std::string SourceName(budget::v1::FundingSource source) {
  return budget::v1::FundingSource_Name(source).substr(
      std::string("FUNDING_SOURCE_").size());
}
std::string NatureName(budget::v1::ExpenditureNature nature) {
  return budget::v1::ExpenditureNature_Name(nature).substr(
      std::string("EXPENDITURE_NATURE_").size());
}

void AppendCsvRows(const budget::v1::Unit& unit,
                   const budget::v1::UnitBudget& budget, std::FILE* csv) {
  for (const ExpenditureLine& line : budget.expenditures()) {
    const std::string& f = line.function_code();
    const std::string& e = line.dept_economic_code();
    absl::FPrintF(csv, "%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%d\n", unit.code(),
                  unit.parent_code(), f.substr(0, 3), f.substr(0, 5), f,
                  e.substr(0, 3), e, line.gov_economic_code(),
                  SourceName(line.funding_source()), NatureName(line.nature()),
                  line.project_code(), line.amount_fen());
  }
}

}  // namespace

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  const bench::Workload workload =
      bench::WorkloadOfSizeOrExit(absl::GetFlag(FLAGS_size), "bench_gen");
  const std::vector<budget::v1::Unit> units = bench::GenerateUnits(workload);
  const std::string units_path = absl::GetFlag(FLAGS_units);
  if (!units_path.empty() &&
      !WriteFile(units_path, budget::FormatUnitsFile(units))) {
    absl::FPrintF(stderr, "bench_gen: cannot write %s\n", units_path);
    return 1;
  }
  const std::string budget_dir = absl::GetFlag(FLAGS_budget_dir);
  const std::string csv_path = absl::GetFlag(FLAGS_lines_csv);
  std::FILE* csv =
      csv_path.empty() ? nullptr : std::fopen(csv_path.c_str(), "w");
  if (!csv_path.empty() && csv == nullptr) {
    absl::FPrintF(stderr, "bench_gen: cannot write %s\n", csv_path);
    return 1;
  }
  for (const budget::v1::Unit& unit : units) {
    if (unit.kind() == budget::v1::UNIT_KIND_GROUP) continue;
    const budget::v1::UnitBudget budget =
        bench::GenerateBudget(unit, workload, 0);
    if (csv != nullptr) AppendCsvRows(unit, budget, csv);
    if (!budget_dir.empty() &&
        !WriteFile(absl::StrCat(budget_dir, "/", unit.code(), ".budget"),
                   budget::FormatBudgetFile(budget))) {
      absl::FPrintF(stderr, "bench_gen: cannot write into %s\n", budget_dir);
      return 1;
    }
  }
  if (csv != nullptr && std::fclose(csv) != 0) {
    absl::FPrintF(stderr, "bench_gen: cannot write %s\n", csv_path);
    return 1;
  }
  return 0;
}
