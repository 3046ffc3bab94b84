#include "budget/validation/budget_generator.h"

#include <cstdint>
#include <map>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "budget/catalog/function_budget_list.h"
#include "budget/validation/checks.h"

namespace budget {
namespace {

using Rng = std::mt19937_64;

int64_t Uniform(Rng& rng, int64_t lo, int64_t hi) {
  return std::uniform_int_distribution<int64_t>(lo, hi)(rng);
}

bool Percent(Rng& rng, int percent) { return Uniform(rng, 0, 99) < percent; }

template <typename T>
const T& Pick(const std::vector<T>& items, Rng& rng) {
  return items[Uniform(rng, 0, static_cast<int64_t>(items.size()) - 1)];
}

// 政府预算支出经济分类 说明: 501-504 are spent by 机关 and 参公 units, 505-506
// carry the spending of other 事业单位.
bool OfficeClass(absl::string_view gov) {
  return gov.substr(0, 3) >= "501" && gov.substr(0, 3) <= "504";
}
bool InstitutionClass(absl::string_view gov) {
  return gov.substr(0, 3) == "505" || gov.substr(0, 3) == "506";
}

// The codes `levels` levels below the root of `system`, in code order.
std::vector<std::string> CodesAtDepth(const Catalog& catalog, CodeSystem system,
                                      int levels) {
  std::vector<std::string> codes = {""};
  for (int level = 0; level < levels; ++level) {
    std::vector<std::string> next;
    for (const std::string& code : codes) {
      for (const CatalogEntry* child : catalog.Children(system, code)) {
        next.push_back(child->code);
      }
    }
    codes = std::move(next);
  }
  return codes;
}

// The 财政拨款 funds: this year's sources, then the carry-over.
struct FiscalFund {
  std::vector<v1::FundingSource> this_year;
  v1::FundingSource carryover;
};
const std::vector<FiscalFund>& FiscalFunds() {
  static const auto* funds = new std::vector<FiscalFund>{
      {{v1::FUNDING_SOURCE_GENERAL_PUBLIC_BUDGET,
        v1::FUNDING_SOURCE_GENERAL_PUBLIC_BUDGET_OTHER},
       v1::FUNDING_SOURCE_CARRYOVER_GENERAL_PUBLIC_BUDGET},
      {{v1::FUNDING_SOURCE_GOVERNMENT_FUND},
       v1::FUNDING_SOURCE_CARRYOVER_GOVERNMENT_FUND},
      {{v1::FUNDING_SOURCE_STATE_CAPITAL},
       v1::FUNDING_SOURCE_CARRYOVER_STATE_CAPITAL},
  };
  return *funds;
}

// Units a transfer may go to or come from: a 主管 or 上级单位 above (any
// ancestor, or the 机关 registered beside an institution), a 附属单位 below
// (any descendant, or the institutions beside a 机关).
struct Counterparts {
  std::vector<std::string> ancestors;  // Scopes of the overall goal.
  std::vector<std::string> above;
  std::vector<std::string> below;
};

Counterparts CounterpartsOf(const UnitTree& registry, const v1::Unit& unit) {
  Counterparts found;
  for (const v1::Unit* node : registry.PathToRoot(unit.code())) {
    if (node->code() != unit.code()) found.ancestors.push_back(node->code());
  }
  found.above = found.ancestors;
  for (const UnitTree::Visit& visit : registry.Subtree(unit.code())) {
    if (visit.depth > 0) found.below.push_back(visit.unit->code());
  }
  const bool office = unit.kind() == v1::UNIT_KIND_ADMINISTRATIVE;
  for (const v1::Unit* sibling : registry.Children(unit.parent_code())) {
    if (sibling->code() == unit.code()) continue;
    const bool sibling_office = sibling->kind() == v1::UNIT_KIND_ADMINISTRATIVE;
    if (office && sibling->kind() == v1::UNIT_KIND_INSTITUTION) {
      found.below.push_back(sibling->code());
    } else if (!office && sibling_office) {
      found.above.push_back(sibling->code());
    }
  }
  return found;
}

// One budget being built.
class Builder {
 public:
  Builder(const BudgetGenerator& generator, const v1::Unit& unit,
          Counterparts counterparts, int fiscal_year, Rng& rng)
      : generator_(generator),
        unit_(unit),
        counterparts_(std::move(counterparts)),
        rng_(rng) {
    budget_.set_unit_code(unit.code());
    budget_.set_fiscal_year(fiscal_year);
  }

  v1::UnitBudget Build() && {
    AddProjects();
    const int lines = static_cast<int>(Uniform(rng_, 1, 24));
    for (int i = 0; i < lines; ++i) AddLine(RandomNature());
    for (const v1::Project& project : budget_.projects()) {
      AddLine(v1::EXPENDITURE_NATURE_PROJECT, project.code());
    }
    AddIncome();
    if (Percent(rng_, 50)) {
      std::vector<std::string> scopes = counterparts_.ancestors;
      scopes.push_back(unit_.code());
      budget_.mutable_overall_goal()->set_scope_code(Pick(scopes, rng_));
    }
    return std::move(budget_);
  }

 private:
  std::string ProjectCode(char first_serial_digit) {
    // 6-digit region + 2-digit year + 13 digits (预算管理一体化 项目代码).
    return absl::StrFormat("410100%02d%c%012d", budget_.fiscal_year() % 100,
                           first_serial_digit,
                           Uniform(rng_, 0, 999'999'999'999));
  }

  void AddProjects() {
    const int count = static_cast<int>(Uniform(rng_, 0, 4));
    for (int i = 0; i < count; ++i) {
      v1::Project* project = budget_.add_projects();
      // Distinct first serial digits keep the codes distinct.
      project->set_code(ProjectCode(static_cast<char>('0' + i)));
      project->set_name(absl::StrCat("项目", i + 1));
      project->set_category(Percent(rng_, 50)
                                ? v1::PROJECT_CATEGORY_OTHER_OPERATING
                                : v1::PROJECT_CATEGORY_SPECIFIC_TARGET);
    }
  }

  v1::ExpenditureNature RandomNature() {
    // 事业单位经营支出 is a 事业单位's (BGT-E036 refuses it of a 行政 unit).
    if (unit_.kind() == v1::UNIT_KIND_INSTITUTION && Percent(rng_, 5)) {
      return v1::EXPENDITURE_NATURE_OPERATING;
    }
    const int64_t roll = Uniform(rng_, 0, 99);
    if (roll < 35) return v1::EXPENDITURE_NATURE_BASIC_PERSONNEL;
    if (roll < 65 || budget_.projects().empty()) {
      return v1::EXPENDITURE_NATURE_BASIC_PUBLIC;
    }
    return v1::EXPENDITURE_NATURE_PROJECT;
  }

  v1::FundingSource RandomSource() {
    if (Percent(rng_, 55)) return v1::FUNDING_SOURCE_GENERAL_PUBLIC_BUDGET;
    std::vector<v1::FundingSource> sources = {
        v1::FUNDING_SOURCE_GENERAL_PUBLIC_BUDGET_OTHER,
        v1::FUNDING_SOURCE_GOVERNMENT_FUND,
        v1::FUNDING_SOURCE_STATE_CAPITAL,
        v1::FUNDING_SOURCE_FISCAL_SPECIAL_ACCOUNT,
        v1::FUNDING_SOURCE_OTHER_INCOME,
        v1::FUNDING_SOURCE_CARRYOVER_GENERAL_PUBLIC_BUDGET,
        v1::FUNDING_SOURCE_CARRYOVER_GOVERNMENT_FUND,
        v1::FUNDING_SOURCE_CARRYOVER_STATE_CAPITAL,
        v1::FUNDING_SOURCE_CARRYOVER_FISCAL_SPECIAL_ACCOUNT,
        v1::FUNDING_SOURCE_CARRYOVER_UNIT_FUNDS};
    if (unit_.kind() == v1::UNIT_KIND_INSTITUTION) {
      sources.push_back(v1::FUNDING_SOURCE_BUSINESS_INCOME);
      sources.push_back(v1::FUNDING_SOURCE_OPERATING_INCOME);
    }
    if (unit_.kind() != v1::UNIT_KIND_ADMINISTRATIVE &&
        !counterparts_.above.empty()) {
      sources.push_back(v1::FUNDING_SOURCE_SUBSIDY_FROM_SUPERIOR);
    }
    if (!counterparts_.below.empty()) {
      sources.push_back(v1::FUNDING_SOURCE_REMITTANCE_FROM_SUBORDINATE);
    }
    return Pick(sources, rng_);
  }

  const std::vector<BudgetGenerator::Pair>& PairsOf(
      v1::ExpenditureNature nature) {
    const std::vector<BudgetGenerator::Pair>& practice =
        generator_.PersonnelByPractice(unit_.kind());
    if (nature == v1::EXPENDITURE_NATURE_BASIC_PERSONNEL && !practice.empty() &&
        Percent(rng_, 10)) {
      return practice;
    }
    return generator_.PairsFor(unit_.kind(), nature);
  }

  void AddLine(v1::ExpenditureNature nature, std::string project = "") {
    const std::vector<BudgetGenerator::Pair>& pairs = PairsOf(nature);
    if (pairs.empty()) return;
    const BudgetGenerator::Pair& pair = Pick(pairs, rng_);
    v1::ExpenditureLine* line = budget_.add_expenditures();
    line->set_dept_economic_code(pair.dept);
    line->set_gov_economic_code(pair.gov);
    line->set_nature(nature);
    // 经营支出 is matched to the 经营收入 that pays it (BGT-E037 warns of
    // other money), and pays no other unit.
    const bool operating = nature == v1::EXPENDITURE_NATURE_OPERATING;
    line->set_funding_source(operating ? v1::FUNDING_SOURCE_OPERATING_INCOME
                                       : RandomSource());
    line->set_amount_fen(Uniform(rng_, 0, 5'000'000'000));
    if (nature == v1::EXPENDITURE_NATURE_PROJECT) {
      if (project.empty()) {
        project =
            budget_.projects(Uniform(rng_, 0, budget_.projects_size() - 1))
                .code();
      }
      line->set_project_code(project);
    } else if (Percent(rng_, 3)) {
      // A 人员类 / 公用经费 project of the 一体化 项目库, declared nowhere.
      line->set_project_code(ProjectCode('9'));
    }
    if (operating) {
      // No transfer.
    } else if (!counterparts_.below.empty() && Percent(rng_, 8)) {
      line->set_transfer_kind(v1::TRANSFER_KIND_SUBSIDY_TO_SUBORDINATE);
      line->set_counterpart_unit(Pick(counterparts_.below, rng_));
      const std::vector<std::string>& passed_on =
          generator_.SubsidyCodesFor(pair.dept);
      if (!passed_on.empty() && Percent(rng_, 40)) {
        line->set_gov_economic_code(Pick(passed_on, rng_));
      }
    } else if (!counterparts_.above.empty() && Percent(rng_, 5)) {
      line->set_transfer_kind(v1::TRANSFER_KIND_REMITTANCE_TO_SUPERIOR);
      line->set_counterpart_unit(Pick(counterparts_.above, rng_));
    }
    // Transfers are paid from income other than 财政拨款 (BGT-E063/E064).
    if (line->transfer_kind() != v1::TRANSFER_KIND_UNSPECIFIED &&
        !budget::FiscalFund(line->funding_source()).empty()) {
      line->set_funding_source(v1::FUNDING_SOURCE_OTHER_INCOME);
    }
    line->set_function_code(
        Pick(generator_.FunctionItemsPaidBy(
                 budget::FiscalFund(line->funding_source())),
             rng_));
  }

  void AddIncomeLine(v1::FundingSource source, int64_t fen,
                     std::string counterpart = "") {
    v1::IncomeLine* line = budget_.add_income();
    line->set_source(source);
    line->set_amount_fen(fen);
    line->set_counterpart_unit(std::move(counterpart));
  }

  // `fen` split into two parts, the second 0 unless `percent` chance.
  std::pair<int64_t, int64_t> MaybeSplit(int64_t fen, int percent) {
    if (fen == 0 || !Percent(rng_, percent)) return {fen, 0};
    const int64_t second = Uniform(rng_, 0, fen);
    return {fen - second, second};
  }

  // Income equal to expenditure fund by fund (财政拨款) and source by source
  // (the unit's own money), except that 事业基金 may make up 事业收入.
  void AddIncome() {
    std::map<v1::FundingSource, int64_t> spent;
    for (const v1::ExpenditureLine& line : budget_.expenditures()) {
      spent[line.funding_source()] += line.amount_fen();
    }
    for (const FiscalFund& fund : FiscalFunds()) {
      // This year's money and the 上年结转 as the lines label them (BGT-E053).
      const int64_t carried = spent[fund.carryover];
      int64_t this_year = 0;
      for (v1::FundingSource source : fund.this_year)
        this_year += spent[source];
      spent.erase(fund.carryover);
      for (v1::FundingSource source : fund.this_year) spent.erase(source);
      if (this_year + carried == 0 && Percent(rng_, 90)) continue;
      auto [first, second] = MaybeSplit(this_year, 30);
      AddIncomeLine(fund.this_year.front(), first);
      if (second > 0) AddIncomeLine(fund.this_year.back(), second);
      if (carried > 0) AddIncomeLine(fund.carryover, carried);
    }
    for (const auto& [source, fen] : spent) {
      switch (source) {
        case v1::FUNDING_SOURCE_SUBSIDY_FROM_SUPERIOR:
        case v1::FUNDING_SOURCE_REMITTANCE_FROM_SUBORDINATE: {
          const std::vector<std::string>& from =
              source == v1::FUNDING_SOURCE_SUBSIDY_FROM_SUPERIOR
                  ? counterparts_.above
                  : counterparts_.below;
          auto [first, second] = MaybeSplit(fen, 40);
          AddIncomeLine(source, first, Pick(from, rng_));
          if (second > 0) AddIncomeLine(source, second, Pick(from, rng_));
          break;
        }
        case v1::FUNDING_SOURCE_BUSINESS_INCOME: {
          auto [earned, fund] = MaybeSplit(fen, 25);
          AddIncomeLine(source, earned);
          if (fund > 0) {
            AddIncomeLine(v1::FUNDING_SOURCE_INSTITUTION_FUND, fund);
          }
          break;
        }
        default:
          AddIncomeLine(source, fen);
      }
    }
  }

  const BudgetGenerator& generator_;
  const v1::Unit& unit_;
  const Counterparts counterparts_;
  Rng& rng_;
  v1::UnitBudget budget_;
};

}  // namespace

BudgetGenerator::BudgetGenerator(const Catalog& catalog,
                                 const UnitTree& registry)
    : registry_(registry),
      function_items_(CodesAtDepth(catalog, CodeSystem::kFunction, 3)) {
  for (const std::string& item : function_items_) {
    const absl::string_view list = FunctionBudgetList(item);
    for (absl::string_view fund :
         {"", "一般公共预算", "政府性基金预算", "国有资本经营预算"}) {
      if (fund.empty() || list.empty() || list == fund) {
        function_items_by_fund_[std::string(fund)].push_back(item);
      }
    }
  }
  for (const std::string& dept :
       CodesAtDepth(catalog, CodeSystem::kDeptEconomic, 2)) {
    const absl::string_view cls = absl::string_view(dept).substr(0, 3);
    for (const std::string& gov : catalog.GovCodesFor(dept)) {
      if (catalog.Find(CodeSystem::kGovEconomic, gov) == nullptr) continue;
      if (InstitutionClass(gov)) subsidy_codes_[dept].push_back(gov);
      for (KindPairs* kind : {&office_, &institution_}) {
        const bool fits =
            kind == &office_ ? !InstitutionClass(gov) : !OfficeClass(gov);
        if (!fits) continue;
        const Pair pair{dept, gov};
        kind->any.push_back(pair);
        if (cls == "301" || cls == "303" || dept == "30239") {
          kind->personnel.push_back(pair);
        } else if (cls == "302") {
          kind->personnel_practice.push_back(pair);
        }
        if (cls == "302" || cls == "310") kind->public_funds.push_back(pair);
      }
    }
  }
}

const BudgetGenerator::KindPairs& BudgetGenerator::Of(v1::UnitKind kind) const {
  switch (kind) {
    case v1::UNIT_KIND_ADMINISTRATIVE:
    case v1::UNIT_KIND_CIVIL_SERVICE_INSTITUTION:
      return office_;
    case v1::UNIT_KIND_INSTITUTION:
      return institution_;
    default:
      return none_;
  }
}

const std::vector<BudgetGenerator::Pair>& BudgetGenerator::PairsFor(
    v1::UnitKind kind, v1::ExpenditureNature nature) const {
  const KindPairs& pairs = Of(kind);
  switch (nature) {
    case v1::EXPENDITURE_NATURE_BASIC_PERSONNEL:
      return pairs.personnel;
    case v1::EXPENDITURE_NATURE_BASIC_PUBLIC:
      return pairs.public_funds;
    default:
      return pairs.any;
  }
}

const std::vector<std::string>& BudgetGenerator::SubsidyCodesFor(
    const std::string& dept) const {
  auto it = subsidy_codes_.find(dept);
  return it == subsidy_codes_.end() ? no_codes_ : it->second;
}

const std::vector<std::string>& BudgetGenerator::FunctionItemsPaidBy(
    absl::string_view fund) const {
  auto items = function_items_by_fund_.find(fund);
  return items == function_items_by_fund_.end() ? no_codes_ : items->second;
}

const std::vector<BudgetGenerator::Pair>& BudgetGenerator::PersonnelByPractice(
    v1::UnitKind kind) const {
  return Of(kind).personnel_practice;
}

v1::UnitBudget BudgetGenerator::Generate(const std::string& unit_code,
                                         int fiscal_year, Rng& rng) const {
  const v1::Unit& unit = *registry_.Find(unit_code);
  return Builder(*this, unit, CounterpartsOf(registry_, unit), fiscal_year, rng)
      .Build();
}

}  // namespace budget
