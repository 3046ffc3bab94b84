#include "auth/budget_masking.h"

#include <set>
#include <string>

#include "budget/aggregation/dimension.h"

namespace auth {

void MaskClassifiedProjects(budget::v1::UnitBudget& budget) {
  std::set<std::string> classified;
  for (budget::v1::Project& project : *budget.mutable_projects()) {
    if (!project.classified()) continue;
    classified.insert(project.code());
    project.set_code(budget::kMaskedProject);
    project.set_name(budget::kMaskedProject);
    project.clear_indicators();
  }
  if (classified.empty()) return;
  for (budget::v1::ExpenditureLine& line : *budget.mutable_expenditures()) {
    if (classified.count(line.project_code()) == 0) continue;
    line.set_project_code(budget::kMaskedProject);
    line.clear_memo();
  }
}

}  // namespace auth
