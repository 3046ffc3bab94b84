#include "bench/budget_generator.h"

#include <cstdint>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "bench/line_pool.h"

namespace bench {
namespace {

using budget::v1::ExpenditureLine;
using budget::v1::ExpenditureNature;
using budget::v1::FundingSource;
using budget::v1::Unit;
using budget::v1::UnitBudget;

constexpr int kProjectsPerUnit = 10;
constexpr int kFunctionsPerDepartment = 12;
// Basic lines use the department's first few function 项 (行政运行-like
// codes), projects any of its codes.
constexpr int kBasicFunctions = 4;

// FNV-1a: a seed that, unlike std::hash, is the same on every platform.
uint64_t Seed(absl::string_view text, uint64_t salt) {
  uint64_t hash = 1469598103934665603ull ^ salt;
  for (char c : text) {
    hash = (hash ^ static_cast<unsigned char>(c)) * 1099511628211ull;
  }
  return hash;
}

template <typename T>
const T& Pick(const std::vector<T>& from, std::mt19937_64& rng) {
  return from[rng() % from.size()];
}

// A department's function 项: each department works in a few fields, which
// keeps its table 05 the size of a published one.
std::vector<std::string> DepartmentFunctions(absl::string_view department) {
  const std::vector<std::string>& all = LinePool::Default().function_items();
  std::mt19937_64 rng(Seed(department, 0));
  std::vector<std::string> chosen;
  for (int i = 0; i < kFunctionsPerDepartment; ++i) {
    chosen.push_back(Pick(all, rng));
  }
  return chosen;
}

// Mostly appropriations, as in the reference; some other money so that
// tables 01-03 and 05 differ.
FundingSource PickSource(std::mt19937_64& rng, bool office) {
  const int roll = static_cast<int>(rng() % 20);
  if (roll < 17) return budget::v1::FUNDING_SOURCE_GENERAL_PUBLIC_BUDGET;
  if (roll == 17) return budget::v1::FUNDING_SOURCE_GENERAL_PUBLIC_BUDGET_OTHER;
  if (roll == 18 && !office) return budget::v1::FUNDING_SOURCE_BUSINESS_INCOME;
  return budget::v1::FUNDING_SOURCE_OTHER_INCOME;
}

ExpenditureNature PickNature(std::mt19937_64& rng) {
  const int roll = static_cast<int>(rng() % 20);
  if (roll < 9) return budget::v1::EXPENDITURE_NATURE_BASIC_PERSONNEL;
  if (roll < 12) return budget::v1::EXPENDITURE_NATURE_BASIC_PUBLIC;
  return budget::v1::EXPENDITURE_NATURE_PROJECT;
}

void AddProjects(const Unit& unit, const Workload& workload,
                 std::mt19937_64& rng, UnitBudget* budget) {
  int64_t unit_number = 0;
  (void)absl::SimpleAtoi(unit.code(), &unit_number);  // Digits by contract.
  for (int p = 0; p < kProjectsPerUnit; ++p) {
    budget::v1::Project* project = budget->add_projects();
    // 21 digits: region 410100, year, unit code, sequence.
    project->set_code(absl::StrFormat(
        "410100%02d%010d%03d", workload.fiscal_year % 100, unit_number, p + 1));
    project->set_name(absl::StrCat(unit.name(), "专项", p + 1));
    project->set_category(p % 3 == 0
                              ? budget::v1::PROJECT_CATEGORY_OTHER_OPERATING
                              : budget::v1::PROJECT_CATEGORY_SPECIFIC_TARGET);
    project->set_classified(p == 0 && rng() % 10 == 0);
  }
}

}  // namespace

UnitBudget GenerateBudget(const Unit& unit, const Workload& workload,
                          int variant) {
  const LinePool& pool = LinePool::Default();
  const bool office = unit.kind() != budget::v1::UNIT_KIND_INSTITUTION;
  const std::vector<std::string> functions =
      DepartmentFunctions(unit.parent_code());
  std::mt19937_64 rng(Seed(unit.code(), variant));

  UnitBudget budget;
  budget.set_unit_code(unit.code());
  budget.set_fiscal_year(workload.fiscal_year);
  AddProjects(unit, workload, rng, &budget);

  std::map<FundingSource, int64_t> income_by_source;
  int project_lines = 0;
  for (int i = 0; i < workload.lines_per_budget; ++i) {
    ExpenditureLine* line = budget.add_expenditures();
    const ExpenditureNature nature = PickNature(rng);
    const EconomicPair& pair = Pick(pool.Pairs(nature, office), rng);
    const bool project = nature == budget::v1::EXPENDITURE_NATURE_PROJECT;
    const int function_choices =
        project ? kFunctionsPerDepartment : kBasicFunctions;
    line->set_function_code(functions[rng() % function_choices]);
    line->set_dept_economic_code(pair.dept_code);
    line->set_gov_economic_code(pair.gov_code);
    line->set_funding_source(PickSource(rng, office));
    line->set_nature(nature);
    if (project) {
      // Round-robin first, so that every declared project is spent on.
      line->set_project_code(
          budget.projects(project_lines++ % kProjectsPerUnit).code());
    }
    // Whole yuan from 1,000 to 2,000,000, in fen.
    line->set_amount_fen((1000 + static_cast<int64_t>(rng() % 1999001)) * 100);
    // At most lines_per_budget * 2e8 fen: far inside int64, no check needed.
    income_by_source[line->funding_source()] += line->amount_fen();
  }
  for (const auto& [source, amount] : income_by_source) {
    budget::v1::IncomeLine* income = budget.add_income();
    income->set_source(source);
    income->set_amount_fen(amount);
  }
  return budget;
}

}  // namespace bench
