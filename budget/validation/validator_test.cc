#include "budget/validation/validator.h"

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <functional>
#include <limits>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "budget/validation/limits.h"
#include "budget/validation/rules.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/retired_catalog.h"
#include "tests/testing/scratch_dir.h"

namespace budget {
namespace {

using ::testing::AllOf;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

// Project codes of the reference's table 13 (printed with spaces there).
constexpr char kFuelCell[] = "410100240000000051204";  // 燃料电池汽车示范应用
constexpr char kEntrepreneurDay[] = "410100240000000051611";  // 郑州企业家日
constexpr char kGasAndWater[] = "410100240000000022812";  // 煤矿瓦斯水害防治
// 退休干部财政代管资金专项经费 (table 11, 4.2 万元 of other income): its code
// is not printed, so this one only has the published form.
constexpr char kRetireeFund[] = "410100240000000000001";

v1::ExpenditureLine Line(const char* function, const char* dept,
                         const char* gov, v1::FundingSource source,
                         v1::ExpenditureNature nature, int64_t fen,
                         const char* project = "") {
  v1::ExpenditureLine line;
  line.set_function_code(function);
  line.set_dept_economic_code(dept);
  line.set_gov_economic_code(gov);
  line.set_funding_source(source);
  line.set_nature(nature);
  line.set_project_code(project);
  line.set_amount_fen(fen);
  return line;
}

v1::Project Project(const char* code, const char* name,
                    v1::ProjectCategory category) {
  v1::Project project;
  project.set_code(code);
  project.set_name(name);
  project.set_category(category);
  return project;
}

void AddIncome(v1::UnitBudget& budget, v1::FundingSource source, int64_t fen) {
  v1::IncomeLine* line = budget.add_income();
  line->set_source(source);
  line->set_amount_fen(fen);
}

constexpr auto kGpb = v1::FUNDING_SOURCE_GENERAL_PUBLIC_BUDGET;
constexpr auto kOther = v1::FUNDING_SOURCE_OTHER_INCOME;
constexpr auto kPersonnel = v1::EXPENDITURE_NATURE_BASIC_PERSONNEL;
constexpr auto kPublic = v1::EXPENDITURE_NATURE_BASIC_PUBLIC;
constexpr auto kProject = v1::EXPENDITURE_NATURE_PROJECT;
constexpr auto kOperating = v1::EXPENDITURE_NATURE_OPERATING;

// A slice of 郑州市工业和信息化局机关 (行政单位): lines as tables 06, 07 and
// 11 book them, amounts in fen from the printed 万元.
v1::UnitBudget OfficeBudget() {
  v1::UnitBudget b;
  b.set_unit_code("021001");
  b.set_fiscal_year(2024);
  *b.add_expenditures() =
      Line("2150501", "30101", "50101", kGpb, kPersonnel, 3'108'200'000);
  *b.add_expenditures() =
      Line("2150501", "30239", "50201", kGpb, kPersonnel, 116'300'000);
  *b.add_expenditures() =
      Line("2150501", "30201", "50201", kGpb, kPublic, 155'100'000);
  *b.add_expenditures() =
      Line("2150501", "31002", "50306", kGpb, kPublic, 34'800'000);
  *b.add_expenditures() =
      Line("2080501", "30302", "50905", kGpb, kPersonnel, 2'096'100'000);
  *b.add_expenditures() = Line("2150517", "31204", "50701", kGpb, kProject,
                               12'767'000'000, kFuelCell);
  *b.add_expenditures() = Line("2150517", "30227", "50205", kGpb, kProject,
                               260'000'000, kEntrepreneurDay);
  *b.add_expenditures() = Line("2150501", "30399", "50999", kOther, kProject,
                               4'200'000, kRetireeFund);
  AddIncome(b, kGpb, 18'537'500'000);
  AddIncome(b, kOther, 4'200'000);
  *b.add_projects() = Project(kFuelCell, "郑州市支持燃料电池汽车示范应用专项",
                              v1::PROJECT_CATEGORY_SPECIFIC_TARGET);
  *b.add_projects() =
      Project(kEntrepreneurDay, "“郑州企业家日”系列活动专项工作经费",
              v1::PROJECT_CATEGORY_OTHER_OPERATING);
  *b.add_projects() = Project(kRetireeFund, "退休干部财政代管资金专项经费",
                              v1::PROJECT_CATEGORY_OTHER_OPERATING);
  b.mutable_overall_goal()->set_scope_code("021");
  return b;
}

// A slice of 郑州市煤矿防灾救灾中心 (事业单位).
v1::UnitBudget InstitutionBudget() {
  v1::UnitBudget b;
  b.set_unit_code("021017");
  b.set_fiscal_year(2024);
  *b.add_expenditures() =
      Line("2240450", "30101", "50501", kGpb, kPersonnel, 250'000'000);
  *b.add_expenditures() =
      Line("2240450", "30239", "50502", kGpb, kPersonnel, 60'000'000);
  *b.add_expenditures() =
      Line("2240450", "31002", "50601", kGpb, kPublic, 40'600'000);
  *b.add_expenditures() = Line("2240404", "30227", "50502", kGpb, kProject,
                               35'000'000, kGasAndWater);
  AddIncome(b, kGpb, 385'600'000);
  *b.add_projects() = Project(kGasAndWater, "煤矿瓦斯水害防治专项工作经费项目",
                              v1::PROJECT_CATEGORY_OTHER_OPERATING);
  return b;
}

v1::Unit Unit(const char* code, const char* name, const char* parent,
              v1::UnitKind kind) {
  v1::Unit unit;
  unit.set_code(code);
  unit.set_name(name);
  unit.set_parent_code(parent);
  unit.set_kind(kind);
  return unit;
}

const UnitTree& Registry() {
  static const UnitTree* tree = [] {
    auto built = UnitTree::Build({
        Unit("021", "郑州市工业和信息化局", "", v1::UNIT_KIND_GROUP),
        Unit("021001", "郑州市工业和信息化局机关", "021",
             v1::UNIT_KIND_ADMINISTRATIVE),
        Unit("021014", "郑州市中小企业服务中心", "021",
             v1::UNIT_KIND_CIVIL_SERVICE_INSTITUTION),
        Unit("021017", "郑州市煤矿防灾救灾中心", "021",
             v1::UNIT_KIND_INSTITUTION),
    });
    EXPECT_TRUE(built.ok()) << built.status();
    return new UnitTree(*std::move(built));
  }();
  return *tree;
}

// The embedded catalog with every crosswalk pair of dept code 30201
// removed, so that pair checks meet a code the crosswalk does not cover.
const Catalog& CatalogWithoutPairsFor30201() {
  static const Catalog* catalog = [] {
    const std::filesystem::path dir = e2e_testing::MakeScratchDir();
    for (const std::string& name : Catalog::FileNames()) {
      std::ifstream in(std::filesystem::path("data/catalog") / name);
      std::ofstream out(dir / name, std::ios::trunc);
      std::string line;
      while (std::getline(in, line)) {
        if (name != "economic_crosswalk.csv" ||
            line.find(",30201,") == std::string::npos) {
          out << line << "\n";
        }
      }
    }
    auto loaded = Catalog::LoadFromDirectory(dir.string());
    EXPECT_TRUE(loaded.ok()) << loaded.status();
    return new Catalog(*std::move(loaded));
  }();
  return *catalog;
}

// The catalog with the codes of OfficeBudget's first line retired in 2024.
const Catalog& CatalogRetiringFirstLineCodes() {
  static const Catalog* catalog = new Catalog(
      e2e_testing::CatalogRetiringIn2024({"2150501", "30101", "50101"}));
  return *catalog;
}

// What a case may change besides the budget.
struct Options {
  bool strict = false;
  bool with_registry = true;
  const Catalog* catalog = &Catalog::Default();
  std::optional<v1::UnitBudget> prior_year;
};

v1::ValidationReport Validate(const v1::UnitBudget& budget,
                              const Options& setup) {
  ValidationContext context;
  context.catalog = setup.catalog;
  context.registry = setup.with_registry ? &Registry() : nullptr;
  context.prior_year = setup.prior_year ? &*setup.prior_year : nullptr;
  context.strict = setup.strict;
  return ValidateUnitBudget(budget, context);
}

std::vector<std::string> Describe(const v1::ValidationReport& report) {
  std::vector<std::string> lines;
  for (const v1::Violation& v : report.violations()) {
    lines.push_back(absl::StrCat(
        v.rule_id(), " ", v1::Severity_Name(v.severity()), " ", v.field_path(),
        " given=", v.given(), " expected=", v.expected()));
  }
  return lines;
}

TEST(ValidatorTest, ReferenceSlicesPassWithoutAnyFinding) {
  for (const v1::UnitBudget& budget : {OfficeBudget(), InstitutionBudget()}) {
    EXPECT_THAT(Describe(Validate(budget, {})), IsEmpty())
        << budget.unit_code();
    Options strict;
    strict.strict = true;
    strict.prior_year = budget;
    EXPECT_THAT(Describe(Validate(budget, strict)), IsEmpty());
  }
}

// 事业单位经营支出 paid by 经营收入: nothing to report, even strict. Its
// 301 款 would be fatal as 公用经费 (E031): 经营支出 covers every class.
v1::UnitBudget InstitutionWithOperating() {
  v1::UnitBudget b = InstitutionBudget();
  *b.add_expenditures() =
      Line("2240450", "30101", "50501", v1::FUNDING_SOURCE_OPERATING_INCOME,
           kOperating, 50'000'000);
  AddIncome(b, v1::FUNDING_SOURCE_OPERATING_INCOME, 50'000'000);
  return b;
}

TEST(ValidatorTest, OperatingExpenditureOfAnInstitutionPasses) {
  Options strict;
  strict.strict = true;
  EXPECT_THAT(Describe(Validate(InstitutionWithOperating(), strict)),
              IsEmpty());
}

// A 参公 unit is a 事业单位 in law and may have 经营收入 (E054 leaves it
// alone), so it may spend it as 经营支出. (The slice's 505 codes are not a
// 参公's, E020: only the nature is looked at here.)
TEST(ValidatorTest, OperatingExpenditureOfACivilServiceInstitutionPasses) {
  v1::UnitBudget budget = InstitutionWithOperating();
  budget.set_unit_code("021014");
  for (const std::string& finding : Describe(Validate(budget, {}))) {
    EXPECT_THAT(finding, Not(HasSubstr("BGT-E036")));
    EXPECT_THAT(finding, Not(HasSubstr("BGT-E054")));
  }
}

struct Case {
  const char* name;
  std::function<void(v1::UnitBudget&, Options&)> mutate;
  const char* rule;
  const char* path;
  v1::Severity severity;
  bool institution = false;  // Start from InstitutionBudget().
};

v1::ExpenditureLine& Exp(v1::UnitBudget& b, int i) {
  return *b.mutable_expenditures(i);
}

constexpr auto kFatal = v1::SEVERITY_FATAL;
constexpr auto kWarning = v1::SEVERITY_WARNING;
constexpr int64_t kMax = std::numeric_limits<int64_t>::max();

const std::vector<Case>& Cases() {
  static const auto* cases = new std::vector<Case>{
      {"YearTooEarly", [](auto& b, auto&) { b.set_fiscal_year(1999); },
       "BGT-E001", "fiscal_year", kFatal},
      {"UnitNotRegistered", [](auto& b, auto&) { b.set_unit_code("021099"); },
       "BGT-E002", "unit_code", kFatal},
      {"UnitMissingOffline",
       [](auto& b, auto& s) {
         b.clear_unit_code();
         s.with_registry = false;
       },
       "BGT-E002", "unit_code", kFatal},
      {"UnitIsGroup", [](auto& b, auto&) { b.set_unit_code("021"); },
       "BGT-E003", "unit_code", kFatal},
      {"NegativeAmount",
       [](auto& b, auto&) { Exp(b, 2).set_amount_fen(-155'100'000); },
       "BGT-E004", "expenditures[2].amount_fen", kFatal},
      {"NegativeIncome",
       [](auto& b, auto&) { b.mutable_income(1)->set_amount_fen(-1); },
       "BGT-E004", "income[1].amount_fen", kFatal},
      {"ExpenditureOverflow",
       [](auto& b, auto&) {
         Exp(b, 0).set_amount_fen(kMax);
         Exp(b, 1).set_amount_fen(kMax);
       },
       "BGT-E005", "expenditures", kFatal},
      {"IncomeOverflow",
       [](auto& b, auto&) {
         b.mutable_income(0)->set_amount_fen(kMax);
         b.mutable_income(1)->set_amount_fen(kMax);
       },
       "BGT-E005", "income", kFatal},
      {"FundingSourceUnset",
       [](auto& b, auto&) { Exp(b, 3).clear_funding_source(); }, "BGT-E006",
       "expenditures[3].funding_source", kFatal},
      {"IncomeSourceUnset",
       [](auto& b, auto&) { b.mutable_income(0)->clear_source(); }, "BGT-E006",
       "income[0].source", kFatal},
      {"FunctionCodeAtKuanLevel",
       [](auto& b, auto&) { Exp(b, 0).set_function_code("21505"); }, "BGT-E010",
       "expenditures[0].function_code", kFatal},
      {"FunctionCodeUnknown",
       [](auto& b, auto&) { Exp(b, 0).set_function_code("2159999"); },
       "BGT-E011", "expenditures[0].function_code", kWarning},
      {"FunctionCodeUnknownStrict",
       [](auto& b, auto& s) {
         Exp(b, 0).set_function_code("2159999");
         s.strict = true;
       },
       "BGT-E011", "expenditures[0].function_code", kFatal},
      {"DeptCodeMalformed",
       [](auto& b, auto&) { Exp(b, 0).set_dept_economic_code("301O1"); },
       "BGT-E012", "expenditures[0].dept_economic_code", kFatal},
      {"DeptCodeUnknown",
       [](auto& b, auto&) { Exp(b, 0).set_dept_economic_code("30198"); },
       "BGT-E013", "expenditures[0].dept_economic_code", kWarning},
      {"GovCodeMalformed",
       [](auto& b, auto&) { Exp(b, 0).set_gov_economic_code("501"); },
       "BGT-E014", "expenditures[0].gov_economic_code", kFatal},
      {"GovCodeUnknownStrict",
       [](auto& b, auto& s) {
         Exp(b, 4).set_gov_economic_code("50998");
         s.strict = true;
       },
       "BGT-E015", "expenditures[4].gov_economic_code", kFatal},
      {"FunctionRetired",
       [](auto&, auto& s) { s.catalog = &CatalogRetiringFirstLineCodes(); },
       "BGT-E016", "expenditures[0].function_code", kWarning},
      {"DeptCodeRetired",
       [](auto&, auto& s) { s.catalog = &CatalogRetiringFirstLineCodes(); },
       "BGT-E017", "expenditures[0].dept_economic_code", kWarning},
      {"GovCodeRetired",
       [](auto&, auto& s) { s.catalog = &CatalogRetiringFirstLineCodes(); },
       "BGT-E018", "expenditures[0].gov_economic_code", kWarning},
      {"OfficeBooksInstitutionCode",
       [](auto& b, auto&) { Exp(b, 0).set_gov_economic_code("50501"); },
       "BGT-E020", "expenditures[0].gov_economic_code", kFatal},
      {"InstitutionBooksOfficeCode",
       [](auto& b, auto&) { Exp(b, 0).set_gov_economic_code("50101"); },
       "BGT-E020", "expenditures[0].gov_economic_code", kFatal, true},
      {"PairNotInCrosswalk",
       [](auto& b, auto&) { Exp(b, 2).set_gov_economic_code("50205"); },
       "BGT-E021", "expenditures[2].gov_economic_code", kFatal},
      {"PairUnlisted",
       [](auto& b, auto& s) { s.catalog = &CatalogWithoutPairsFor30201(); },
       "BGT-E022", "expenditures[2].gov_economic_code", kWarning},
      {"PairWithUncataloguedGovCode",
       [](auto& b, auto&) { Exp(b, 2).set_gov_economic_code("50298"); },
       "BGT-E022", "expenditures[2].gov_economic_code", kWarning},
      {"PairWithUncataloguedGovCodeStrict",
       [](auto& b, auto& s) {
         Exp(b, 2).set_gov_economic_code("50298");
         s.strict = true;
       },
       "BGT-E022", "expenditures[2].gov_economic_code", kFatal},
      {"NatureUnset", [](auto& b, auto&) { Exp(b, 3).clear_nature(); },
       "BGT-E030", "expenditures[3].nature", kFatal},
      {"OtherGoodsAndServicesBookedAsPersonnel",
       [](auto& b, auto&) { Exp(b, 2).set_nature(kPersonnel); }, "BGT-E034",
       "expenditures[2].nature", kWarning},
      {"EquipmentBookedAsPersonnel",
       [](auto& b, auto&) { Exp(b, 3).set_nature(kPersonnel); }, "BGT-E031",
       "expenditures[3].nature", kFatal},
      {"SalaryBookedAsPublic",
       [](auto& b, auto&) { Exp(b, 0).set_nature(kPublic); }, "BGT-E031",
       "expenditures[0].nature", kFatal},
      {"SubsidyAsBasic",
       [](auto& b, auto&) {
         Exp(b, 5).set_nature(kPublic);
         Exp(b, 5).clear_project_code();
       },
       "BGT-E031", "expenditures[5].nature", kFatal},
      {"BasicLineCarriesUndeclaredProjectCode",
       [](auto& b, auto&) {
         Exp(b, 0).set_project_code("410100240000000000002");
       },
       "BGT-E035", "expenditures[0].project_code", kWarning},
      {"BasicLineNamesProject",
       [](auto& b, auto&) { Exp(b, 0).set_project_code(kFuelCell); },
       "BGT-E032", "expenditures[0].project_code", kFatal},
      {"OperatingLineNamesProject",
       [](auto& b, auto&) {
         Exp(b, 1).set_nature(kOperating);
         Exp(b, 1).set_project_code(kGasAndWater);
       },
       "BGT-E032", "expenditures[1].project_code", kFatal, true},
      {"OperatingLineCarriesUndeclaredProjectCode",
       [](auto& b, auto&) {
         Exp(b, 1).set_nature(kOperating);
         Exp(b, 1).set_project_code("410100240000000000002");
       },
       "BGT-E035", "expenditures[1].project_code", kWarning, true},
      // The 行政 office books its 办公费 as 事业单位经营支出.
      {"OfficeBooksOperatingExpenditure",
       [](auto& b, auto&) { Exp(b, 2).set_nature(kOperating); }, "BGT-E036",
       "expenditures[2].nature", kFatal},
      // The 事业单位 spends 一般公共预算 money on its business.
      {"OperatingPaidByAppropriation",
       [](auto& b, auto&) { Exp(b, 2).set_nature(kOperating); }, "BGT-E037",
       "expenditures[2].funding_source", kWarning, true},
      {"ProjectLineNamesUndeclaredProject",
       [](auto& b, auto&) {
         Exp(b, 6).set_project_code("410100240000000099999");
       },
       "BGT-E033", "expenditures[6].project_code", kFatal},
      {"ProjectLineNamesNoProject",
       [](auto& b, auto&) { Exp(b, 6).clear_project_code(); }, "BGT-E033",
       "expenditures[6].project_code", kFatal},
      {"ProjectCodeWithSpaces",
       [](auto& b, auto&) {
         b.mutable_projects(0)->set_code("41010024 00000000 51204");
       },
       "BGT-E040", "projects[0].code", kFatal},
      {"ProjectCodeOfAnotherLength",
       [](auto& b, auto&) {
         b.mutable_projects(2)->set_code("43000024T0001");
         Exp(b, 7).set_project_code("43000024T0001");
       },
       "BGT-E045", "projects[2].code", kWarning},
      {"IndicatorUnderAnInventedLevel",
       [](auto& b, auto&) {
         b.mutable_projects(0)->clear_indicators();
         b.mutable_projects(0)->add_indicators()->set_level1("随便写的");
       },
       "BGT-E046", "projects[0].indicators[0].level1", kWarning},
      {"ProjectDeclaredTwice",
       [](auto& b, auto&) { *b.add_projects() = b.projects(1); }, "BGT-E041",
       "projects[3].code", kFatal},
      {"ProjectNameMissing",
       [](auto& b, auto&) { b.mutable_projects(1)->clear_name(); }, "BGT-E042",
       "projects[1].name", kFatal},
      {"ProjectCategoryMissing",
       [](auto& b, auto&) { b.mutable_projects(1)->clear_category(); },
       "BGT-E043", "projects[1].category", kFatal},
      {"ProjectWithoutLines",
       [](auto& b, auto&) {
         *b.add_projects() =
             Project("410100240000000051205", "政府食盐储备补贴资金",
                     v1::PROJECT_CATEGORY_SPECIFIC_TARGET);
       },
       "BGT-E044", "projects[3].code", kWarning},
      {"IncomeShort",
       [](auto& b, auto&) { b.mutable_income(0)->set_amount_fen(1); },
       "BGT-E050", "income", kFatal},
      {"OtherIncomeBookedAsGeneralBudget",
       [](auto& b, auto&) {
         b.mutable_income(0)->set_amount_fen(18'541'700'000);
         b.mutable_income(1)->set_amount_fen(0);
       },
       "BGT-E051", "income", kFatal},
      {"CarryOverSpentOnThisYearsLines",
       [](auto& b, auto&) {
         b.mutable_income(0)->set_amount_fen(18'537'500'000 - 100);
         AddIncome(b, v1::FUNDING_SOURCE_CARRYOVER_GENERAL_PUBLIC_BUDGET, 100);
       },
       "BGT-E053", "expenditures", kWarning},
      {"OtherIncomeSpentAsBusinessIncome",
       [](auto& b, auto&) {
         Exp(b, 7).set_funding_source(v1::FUNDING_SOURCE_BUSINESS_INCOME);
       },
       "BGT-E052", "income", kWarning},
      {"TransferWithoutCounterpart",
       [](auto& b, auto&) {
         Exp(b, 6).set_transfer_kind(v1::TRANSFER_KIND_REMITTANCE_TO_SUPERIOR);
       },
       "BGT-E060", "expenditures[6].counterpart_unit", kWarning},
      {"OfficeWithInstitutionFund",
       [](auto& b, auto&) {
         b.mutable_income(1)->set_source(v1::FUNDING_SOURCE_INSTITUTION_FUND);
       },
       "BGT-E054", "income[1].source", kFatal},
      {"SubsidyIncomeFromUnknownUnit",
       [](auto& b, auto&) {
         b.mutable_income(1)->set_source(
             v1::FUNDING_SOURCE_SUBSIDY_FROM_SUPERIOR);
         b.mutable_income(1)->set_counterpart_unit("099");
       },
       "BGT-E060", "income[1].counterpart_unit", kWarning},
      {"SubsidyIncomeFromUnknownUnitStrict",
       [](auto& b, auto& s) {
         b.mutable_income(1)->set_source(
             v1::FUNDING_SOURCE_SUBSIDY_FROM_SUPERIOR);
         b.mutable_income(1)->set_counterpart_unit("099");
         s.strict = true;
       },
       "BGT-E060", "income[1].counterpart_unit", kFatal},
      {"CounterpartOnOrdinaryLine",
       [](auto& b, auto&) { Exp(b, 0).set_counterpart_unit("021014"); },
       "BGT-E061", "expenditures[0].counterpart_unit", kFatal},
      {"RemittanceToItself",
       [](auto& b, auto&) {
         Exp(b, 6).set_transfer_kind(v1::TRANSFER_KIND_REMITTANCE_TO_SUPERIOR);
         Exp(b, 6).set_counterpart_unit("021001");
       },
       "BGT-E062", "expenditures[6].counterpart_unit", kFatal},
      {"EscapeSequenceInAProjectName",
       [](auto& b, auto&) { b.mutable_projects(0)->set_name("项目\x1B[2J"); },
       "BGT-E094", "projects[0].name", kFatal},
      {"LineBreakInAMemo",
       [](auto& b, auto&) { Exp(b, 0).set_memo("ok\nrevision 9"); }, "BGT-E094",
       "expenditures[0].memo", kFatal},
      // The reference's 行政运行 line paid as 政府性基金, and the other way
      // round (BGT-E023).
      {"GovernmentFundOnAGeneralBudgetCode",
       [](auto& b, auto&) {
         Exp(b, 0).set_funding_source(v1::FUNDING_SOURCE_GOVERNMENT_FUND);
       },
       "BGT-E023", "expenditures[0].function_code", kWarning},
      {"AppropriationOnALandTransferCodeStrict",
       [](auto& b, auto& s) {
         Exp(b, 0).set_function_code("2120801");
         s.strict = true;
       },
       "BGT-E023", "expenditures[0].function_code", kFatal},
      {"OperatingFundsAboveThePublicFunds",
       [](auto& b, auto&) {
         b.mutable_other()->set_institution_operating_fen(1'000'000'000'000);
       },
       "BGT-E081", "other.institution_operating_fen", kWarning},
      {"ProcurementAboveTheExpenditure",
       [](auto& b, auto&) {
         b.mutable_other()->set_procurement_works_fen(1'000'000'000'000);
       },
       "BGT-E082", "other.procurement_*_fen", kWarning},
      {"SubsidyToSuperior",
       [](auto& b, auto&) {
         Exp(b, 6).set_transfer_kind(v1::TRANSFER_KIND_SUBSIDY_TO_SUBORDINATE);
         Exp(b, 6).set_counterpart_unit("021");
       },
       "BGT-E062", "expenditures[6].counterpart_unit", kFatal},
      {"SubsidyPaidWithAppropriation",
       [](auto& b, auto&) {
         Exp(b, 2).set_transfer_kind(v1::TRANSFER_KIND_SUBSIDY_TO_SUBORDINATE);
         Exp(b, 2).set_counterpart_unit("021017");
       },
       "BGT-E063", "expenditures[2].funding_source", kFatal},
      {"RemittancePaidWithAppropriation",
       [](auto& b, auto&) {
         Exp(b, 2).set_transfer_kind(v1::TRANSFER_KIND_REMITTANCE_TO_SUPERIOR);
         Exp(b, 2).set_counterpart_unit("021");
       },
       "BGT-E064", "expenditures[2].funding_source", kWarning},
      {"GoalOfSibling",
       [](auto& b, auto&) {
         b.mutable_overall_goal()->set_scope_code("021014");
       },
       "BGT-E070", "overall_goal.scope_code", kFatal},
      {"ProjectTripledSinceLastYear",
       [](auto& b, auto& s) {
         s.prior_year = b;
         Exp(*s.prior_year, 5).set_amount_fen(4'000'000'000);
       },
       "BGT-E080", "expenditures", kWarning},
      {"TooManyExpenditureLines",
       [](auto& b, auto&) {
         for (int i = 0; i <= kMaxExpenditureLines; ++i) b.add_expenditures();
       },
       "BGT-E090", "expenditures", kFatal},
      {"TooManyIndicators",
       [](auto& b, auto&) {
         for (int i = 0; i <= kMaxIndicators; ++i) {
           b.mutable_projects(0)->add_indicators();
         }
       },
       "BGT-E090", "projects[0].indicators", kFatal},
      {"MemoTooLong",
       [](auto& b, auto&) {
         Exp(b, 1).set_memo(std::string(kMaxTextBytes + 1, 'x'));
       },
       "BGT-E091", "expenditures[1].memo", kFatal},
      {"IndicatorTextTooLong",
       [](auto& b, auto&) {
         b.mutable_projects(1)->add_indicators()->set_explanation(
             std::string(kMaxTextBytes + 3, 'y'));
       },
       "BGT-E091", "projects[1].indicators[0].explanation", kFatal},
      {"NegativeProcurement",
       [](auto& b, auto&) { b.mutable_other()->set_procurement_goods_fen(-1); },
       "BGT-E092", "other.procurement_goods_fen", kFatal},
      {"OperatingFundsInt64Min",
       [](auto& b, auto&) {
         b.mutable_other()->set_institution_operating_fen(
             std::numeric_limits<int64_t>::min());
       },
       "BGT-E092", "other.institution_operating_fen", kFatal},
      {"NegativeVehicles",
       [](auto& b, auto&) { b.mutable_other()->set_general_vehicles(-2); },
       "BGT-E092", "other.general_vehicles", kFatal},
      {"TransferKindUnknown",
       [](auto& b, auto&) {
         Exp(b, 0).set_transfer_kind(static_cast<v1::TransferKind>(9));
       },
       "BGT-E093", "expenditures[0].transfer_kind", kFatal},
  };
  return *cases;
}

void PrintTo(const Case& c, std::ostream* os) { *os << c.name; }

class RuleCaseTest : public ::testing::TestWithParam<Case> {};

TEST_P(RuleCaseTest, TripsItsRule) {
  const Case& c = GetParam();
  v1::UnitBudget budget = c.institution ? InstitutionBudget() : OfficeBudget();
  Options setup;
  c.mutate(budget, setup);
  const v1::ValidationReport report = Validate(budget, setup);
  bool found = false;
  for (const v1::Violation& v : report.violations()) {
    if (v.rule_id() == c.rule && v.field_path() == c.path) {
      found = true;
      EXPECT_EQ(v.severity(), c.severity);
      EXPECT_FALSE(v.message().empty());
      EXPECT_FALSE(v.expected().empty());
    }
  }
  EXPECT_TRUE(found) << c.rule << " at " << c.path << " not among:\n"
                     << testing::PrintToString(Describe(report));
  if (c.severity == kFatal) {
    EXPECT_TRUE(HasFatal(report));
  }
}

INSTANTIATE_TEST_SUITE_P(AllRules, RuleCaseTest, ::testing::ValuesIn(Cases()),
                         [](const auto& info) { return info.param.name; });

TEST(RuleCatalogueTest, EveryRuleHasATrippingCaseAndIdsAreUnique) {
  std::set<std::string> tripped;
  for (const Case& c : Cases()) tripped.insert(c.rule);
  std::set<std::string> ids;
  for (const Rule& rule : AllRules()) {
    EXPECT_TRUE(ids.insert(std::string(rule.id)).second) << rule.id;
    EXPECT_TRUE(tripped.count(std::string(rule.id))) << rule.id;
    EXPECT_FALSE(rule.title.empty());
  }
  EXPECT_EQ(ids, tripped);
}

TEST(ValidatorTest, ReportsEveryFindingFatalFirstThenInFieldOrder) {
  v1::UnitBudget budget = OfficeBudget();
  budget.set_fiscal_year(1999);                              // E001
  Exp(budget, 3).set_function_code("2159999");               // E011 warning
  Exp(budget, 3).set_nature(kPersonnel);                     // E031
  Exp(budget, 0).set_dept_economic_code("3010");             // E012
  budget.mutable_projects(2)->clear_name();                  // E042
  budget.mutable_income(0)->set_amount_fen(18'537'400'000);  // E050, E051
  EXPECT_THAT(
      Describe(Validate(budget, {})),
      ElementsAre(
          "BGT-E001 SEVERITY_FATAL fiscal_year given=1999 expected=2000-2100",
          "BGT-E050 SEVERITY_FATAL income given=185416000.00 yuan "
          "expected=185417000.00 yuan",
          "BGT-E051 SEVERITY_FATAL income given=一般公共预算 income "
          "185374000.00 yuan expected=一般公共预算 expenditure 185375000.00 "
          "yuan",
          "BGT-E012 SEVERITY_FATAL expenditures[0].dept_economic_code "
          "given=3010 expected=5 digits: a 部门预算经济分类 款 such as 30101",
          "BGT-E031 SEVERITY_FATAL expenditures[3].nature "
          "given=EXPENDITURE_NATURE_BASIC_PERSONNEL on 31002 expected=301xx "
          "or 303xx (302xx by local practice)",
          "BGT-E042 SEVERITY_FATAL projects[2].name given= expected=the "
          "project name as published",
          "BGT-E011 SEVERITY_WARNING expenditures[3].function_code "
          "given=2159999 expected=a code of the 2023 edition of "
          "政府收支分类科目 held by this service"));
}

TEST(ValidatorTest, AListOverItsLimitIsTheOnlyFinding) {
  v1::UnitBudget budget = OfficeBudget();
  for (int i = 0; i < 200'000; ++i) budget.add_expenditures();
  EXPECT_THAT(Describe(Validate(budget, {})),
              ElementsAre("BGT-E090 SEVERITY_FATAL expenditures given=200008 "
                          "elements expected=at most 50000"));
}

TEST(ValidatorTest, KeepsTheFirstFindingsAndCountsTheRestPerRule) {
  v1::UnitBudget budget = OfficeBudget();
  for (int i = 0; i < 5'000; ++i) budget.add_expenditures();
  const v1::ValidationReport report = Validate(budget, {});
  ASSERT_EQ(report.violations_size(), kMaxFindingsKept);
  EXPECT_TRUE(HasFatal(report));
  int64_t omitted = 0;
  for (const v1::OmittedFindings& o : report.omitted()) {
    EXPECT_FALSE(o.rule_id().empty());
    EXPECT_GT(o.count(), 0);
    omitted += o.count();
  }
  // Each empty line breaks at least E006, E010, E012, E014 and E030.
  EXPECT_GE(kMaxFindingsKept + omitted, 5 * 5'000);

  const v1::ValidationReport window = ReportWindow(report, 10, 3);
  ASSERT_EQ(window.violations_size(), 3);
  EXPECT_EQ(window.violations(0).field_path(),
            report.violations(10).field_path());
  int64_t window_omitted = 0;
  for (const v1::OmittedFindings& o : window.omitted()) {
    window_omitted += o.count();
  }
  EXPECT_EQ(window_omitted, omitted + kMaxFindingsKept - 3);
}

TEST(ValidatorTest, WarningsAloneDoNotBlock) {
  v1::UnitBudget budget = OfficeBudget();
  Exp(budget, 0).set_function_code("2159999");
  const v1::ValidationReport report = Validate(budget, {});
  ASSERT_EQ(report.violations_size(), 1);
  EXPECT_FALSE(HasFatal(report));
}

TEST(ValidatorTest, OfflineSkipsRegistryRules) {
  v1::UnitBudget budget = OfficeBudget();
  budget.set_unit_code("099001");                 // Not registered.
  Exp(budget, 0).set_gov_economic_code("50501");  // Kind unknown.
  budget.mutable_overall_goal()->set_scope_code("099");
  Options offline;
  offline.with_registry = false;
  EXPECT_THAT(Describe(Validate(budget, offline)), IsEmpty());
}

// Moves OfficeBudget's expenditure `index` from 财政拨款 to its 其他收入,
// the income with it, as a subsidy is paid (BGT-E063).
void PayFromOtherIncome(v1::UnitBudget& office, int index) {
  const int64_t fen = Exp(office, index).amount_fen();
  Exp(office, index).set_funding_source(kOther);
  office.mutable_income(0)->set_amount_fen(office.income(0).amount_fen() - fen);
  office.mutable_income(1)->set_amount_fen(office.income(1).amount_fen() + fen);
}

// 机构运转经费 is stated by 行政 and 参公 units; an institution's is
// flagged however small, an office's only above its 公用经费.
TEST(ValidatorTest, OperatingFundsOfAnInstitutionAreFlagged) {
  v1::UnitBudget institution = InstitutionBudget();
  institution.mutable_other()->set_institution_operating_fen(100);
  EXPECT_THAT(Describe(Validate(institution, {})),
              ElementsAre("BGT-E081 SEVERITY_WARNING "
                          "other.institution_operating_fen given=1.00 "
                          "expected=0.00 yuan"));
  v1::UnitBudget office = OfficeBudget();
  office.mutable_other()->set_institution_operating_fen(100);
  EXPECT_THAT(Describe(Validate(office, {})), IsEmpty());
}

// A source number outside the enumeration (proto JSON accepts 99) is
// BGT-E006, and no other finding names it with an empty name.
TEST(ValidatorTest, AnUndefinedSourceIsReportedOnce) {
  v1::UnitBudget office = OfficeBudget();
  office.mutable_income(1)->set_source(static_cast<v1::FundingSource>(99));
  std::vector<std::string> found = Describe(Validate(office, {}));
  EXPECT_THAT(found, Contains(HasSubstr("BGT-E006 SEVERITY_FATAL income[1]")));
  EXPECT_THAT(found, Not(Contains(HasSubstr("given= income"))));
}

// Sums that disagree name how far apart they are, so that a budget of
// billions need not be subtracted by hand (probe 10).
TEST(ValidatorTest, BalanceFindingsNameTheDifference) {
  v1::UnitBudget office = OfficeBudget();
  office.mutable_income(1)->set_amount_fen(office.income(1).amount_fen() + 1);
  std::vector<std::string> messages;
  const v1::ValidationReport report = Validate(office, {});
  for (const v1::Violation& v : report.violations()) {
    messages.push_back(absl::StrCat(v.rule_id(), " ", v.message()));
  }
  EXPECT_THAT(messages,
              Contains(AllOf(HasSubstr("BGT-E050"),
                             HasSubstr("income is over by 0.01 yuan"))));
}

TEST(ValidatorTest, LegitimateTransfersPass) {
  // Both paid from the office's 其他收入 (BGT-E063, E064).
  v1::UnitBudget office = OfficeBudget();
  PayFromOtherIncome(office, 6);
  Exp(office, 6).set_transfer_kind(v1::TRANSFER_KIND_REMITTANCE_TO_SUPERIOR);
  Exp(office, 6).set_counterpart_unit("021");
  EXPECT_THAT(Describe(Validate(office, {})), IsEmpty());

  // The 机关 (主管) registered beside its institution, as departments are.
  Exp(office, 6).set_transfer_kind(v1::TRANSFER_KIND_SUBSIDY_TO_SUBORDINATE);
  Exp(office, 6).set_counterpart_unit("021017");
  EXPECT_THAT(Describe(Validate(office, {})), IsEmpty());

  for (const char* superior : {"021", "021001"}) {
    v1::UnitBudget institution = InstitutionBudget();
    v1::IncomeLine* subsidy = institution.mutable_income(0);
    subsidy->set_source(v1::FUNDING_SOURCE_SUBSIDY_FROM_SUPERIOR);
    subsidy->set_counterpart_unit(superior);
    for (auto& line : *institution.mutable_expenditures()) {
      line.set_funding_source(v1::FUNDING_SOURCE_SUBSIDY_FROM_SUPERIOR);
    }
    EXPECT_THAT(Describe(Validate(institution, {})), IsEmpty()) << superior;
  }
}

TEST(ValidatorTest, OfficePassesAnInstitutionSubsidyOnAs505) {
  // A 机关 passing 对事业单位经常性补助 on to its 事业单位 books it as such,
  // paid from its own income (其他收入), never from 财政拨款 (BGT-E063).
  v1::UnitBudget office = OfficeBudget();
  PayFromOtherIncome(office, 2);
  Exp(office, 2).set_gov_economic_code("50502");
  Exp(office, 2).set_transfer_kind(v1::TRANSFER_KIND_SUBSIDY_TO_SUBORDINATE);
  Exp(office, 2).set_counterpart_unit("021017");
  EXPECT_THAT(Describe(Validate(office, {})), IsEmpty());
  Exp(office, 2).clear_transfer_kind();
  Exp(office, 2).clear_counterpart_unit();
  EXPECT_THAT(
      Describe(Validate(office, {})),
      ElementsAre(::testing::StartsWith(
          "BGT-E020 SEVERITY_FATAL expenditures[2].gov_economic_code")));
}

TEST(ValidatorTest, CivilServiceInstitutionBooksLikeAnOffice) {
  // 中小企业服务中心 (参公) books 31299↔50799 on 2150805 and salaries on
  // 50101, as tables 03 and 07 show.
  v1::UnitBudget budget = OfficeBudget();
  budget.set_unit_code("021014");
  Exp(budget, 5).set_function_code("2150805");
  Exp(budget, 5).set_dept_economic_code("31299");
  Exp(budget, 5).set_gov_economic_code("50799");
  EXPECT_THAT(Describe(Validate(budget, {})), IsEmpty());
}

TEST(ValidatorTest, TransportSubsidyPassesAsPersonnelOrPublic) {
  // 30239 其他交通费用 is a 302 商品和服务支出 款 (公用经费 in most
  // departments); the reference books it under 人员经费. Both are real.
  for (v1::UnitBudget budget : {OfficeBudget(), InstitutionBudget()}) {
    ASSERT_EQ(Exp(budget, 1).dept_economic_code(), "30239");
    for (const auto nature : {kPersonnel, kPublic}) {
      Exp(budget, 1).set_nature(nature);
      EXPECT_THAT(Describe(Validate(budget, {})), IsEmpty())
          << budget.unit_code() << " " << nature;
    }
  }
}

TEST(ValidatorTest, PairExpectationNamesOnlyCounterpartsOfTheUnitsKind) {
  // 31002 办公设备购置 pairs with 50306 (机关) and 50601 (事业单位).
  v1::UnitBudget office = OfficeBudget();
  Exp(office, 3).set_gov_economic_code("50201");
  v1::UnitBudget institution = InstitutionBudget();
  Exp(institution, 2).set_gov_economic_code("50502");
  Options offline;
  offline.with_registry = false;
  EXPECT_THAT(Describe(Validate(office, {})),
              ElementsAre("BGT-E021 SEVERITY_FATAL "
                          "expenditures[3].gov_economic_code given=50201 "
                          "expected=50306"));
  EXPECT_THAT(Describe(Validate(institution, {})),
              ElementsAre("BGT-E021 SEVERITY_FATAL "
                          "expenditures[2].gov_economic_code given=50502 "
                          "expected=50601"));
  EXPECT_THAT(Describe(Validate(office, offline)),
              ElementsAre("BGT-E021 SEVERITY_FATAL "
                          "expenditures[3].gov_economic_code given=50201 "
                          "expected=50306 or 50601"));
}

TEST(ValidatorTest, OfficialCarPurchaseOnItsCounterpartForEachKind) {
  // 31013 公务用车购置: 50303 for 机关 and 参公, 50601 for 事业单位.
  v1::UnitBudget office = OfficeBudget();
  Exp(office, 3).set_dept_economic_code("31013");
  Exp(office, 3).set_gov_economic_code("50303");
  EXPECT_THAT(Describe(Validate(office, {})), IsEmpty());
  Exp(office, 3).set_gov_economic_code("50306");
  EXPECT_THAT(Describe(Validate(office, {})),
              ElementsAre("BGT-E021 SEVERITY_FATAL "
                          "expenditures[3].gov_economic_code given=50306 "
                          "expected=50303"));
  v1::UnitBudget institution = InstitutionBudget();
  Exp(institution, 2).set_dept_economic_code("31013");
  EXPECT_THAT(Describe(Validate(institution, {})), IsEmpty());
}

TEST(ValidatorTest, CarryOverAndGeneralBudgetBalanceAsOneFund) {
  // Last year's 一般公共预算 money spent this year: the 财政拨款收支总表
  // balances the fund, this year's and carried over together; the lines
  // say which of them they spend.
  v1::UnitBudget budget = OfficeBudget();
  budget.mutable_income(0)->set_amount_fen(18'537'500'000 - 116'300'000);
  AddIncome(budget, v1::FUNDING_SOURCE_CARRYOVER_GENERAL_PUBLIC_BUDGET,
            116'300'000);
  v1::ExpenditureLine& carried = Exp(budget, 5);
  ASSERT_GT(carried.amount_fen(), 116'300'000);
  carried.set_amount_fen(carried.amount_fen() - 116'300'000);
  v1::ExpenditureLine* spent = budget.add_expenditures();
  *spent = carried;
  spent->set_funding_source(v1::FUNDING_SOURCE_CARRYOVER_GENERAL_PUBLIC_BUDGET);
  spent->set_amount_fen(116'300'000);
  EXPECT_THAT(Describe(Validate(budget, {})), IsEmpty());
}

TEST(ValidatorTest, CarryOverSpentOnThisYearsLinesIsAWarning) {
  // The fund balances, so nothing is fatal; but tables 04 and 05 would
  // show the 1,163,000.00 carried over as this year's money.
  v1::UnitBudget budget = OfficeBudget();
  budget.mutable_income(0)->set_amount_fen(18'537'500'000 - 116'300'000);
  AddIncome(budget, v1::FUNDING_SOURCE_CARRYOVER_GENERAL_PUBLIC_BUDGET,
            116'300'000);
  const auto report = Validate(budget, {});
  ASSERT_EQ(report.violations_size(), 1);
  EXPECT_EQ(report.violations(0).rule_id(), "BGT-E053");
  EXPECT_EQ(report.violations(0).severity(), v1::SEVERITY_WARNING);
  EXPECT_EQ(
      report.violations(0).given(),
      "一般公共预算 上年结转 spent on lines labelled 上年结转: 0.00 yuan");
  EXPECT_EQ(report.violations(0).expected(),
            "the 上年结转 income, 1163000.00 yuan");
}

TEST(ValidatorTest, ModestGrowthOnPriorYearIsQuiet) {
  // The reference grew 12.5% on 2023.
  Options setup;
  setup.prior_year = OfficeBudget();
  Exp(*setup.prior_year, 5).set_amount_fen(11'000'000'000);
  EXPECT_THAT(Describe(Validate(OfficeBudget(), setup)), IsEmpty());
}

}  // namespace
}  // namespace budget
