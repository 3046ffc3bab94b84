// Property tests of the validator on budgets drawn from the whole catalog
// (BudgetGenerator): no budget the official definitions allow gets a fatal
// finding, and changing one field into something they forbid trips the rule
// that enforces that definition, and no unrelated fatal rule. Seeded, so a
// failure replays.
#include <cstdint>
#include <functional>
#include <limits>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "budget/validation/budget_generator.h"
#include "budget/validation/limits.h"
#include "budget/validation/rules.h"
#include "budget/validation/validator.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace budget {
namespace {

using Rng = std::mt19937_64;

constexpr uint64_t kSeed = 20240101;
constexpr int kBudgets = 10'000;
constexpr int kMutatedBudgets = 1'500;
constexpr int kYears[] = {2023, 2024};

v1::Unit Unit(const char* code, const char* parent, v1::UnitKind kind) {
  v1::Unit unit;
  unit.set_code(code);
  unit.set_name(absl::StrCat("单位", code));
  unit.set_parent_code(parent);
  unit.set_kind(kind);
  return unit;
}

// A city with two departments: one registered flat (机关, a 参公 unit and
// institutions side by side) with institutions nested below an institution
// and below the 机关, and a one-unit department.
const UnitTree& Registry() {
  static const UnitTree* tree = [] {
    auto built = UnitTree::Build({
        Unit("41", "", v1::UNIT_KIND_GROUP),
        Unit("41001", "41", v1::UNIT_KIND_GROUP),
        Unit("41001001", "41001", v1::UNIT_KIND_ADMINISTRATIVE),
        Unit("41001002", "41001", v1::UNIT_KIND_CIVIL_SERVICE_INSTITUTION),
        Unit("41001003", "41001", v1::UNIT_KIND_INSTITUTION),
        Unit("41001003001", "41001003", v1::UNIT_KIND_INSTITUTION),
        Unit("41001001001", "41001001", v1::UNIT_KIND_INSTITUTION),
        Unit("41002", "41", v1::UNIT_KIND_GROUP),
        Unit("41002001", "41002", v1::UNIT_KIND_INSTITUTION),
    });
    EXPECT_TRUE(built.ok()) << built.status();
    return new UnitTree(*std::move(built));
  }();
  return *tree;
}

std::vector<std::string> BudgetUnits() {
  std::vector<std::string> units;
  for (const UnitTree::Visit& visit : Registry().Subtree("41")) {
    if (visit.unit->kind() != v1::UNIT_KIND_GROUP) {
      units.push_back(visit.unit->code());
    }
  }
  return units;
}

// One edition and the generator drawing from it.
struct Edition {
  const Catalog* catalog;
  BudgetGenerator generator;
};

const Edition& EditionOf(int year) {
  static const auto* editions = [] {
    auto* map = new std::map<int, Edition>;
    for (int year : kYears) {
      const Catalog& catalog = Catalog::Default().ForFiscalYear(year);
      map->emplace(year,
                   Edition{&catalog, BudgetGenerator(catalog, Registry())});
    }
    return map;
  }();
  return editions->at(year);
}

v1::ValidationReport Validate(const v1::UnitBudget& budget, bool strict) {
  ValidationContext context;
  context.catalog = &Catalog::Default().ForFiscalYear(budget.fiscal_year());
  context.registry = &Registry();
  context.strict = strict;
  return ValidateUnitBudget(budget, context);
}

std::string Describe(const v1::Violation& v) {
  return absl::StrCat(v.rule_id(), " ", v1::Severity_Name(v.severity()), " ",
                      v.field_path(), " given=", v.given(),
                      " expected=", v.expected());
}

TEST(ValidatorPropertyTest, GeneratedBudgetsOfEveryKindHaveNoFatalFinding) {
  Rng rng(kSeed);
  const std::vector<std::string> units = BudgetUnits();
  // Warnings for the local practices the generator uses on purpose.
  const std::set<std::string> accepted_warnings = {"BGT-E034", "BGT-E035",
                                                   "BGT-E052"};
  std::map<std::string, int> warnings;
  std::map<v1::UnitKind, std::set<std::string>> pairs_used;
  std::set<std::string> functions_used;
  int operating_lines = 0;
  int failures = 0;
  for (int i = 0; i < kBudgets; ++i) {
    const int year = kYears[i % 2];
    const std::string& unit = units[(i / 2) % units.size()];
    const v1::UnitBudget budget =
        EditionOf(year).generator.Generate(unit, year, rng);
    const v1::UnitKind kind = Registry().Find(unit)->kind();
    for (const v1::ExpenditureLine& line : budget.expenditures()) {
      pairs_used[kind].insert(absl::StrCat(line.dept_economic_code(), "/",
                                           line.gov_economic_code()));
      if (year == 2024) functions_used.insert(line.function_code());
      if (line.nature() == v1::EXPENDITURE_NATURE_OPERATING) ++operating_lines;
    }
    // Strict only raises severities: passing it passes the default too.
    const v1::ValidationReport report = Validate(budget, /*strict=*/true);
    for (const v1::Violation& v : report.violations()) {
      if (v.severity() == v1::SEVERITY_FATAL ||
          accepted_warnings.count(v.rule_id()) == 0) {
        if (++failures <= 10) {
          ADD_FAILURE() << "budget " << i << " of " << unit << " (" << year
                        << "): " << Describe(v);
        }
      } else {
        ++warnings[v.rule_id()];
      }
    }
  }
  EXPECT_EQ(failures, 0);
  // 事业单位经营支出 was drawn, and accepted.
  EXPECT_GT(operating_lines, 0);
  // The practices were exercised, and accepted.
  for (const std::string& id : accepted_warnings) {
    EXPECT_GT(warnings[id], 0) << id;
  }
  // Every pair a kind may book and every 项 of the edition was drawn.
  const BudgetGenerator& generator = EditionOf(2024).generator;
  for (v1::UnitKind kind :
       {v1::UNIT_KIND_ADMINISTRATIVE, v1::UNIT_KIND_CIVIL_SERVICE_INSTITUTION,
        v1::UNIT_KIND_INSTITUTION}) {
    const auto& pairs =
        generator.PairsFor(kind, v1::EXPENDITURE_NATURE_PROJECT);
    EXPECT_GT(pairs.size(), 50u) << kind;
    for (const BudgetGenerator::Pair& pair : pairs) {
      EXPECT_TRUE(
          pairs_used[kind].count(absl::StrCat(pair.dept, "/", pair.gov)) > 0)
          << kind << " never drew " << pair.dept << "/" << pair.gov;
    }
  }
  EXPECT_EQ(functions_used.size(), generator.FunctionItems().size());
}

// What a mutation may consult.
struct Setting {
  const Catalog& catalog;
  const v1::Unit& unit;
};

// Changes one field of a budget into something the definitions forbid and
// returns the field path where `rule` must report it; nullopt when the
// budget offers no place for this change.
using Apply = std::function<std::optional<std::string>(v1::UnitBudget&, Rng&,
                                                       const Setting&)>;

struct Mutation {
  const char* name;
  const char* rule;
  Apply apply;
  // Fatal rules the change may trip besides `rule` (consequences such as
  // the totals no longer balancing).
  std::set<std::string> also = {};
  bool strict = false;
};

int64_t Uniform(Rng& rng, int64_t lo, int64_t hi) {
  return std::uniform_int_distribution<int64_t>(lo, hi)(rng);
}

// A random index of `items` satisfying `pred`.
template <typename List, typename Pred>
std::optional<int> PickIndex(const List& items, Rng& rng, Pred pred) {
  std::vector<int> fitting;
  for (int i = 0; i < items.size(); ++i) {
    if (pred(items.Get(i))) fitting.push_back(i);
  }
  if (fitting.empty()) return std::nullopt;
  return fitting[Uniform(rng, 0, static_cast<int64_t>(fitting.size()) - 1)];
}

using Line = v1::ExpenditureLine;

std::optional<int> PickLine(const v1::UnitBudget& b, Rng& rng,
                            std::function<bool(const Line&)> pred) {
  return PickIndex(b.expenditures(), rng, pred);
}

std::string LinePath(int i, absl::string_view field) {
  return absl::StrCat("expenditures[", i, "].", field);
}

bool IsBasic(const Line& line) {
  return line.nature() == v1::EXPENDITURE_NATURE_BASIC_PERSONNEL ||
         line.nature() == v1::EXPENDITURE_NATURE_BASIC_PUBLIC;
}
bool IsTransfer(const Line& line) {
  return line.transfer_kind() != v1::TRANSFER_KIND_UNSPECIFIED;
}
bool AnyLine(const Line&) { return true; }
bool PaidByGeneralPublicBudget(const Line& line) {
  return line.funding_source() == v1::FUNDING_SOURCE_GENERAL_PUBLIC_BUDGET;
}
// A 机关's 对附属单位补助支出 may book 505/506 (docs/validation-rules.md).
bool PassesSubsidyOn(const Line& line) {
  return line.transfer_kind() == v1::TRANSFER_KIND_SUBSIDY_TO_SUBORDINATE;
}

// The classes of 政府预算支出经济分类 a unit of `kind` never books.
bool ExcludedFor(v1::UnitKind kind, absl::string_view gov) {
  const absl::string_view cls = gov.substr(0, 3);
  if (kind == v1::UNIT_KIND_INSTITUTION) return cls >= "501" && cls <= "504";
  return cls == "505" || cls == "506";
}

std::vector<std::string> GovItems(const Catalog& catalog) {
  std::vector<std::string> codes;
  for (const CatalogEntry* cls :
       catalog.Children(CodeSystem::kGovEconomic, "")) {
    for (const CatalogEntry* item :
         catalog.Children(CodeSystem::kGovEconomic, cls->code)) {
      codes.push_back(item->code);
    }
  }
  return codes;
}

std::optional<std::string> MutateGovCode(
    v1::UnitBudget& b, Rng& rng, const Setting& s,
    std::function<bool(const Line&, const std::string&)> fits) {
  std::vector<std::pair<int, std::string>> options;
  for (int i = 0; i < b.expenditures_size(); ++i) {
    for (const std::string& gov : GovItems(s.catalog)) {
      if (fits(b.expenditures(i), gov)) options.emplace_back(i, gov);
    }
  }
  if (options.empty()) return std::nullopt;
  const auto& [i, gov] =
      options[Uniform(rng, 0, static_cast<int64_t>(options.size()) - 1)];
  b.mutable_expenditures(i)->set_gov_economic_code(gov);
  return LinePath(i, "gov_economic_code");
}

bool Paired(const Catalog& catalog, const Line& line, const std::string& gov) {
  return catalog.IsKnownEconomicPair(line.dept_economic_code(), gov);
}

// An undeclared, well-formed project code (year 00 is never generated).
constexpr char kUndeclaredProject[] = "410100000000000000001";

// A change of `field` of a random expenditure line satisfying `pred`.
Apply OnLine(std::function<bool(const Line&)> pred, std::string field,
             std::function<void(Line&, const Setting&)> change) {
  return [=](v1::UnitBudget& b, Rng& rng,
             const Setting& s) -> std::optional<std::string> {
    const std::optional<int> i = PickLine(b, rng, pred);
    if (!i) return std::nullopt;
    change(*b.mutable_expenditures(*i), s);
    return LinePath(*i, field);
  };
}

// A change of a random income line satisfying `pred`, reported at `path`
// ("" for the line's `field`).
Apply OnIncome(std::function<bool(const v1::IncomeLine&)> pred,
               std::string field, std::string path,
               std::function<void(v1::IncomeLine&)> change) {
  return [=](v1::UnitBudget& b, Rng& rng,
             const Setting&) -> std::optional<std::string> {
    const std::optional<int> i = PickIndex(b.income(), rng, pred);
    if (!i) return std::nullopt;
    change(*b.mutable_income(*i));
    if (!path.empty()) return path;
    return absl::StrCat("income[", *i, "].", field);
  };
}

// A change of `field` of a random declared project from the `first`th on.
Apply OnProject(int first, std::string field,
                std::function<void(v1::UnitBudget&, int)> change) {
  return [=](v1::UnitBudget& b, Rng& rng,
             const Setting&) -> std::optional<std::string> {
    if (b.projects_size() <= first) return std::nullopt;
    const int j = static_cast<int>(Uniform(rng, first, b.projects_size() - 1));
    change(b, j);
    return absl::StrCat("projects[", j, "].", field);
  };
}

bool AnyIncome(const v1::IncomeLine&) { return true; }
bool IsProjectLine(const Line& line) {
  return line.nature() == v1::EXPENDITURE_NATURE_PROJECT;
}
bool IsOrdinary(const Line& line) { return !IsTransfer(line); }

// An uncatalogued 政府预算 款 of a class the unit's kind books.
void UnlistedGovCode(Line& line, const Setting& s) {
  line.set_gov_economic_code(
      s.unit.kind() == v1::UNIT_KIND_INSTITUTION ? "50598" : "50298");
}

const std::vector<Mutation>& Mutations() {
  using B = v1::UnitBudget;
  using R = std::optional<std::string>;
  using S = const Setting&;
  static const auto* mutations = new std::vector<Mutation>{
      {"YearOutOfRange", "BGT-E001",
       [](B& b, Rng&, S) -> R {
         b.set_fiscal_year(1999);
         return "fiscal_year";
       }},
      {"UnitNotRegistered", "BGT-E002",
       [](B& b, Rng&, S) -> R {
         b.set_unit_code("999999999");
         return "unit_code";
       }},
      {"UnitIsItsDepartment",
       "BGT-E003",
       [](B& b, Rng&, S s) -> R {
         for (const v1::Unit* node : Registry().PathToRoot(s.unit.code())) {
           if (node->kind() == v1::UNIT_KIND_GROUP) {
             b.set_unit_code(node->code());
             return "unit_code";
           }
         }
         return std::nullopt;
       },
       {"BGT-E062", "BGT-E070"}},
      {"NegativeExpenditure",
       "BGT-E004",
       OnLine(AnyLine, "amount_fen",
              [](Line& l, S) { l.set_amount_fen(-l.amount_fen() - 1); }),
       {"BGT-E050", "BGT-E051"}},
      {"NegativeIncome",
       "BGT-E004",
       OnIncome(
           AnyIncome, "amount_fen", "",
           [](v1::IncomeLine& l) { l.set_amount_fen(-l.amount_fen() - 1); }),
       {"BGT-E050", "BGT-E051"}},
      {"AmountBeyondInt64", "BGT-E005",
       [](B& b, Rng& rng, S) -> R {
         if (b.expenditures_size() < 2) return std::nullopt;
         auto i =
             PickLine(b, rng, [](const Line& l) { return l.amount_fen() > 0; });
         if (!i) return std::nullopt;
         b.mutable_expenditures(*i == 0 ? 1 : 0)
             ->set_amount_fen(std::numeric_limits<int64_t>::max());
         return std::string("expenditures");
       }},
      {"ExpenditureSourceUnset",
       "BGT-E006",
       OnLine(AnyLine, "funding_source",
              [](Line& l, S) { l.clear_funding_source(); }),
       {"BGT-E051"}},
      {"IncomeSourceUnset",
       "BGT-E006",
       OnIncome(AnyIncome, "source", "",
                [](v1::IncomeLine& l) { l.clear_source(); }),
       {"BGT-E051", "BGT-E061"}},
      // A 行政 office's 其他收入 relabelled 事业收入, both sides, so that it
      // still balances: only the office's kind forbids it.
      {"OfficeBusinessIncome", "BGT-E054",
       [](v1::UnitBudget& b, Rng& rng,
          const Setting& s) -> std::optional<std::string> {
         if (s.unit.kind() != v1::UNIT_KIND_ADMINISTRATIVE) return std::nullopt;
         const std::optional<int> i =
             PickIndex(b.income(), rng, [](const v1::IncomeLine& l) {
               return l.source() == v1::FUNDING_SOURCE_OTHER_INCOME;
             });
         if (!i) return std::nullopt;
         for (v1::IncomeLine& line : *b.mutable_income()) {
           if (line.source() == v1::FUNDING_SOURCE_OTHER_INCOME) {
             line.set_source(v1::FUNDING_SOURCE_BUSINESS_INCOME);
           }
         }
         for (Line& line : *b.mutable_expenditures()) {
           if (line.funding_source() == v1::FUNDING_SOURCE_OTHER_INCOME) {
             line.set_funding_source(v1::FUNDING_SOURCE_BUSINESS_INCOME);
           }
         }
         return absl::StrCat("income[", *i, "].source");
       }},
      {"FunctionCodeAtKuanLevel", "BGT-E010",
       OnLine(AnyLine, "function_code",
              [](Line& l, S) {
                l.set_function_code(l.function_code().substr(0, 5));
              })},
      {"DeptCodeAtLeiLevel", "BGT-E012",
       OnLine(AnyLine, "dept_economic_code",
              [](Line& l, S) {
                l.set_dept_economic_code(l.dept_economic_code().substr(0, 3));
              })},
      {"GovCodeAtLeiLevel", "BGT-E014",
       OnLine(AnyLine, "gov_economic_code",
              [](Line& l, S) {
                l.set_gov_economic_code(l.gov_economic_code().substr(0, 3));
              })},
      {"CounterpartOfTheOtherKind", "BGT-E020",
       [](B& b, Rng& rng, S s) -> R {
         return MutateGovCode(
             b, rng, s, [&](const Line& l, const std::string& gov) {
               return ExcludedFor(s.unit.kind(), gov) &&
                      Paired(s.catalog, l, gov) && !PassesSubsidyOn(l);
             });
       }},
      {"PairOutsideTheCrosswalk", "BGT-E021",
       [](B& b, Rng& rng, S s) -> R {
         return MutateGovCode(
             b, rng, s, [&](const Line& l, const std::string& gov) {
               return !ExcludedFor(s.unit.kind(), gov) &&
                      !Paired(s.catalog, l, gov) &&
                      s.catalog.HasCrosswalkFor(l.dept_economic_code());
             });
       }},
      {"NatureUnset", "BGT-E030",
       OnLine(IsBasic, "nature", [](Line& l, S) { l.clear_nature(); })},
      {"SalaryAsPublicFunds", "BGT-E031",
       OnLine(
           [](const Line& l) {
             const std::string cls = l.dept_economic_code().substr(0, 3);
             return l.nature() == v1::EXPENDITURE_NATURE_BASIC_PERSONNEL &&
                    (cls == "301" || cls == "303");
           },
           "nature",
           [](Line& l, S) {
             l.set_nature(v1::EXPENDITURE_NATURE_BASIC_PUBLIC);
           })},
      {"CapitalAsPersonnel", "BGT-E031",
       OnLine(
           [](const Line& l) {
             return l.nature() == v1::EXPENDITURE_NATURE_BASIC_PUBLIC &&
                    l.dept_economic_code().substr(0, 3) == "310";
           },
           "nature",
           [](Line& l, S) {
             l.set_nature(v1::EXPENDITURE_NATURE_BASIC_PERSONNEL);
           })},
      {"BasicLineOnDeclaredProject", "BGT-E032",
       [](B& b, Rng& rng, S s) -> R {
         if (b.projects().empty()) return std::nullopt;
         const std::string declared = b.projects(0).code();
         return OnLine(IsBasic, "project_code", [&](Line& l, S) {
           l.set_project_code(declared);
         })(b, rng, s);
       }},
      // A 行政 office's 公用经费 relabelled 事业单位经营支出: only the
      // office's kind forbids it.
      {"OfficeOperatingLine", "BGT-E036",
       [](B& b, Rng& rng, S s) -> R {
         if (s.unit.kind() != v1::UNIT_KIND_ADMINISTRATIVE) return std::nullopt;
         return OnLine(IsBasic, "nature", [](Line& l, S) {
           l.set_nature(v1::EXPENDITURE_NATURE_OPERATING);
         })(b, rng, s);
       }},
      {"ProjectLineOnUndeclaredProject", "BGT-E033",
       OnLine(IsProjectLine, "project_code",
              [](Line& l, S) { l.set_project_code(kUndeclaredProject); })},
      {"ProjectCodeWithSpaces",
       "BGT-E040",
       OnProject(0, "code",
                 [](B& b, int j) {
                   b.mutable_projects(j)->mutable_code()->insert(8, " ");
                 }),
       {"BGT-E033"}},
      {"ProjectCodeOfAnother",
       "BGT-E041",
       OnProject(1, "code",
                 [](B& b, int j) {
                   b.mutable_projects(j)->set_code(b.projects(0).code());
                 }),
       {"BGT-E033"}},
      {"ProjectNameCleared", "BGT-E042",
       OnProject(0, "name",
                 [](B& b, int j) { b.mutable_projects(j)->clear_name(); })},
      {"ProjectCategoryUnset", "BGT-E043",
       OnProject(0, "category",
                 [](B& b, int j) { b.mutable_projects(j)->clear_category(); })},
      {"IncomeOneFenOver",
       "BGT-E050",
       OnIncome(
           AnyIncome, "", "income",
           [](v1::IncomeLine& l) { l.set_amount_fen(l.amount_fen() + 1); }),
       {"BGT-E051"}},
      {"AppropriationBookedAsGovernmentFund", "BGT-E051",
       OnIncome(
           [](const v1::IncomeLine& l) {
             return l.amount_fen() > 0 &&
                    l.source() == v1::FUNDING_SOURCE_GENERAL_PUBLIC_BUDGET;
           },
           "", "income",
           [](v1::IncomeLine& l) {
             l.set_source(v1::FUNDING_SOURCE_GOVERNMENT_FUND);
           })},
      {"TransferWithoutCounterpartStrict",
       "BGT-E060",
       OnLine(IsTransfer, "counterpart_unit",
              [](Line& l, S) { l.clear_counterpart_unit(); }),
       {},
       /*strict=*/true},
      {"CounterpartOnOrdinaryLine", "BGT-E061",
       OnLine(
           IsOrdinary, "counterpart_unit",
           [](Line& l, S s) { l.set_counterpart_unit(s.unit.parent_code()); })},
      {"TransferToItself", "BGT-E062",
       OnLine(IsTransfer, "counterpart_unit",
              [](Line& l, S s) { l.set_counterpart_unit(s.unit.code()); })},
      {"SubsidyFromAppropriation", "BGT-E063",
       OnLine(PassesSubsidyOn, "funding_source",
              [](Line& l, S) {
                l.set_funding_source(
                    l.funding_source() ==
                            v1::FUNDING_SOURCE_GENERAL_PUBLIC_BUDGET
                        ? v1::FUNDING_SOURCE_GOVERNMENT_FUND
                        : v1::FUNDING_SOURCE_GENERAL_PUBLIC_BUDGET);
              }),
       {"BGT-E051", "BGT-E052", "BGT-E053"}},
      {"GoalOfAnotherDepartment", "BGT-E070",
       [](B& b, Rng&, S s) -> R {
         b.mutable_overall_goal()->set_scope_code(
             Registry().IsWithin(s.unit.code(), "41002") ? "41001" : "41002");
         return std::string("overall_goal.scope_code");
       }},
      {"FunctionCodeUnlistedStrict",
       "BGT-E011",
       OnLine(AnyLine, "function_code",
              [](Line& l, S) { l.set_function_code("2999998"); }),
       {},
       /*strict=*/true},
      {"AppropriationOnALandTransferCodeStrict",
       "BGT-E023",
       OnLine(PaidByGeneralPublicBudget, "function_code",
              [](Line& l, S) { l.set_function_code("2120801"); }),
       {},
       /*strict=*/true},
      {"DeptCodeUnlistedStrict",
       "BGT-E013",
       OnLine(IsProjectLine, "dept_economic_code",
              [](Line& l, S) { l.set_dept_economic_code("30198"); }),
       {"BGT-E022"},
       /*strict=*/true},
      {"GovCodeUnlistedStrict",
       "BGT-E015",
       OnLine(AnyLine, "gov_economic_code", UnlistedGovCode),
       {"BGT-E022"},
       /*strict=*/true},
      {"PairUncheckableStrict",
       "BGT-E022",
       OnLine(AnyLine, "gov_economic_code", UnlistedGovCode),
       {"BGT-E015"},
       /*strict=*/true},
      {"IncomeOverItsLimit", "BGT-E090",
       [](B& b, Rng&, S) -> R {
         while (b.income_size() <= kMaxIncomeLines) b.add_income();
         return std::string("income");
       }},
      {"MemoOverItsLimit", "BGT-E091",
       OnLine(AnyLine, "memo",
              [](Line& l, S) {
                l.set_memo(std::string(kMaxTextBytes + 1, 'x'));
              })},
      {"EscapeInAMemo", "BGT-E094",
       OnLine(AnyLine, "memo",
              [](Line& l, S) { l.set_memo("备注\x1B]0;title\x07"); })},
      {"NegativeVehicleCount", "BGT-E092",
       [](B& b, Rng&, S) -> R {
         b.mutable_other()->set_general_vehicles(-1);
         return std::string("other.general_vehicles");
       }},
      {"TransferKindOutsideTheEnum",
       "BGT-E093",
       OnLine(IsTransfer, "transfer_kind",
              [](Line& l, S) {
                l.set_transfer_kind(static_cast<v1::TransferKind>(9));
              }),
       // No longer a subsidy to a subordinate: its counterpart and a
       // 机关's 505/506 code lose their footing too.
       {"BGT-E061", "BGT-E020"}},
  };
  return *mutations;
}

TEST(ValidatorPropertyTest, OneForbiddenChangeTripsItsRuleAndNoOther) {
  Rng rng(kSeed + 1);
  const std::vector<std::string> units = BudgetUnits();
  std::map<std::string, int> applied;
  int failures = 0;
  for (int n = 0; n < kMutatedBudgets; ++n) {
    const int year = kYears[n % 2];
    const std::string& unit = units[(n / 2) % units.size()];
    const Edition& edition = EditionOf(year);
    const v1::UnitBudget valid = edition.generator.Generate(unit, year, rng);
    const Setting setting{*edition.catalog, *Registry().Find(unit)};
    for (const Mutation& m : Mutations()) {
      v1::UnitBudget budget = valid;
      const std::optional<std::string> path = m.apply(budget, rng, setting);
      if (!path) continue;
      ++applied[m.name];
      bool found = false;
      std::vector<std::string> unexpected;
      const v1::ValidationReport report = Validate(budget, m.strict);
      for (const v1::Violation& v : report.violations()) {
        if (v.severity() != v1::SEVERITY_FATAL) continue;
        if (v.rule_id() == m.rule && v.field_path() == *path) found = true;
        if (v.rule_id() != m.rule && m.also.count(v.rule_id()) == 0) {
          unexpected.push_back(Describe(v));
        }
        // The pair rule names only counterparts this unit's kind books.
        if (v.rule_id() == "BGT-E021") {
          for (absl::string_view gov : absl::StrSplit(v.expected(), " or ")) {
            EXPECT_FALSE(ExcludedFor(setting.unit.kind(), gov))
                << m.name << ": " << Describe(v);
          }
        }
      }
      if ((!found || !unexpected.empty()) && ++failures <= 10) {
        ADD_FAILURE() << m.name << " on budget " << n << " of " << unit << ": "
                      << m.rule << " at " << *path
                      << (found ? " found" : " missing")
                      << "; unexpected: " << testing::PrintToString(unexpected);
      }
    }
  }
  EXPECT_EQ(failures, 0);
  for (const Mutation& m : Mutations()) {
    EXPECT_GE(applied[m.name], 20) << m.name << " rarely applicable";
  }
}

TEST(ValidatorPropertyTest, MutationsCoverEveryFatalRule) {
  std::set<std::string> mutated;
  for (const Mutation& m : Mutations()) mutated.insert(m.rule);
  // The retired-code rules (BGT-E016..E018) need an edition that retires a
  // code, and none is established between the shipped editions; their
  // cases (validator_test) retire codes in a copy of the catalog.
  const std::set<std::string> need_a_retiring_edition = {"BGT-E016", "BGT-E017",
                                                         "BGT-E018"};
  for (const Rule& rule : AllRules()) {
    if (need_a_retiring_edition.count(std::string(rule.id)) > 0) continue;
    if (rule.severity == v1::SEVERITY_FATAL || rule.fatal_when_strict) {
      EXPECT_TRUE(mutated.count(std::string(rule.id)) > 0) << rule.id;
    }
  }
}

}  // namespace
}  // namespace budget
