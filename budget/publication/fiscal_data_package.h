// The budget lines of a node and year as a Fiscal Data Package
// (https://specs.frictionlessdata.io/fiscal-data-package/, profile
// "fiscal-data-package"), so open-data portals and OpenSpending-style tools
// can load them: datapackage.json (the descriptor, with the FDP model
// mapping each column to a measure or dimension) and budget-lines.csv (one
// row per expenditure line: unit, function, both economic codes, funding
// source, nature, project, amount in yuan).
//
// A public reader's lines are masked as the tables mask them: the lines of
// classified projects (涉密项目) become one line per unit, nature 项目支出,
// project "涉密项目按规定不予公开", no codes — the amount the published
// tables already let a reader derive (unit total less what is shown), so
// the lines still sum to the department total. Pure functions, thread-safe.
#ifndef BUDGET_PUBLICATION_FISCAL_DATA_PACKAGE_H_
#define BUDGET_PUBLICATION_FISCAL_DATA_PACKAGE_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "budget/v1/budget.pb.h"

namespace budget {

struct FiscalDataInput {
  std::string node_code;
  std::string node_name;
  int32_t fiscal_year = 0;
  // Registry entries, for unit names; units absent here print their code.
  std::vector<v1::Unit> units;
  // The latest budgets of the units at or below the node for the year.
  std::vector<v1::UnitBudget> budgets;
  bool cleared = false;
};

inline constexpr char kBudgetLinesFile[] = "budget-lines.csv";

// The CSV, header first. OUT_OF_RANGE when a masked sum overflows.
absl::StatusOr<std::string> BudgetLinesCsv(const FiscalDataInput& input);

// The descriptor (JSON).
std::string DataPackageJson(const FiscalDataInput& input);

// Writes datapackage.json and budget-lines.csv into `dir`, creating it.
absl::Status WriteFiscalDataPackage(const FiscalDataInput& input,
                                    const std::string& dir);

}  // namespace budget

#endif  // BUDGET_PUBLICATION_FISCAL_DATA_PACKAGE_H_
