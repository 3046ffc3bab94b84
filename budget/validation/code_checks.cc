#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "budget/catalog/function_budget_list.h"
#include "budget/validation/checks.h"

namespace budget {
namespace {

using Line = v1::ExpenditureLine;

// One of the three codes of a line and how it is written.
struct CodeField {
  CodeSystem system;
  size_t length;
  int field_number;
  absl::string_view field_name;
  const Rule& format_rule;
  const Rule& unknown_rule;
  const Rule& retired_rule;
  absl::string_view form;  // What a well-formed code is, for `expected`.
};

const CodeField kFunction = {CodeSystem::kFunction,
                             7,
                             Line::kFunctionCodeFieldNumber,
                             "function_code",
                             rules::kFunctionFormat,
                             rules::kFunctionUnknown,
                             rules::kFunctionRetired,
                             "7 digits: a 支出功能分类 项 such as 2150501"};
const CodeField kDeptEconomic = {
    CodeSystem::kDeptEconomic,
    5,
    Line::kDeptEconomicCodeFieldNumber,
    "dept_economic_code",
    rules::kDeptEconomicFormat,
    rules::kDeptEconomicUnknown,
    rules::kDeptEconomicRetired,
    "5 digits: a 部门预算经济分类 款 such as 30101"};
const CodeField kGovEconomic = {
    CodeSystem::kGovEconomic,
    5,
    Line::kGovEconomicCodeFieldNumber,
    "gov_economic_code",
    rules::kGovEconomicFormat,
    rules::kGovEconomicUnknown,
    rules::kGovEconomicRetired,
    "5 digits: a 政府预算经济分类 款 such as 50101"};

// Paths are built only for findings: most lines have none, and a path is
// a string too long for the small-string buffer.
FieldPath CodePath(const CodeField& field, int index) {
  return FieldPath::Element(v1::UnitBudget::kExpendituresFieldNumber,
                            "expenditures", index, field.field_number,
                            field.field_name);
}

// What CheckCode found of a code.
enum class CodeState {
  kMalformed,
  kUnlisted,  // Well-formed, not in the budget year's edition.
  kListed,
};

CodeState CheckCode(const CodeField& field, int index, const std::string& code,
                    const Catalog& catalog, Findings* findings) {
  if (!IsDigitCode(code, field.length)) {
    findings->Add(field.format_rule, CodePath(field, index), code, field.form,
                  absl::StrCat(field.field_name, " is malformed."));
    return CodeState::kMalformed;
  }
  if (catalog.Find(field.system, code) != nullptr) return CodeState::kListed;
  const Catalog* previous = catalog.PreviousEdition();
  if (previous != nullptr && previous->Find(field.system, code) != nullptr) {
    findings->Add(
        field.retired_rule, CodePath(field, index), code,
        absl::StrCat("a code of the ", catalog.edition(), " edition"),
        absl::StrCat(field.field_name, " is listed in the ",
                     previous->edition(), " edition of 政府收支分类科目 but ",
                     "retired in the ", catalog.edition(), " edition."));
    return CodeState::kUnlisted;
  }
  // The edition is named: a budget of a year newer than every edition held
  // is checked against the newest one, which the reader should know.
  findings->Add(
      field.unknown_rule, CodePath(field, index), code,
      absl::StrCat("a code of the ", catalog.edition(),
                   " edition of 政府收支分类科目 held by this service"),
      absl::StrCat(
          field.field_name, " is well-formed but not in the ",
          catalog.edition(),
          " edition, the one this service checks the budget's year against "
          "(an operator adds editions with --catalog_dir)."));
  return CodeState::kUnlisted;
}

// A line paid by one of the three 财政拨款 funds books a function code of
// that fund's own list of 政府收支分类科目 (FunctionBudgetList); the unit's
// own money (事业收入 and the like) may pay for any.
void CheckFunctionBudgetList(int index, const Line& line, Findings* findings) {
  const absl::string_view fund = FiscalFund(line.funding_source());
  if (fund.empty()) return;
  const absl::string_view list = FunctionBudgetList(line.function_code());
  if (list.empty() || list == fund) return;
  findings->Add(
      rules::kFunctionOfAnotherBudget, CodePath(kFunction, index),
      line.function_code(),
      absl::StrCat("a code of the ", fund, "支出功能分类科目"),
      absl::StrCat("the line is paid by ", fund, " but function_code ",
                   line.function_code(), " is listed in the ", list,
                   "支出功能分类科目; check the code or the funding_source."));
}

// Which government economic 类 a unit of `kind` may book.
//
// The 政府预算支出经济分类 (政府收支分类科目, 财政部, each edition since
// 2018; 财预〔2017〕98号 支出经济分类科目改革试行方案) ties only two
// groups of classes to the kind of unit: 501-504 (机关工资福利 / 商品和服务 /
// 资本性支出) are spent by 机关 and 参照公务员法管理的事业单位, and 505-506
// (对事业单位经常性 / 资本性补助) carry what the government spends through
// the other 事业单位. Every other class classifies by recipient
// (enterprises 507/508, individuals 509, social-security funds 510, debt
// 511/512, transfers 513, reserves 514, other 599) and any unit books it:
// the reference's table 07 books 50701 费用补贴 (projects of the 行政
// office under 2150517), 50799 其他对企业补助 (the 参公 中小企业服务中心),
// and 509xx for the retirees of both 行政 and 事业 units.
bool FitsKind(absl::string_view gov_class, v1::UnitKind kind) {
  const bool office_class = gov_class >= "501" && gov_class <= "504";
  const bool institution_class = gov_class == "505" || gov_class == "506";
  switch (kind) {
    case v1::UNIT_KIND_ADMINISTRATIVE:
    case v1::UNIT_KIND_CIVIL_SERVICE_INSTITUTION:
      return !institution_class;
    case v1::UNIT_KIND_INSTITUTION:
      return !office_class;
    default:
      return true;  // GROUP and unset kinds are reported as such elsewhere.
  }
}

// 505/506 are what the government spends through 事业单位, so a 机关 that
// passes such money on to a 事业单位 below it (对附属单位补助支出) books
// them as well.
bool SubsidyPassedOn(const Line& line, absl::string_view gov_class) {
  return line.transfer_kind() == v1::TRANSFER_KIND_SUBSIDY_TO_SUBORDINATE &&
         (gov_class == "505" || gov_class == "506");
}

void CheckKind(int index, const Line& line, const v1::Unit& unit,
               Findings* findings) {
  const std::string& gov_code = line.gov_economic_code();
  const absl::string_view gov_class = absl::string_view(gov_code).substr(0, 3);
  if (FitsKind(gov_class, unit.kind()) || SubsidyPassedOn(line, gov_class)) {
    return;
  }
  const bool institution = unit.kind() == v1::UNIT_KIND_INSTITUTION;
  findings->Add(
      rules::kGovEconomicKind, CodePath(kGovEconomic, index), gov_code,
      institution ? "505xx/506xx or a class any unit books (507xx-514xx, 599xx)"
                  : "501xx-504xx or a class any unit books (507xx-514xx, "
                    "599xx)",
      absl::StrCat(unit.name(), " is ",
                   institution ? "a 事业单位, which books 505xx/506xx"
                               : "行政 or 参公, which books 501xx-504xx",
                   " instead."));
}

// Why a pair cannot be checked against the crosswalk, or "" when it can.
absl::string_view UncheckablePair(const std::string& dept_code,
                                  const std::string& gov_code,
                                  const Catalog& catalog) {
  if (catalog.Find(CodeSystem::kDeptEconomic, dept_code) == nullptr) {
    return "dept_economic_code is not catalogued";
  }
  if (catalog.Find(CodeSystem::kGovEconomic, gov_code) == nullptr) {
    return "gov_economic_code is not catalogued";
  }
  if (!catalog.HasCrosswalkFor(dept_code)) {
    return "the crosswalk has no pair for this dept_economic_code";
  }
  return "";
}

// The official counterparts of `dept_code` that a unit of `kind` books; all
// of them when the kind is unknown (offline).
std::string CounterpartsFor(const std::string& dept_code, const v1::Unit* unit,
                            const Catalog& catalog) {
  std::vector<std::string> fitting;
  const std::vector<std::string> all = catalog.GovCodesFor(dept_code);
  for (const std::string& gov : all) {
    if (unit == nullptr || FitsKind(gov.substr(0, 3), unit->kind())) {
      fitting.push_back(gov);
    }
  }
  if (!fitting.empty()) return absl::StrJoin(fitting, " or ");
  return absl::StrCat("none: the crosswalk pairs ", dept_code, " only with ",
                      absl::StrJoin(all, ", "), ", which ", unit->name(),
                      " does not book");
}

// Both codes are catalogued and the crosswalk covers the dept code, so a
// pair it does not list contradicts the official correspondence table.
void CheckPair(int index, const std::string& dept_code,
               const std::string& gov_code, const v1::Unit* unit,
               const Catalog& catalog, Findings* findings) {
  const absl::string_view gap = UncheckablePair(dept_code, gov_code, catalog);
  if (!gap.empty()) {
    findings->Add(rules::kEconomicPairUnlisted, CodePath(kGovEconomic, index),
                  absl::StrCat(dept_code, "/", gov_code),
                  "a pair listed in data/catalog/economic_crosswalk.csv",
                  absl::StrCat("Pair not in catalog: ", gap, "."));
    return;
  }
  if (catalog.IsKnownEconomicPair(dept_code, gov_code)) return;
  findings->Add(
      rules::kEconomicPair, CodePath(kGovEconomic, index), gov_code,
      CounterpartsFor(dept_code, unit, catalog),
      absl::StrCat("dept_economic_code ", dept_code, " is not booked on ",
                   gov_code, " in the 两套支出经济分类科目对照表."));
}

}  // namespace

void CheckExpenditureCodes(const v1::UnitBudget& budget,
                           const ValidationContext& context,
                           Findings* findings) {
  // Codes are those of the edition of the budget's own year.
  const Catalog& catalog = context.catalog->ForFiscalYear(budget.fiscal_year());
  const v1::Unit* unit = RegisteredUnit(budget, context);
  for (int i = 0; i < budget.expenditures_size(); ++i) {
    const Line& line = budget.expenditures(i);
    if (CheckCode(kFunction, i, line.function_code(), catalog, findings) ==
        CodeState::kListed) {
      CheckFunctionBudgetList(i, line, findings);
    }
    const CodeState dept = CheckCode(
        kDeptEconomic, i, line.dept_economic_code(), catalog, findings);
    const CodeState gov =
        CheckCode(kGovEconomic, i, line.gov_economic_code(), catalog, findings);
    if (gov != CodeState::kMalformed && unit != nullptr) {
      CheckKind(i, line, *unit, findings);
    }
    if (dept == CodeState::kMalformed || gov == CodeState::kMalformed) continue;
    // Most lines: both codes listed (CheckCode found them) and the pair in
    // the crosswalk; CheckPair would find both codes again to say why not.
    if (dept == CodeState::kListed && gov == CodeState::kListed &&
        catalog.IsKnownEconomicPair(line.dept_economic_code(),
                                    line.gov_economic_code())) {
      continue;
    }
    CheckPair(i, line.dept_economic_code(), line.gov_economic_code(), unit,
              catalog, findings);
  }
}

}  // namespace budget
