// The catalogue of validation rules: each has a stable id (ids never change
// meaning and are never reused), a severity and a one-line title. The same
// list, with the reasoning, is in docs/validation-rules.md.
//
// Constant data; thread-safe.
#ifndef BUDGET_VALIDATION_RULES_H_
#define BUDGET_VALIDATION_RULES_H_

#include <vector>

#include "absl/strings/string_view.h"
#include "budget/v1/budget.pb.h"

namespace budget {

struct Rule {
  absl::string_view id;
  v1::Severity severity;
  // A warning that becomes fatal when ValidationContext::strict is set
  // (well-formed codes missing from the catalogs, the pairs that cannot be
  // checked because of them, transfers with no registered counterpart).
  bool fatal_when_strict;
  absl::string_view title;
};

namespace rules {

inline constexpr Rule kFiscalYear = {"BGT-E001", v1::SEVERITY_FATAL, false,
                                     "fiscal_year outside 2000-2100"};
inline constexpr Rule kUnitUnknown = {
    "BGT-E002", v1::SEVERITY_FATAL, false,
    "unit_code missing or not in the registry"};
inline constexpr Rule kUnitIsGroup = {
    "BGT-E003", v1::SEVERITY_FATAL, false,
    "unit_code names a GROUP node, which submits no budget"};
inline constexpr Rule kNegativeAmount = {"BGT-E004", v1::SEVERITY_FATAL, false,
                                         "amount is negative"};
inline constexpr Rule kOverflow = {"BGT-E005", v1::SEVERITY_FATAL, false,
                                   "amounts sum beyond int64 fen"};
inline constexpr Rule kFundingSourceMissing = {"BGT-E006", v1::SEVERITY_FATAL,
                                               false, "funding source not set"};
inline constexpr Rule kFunctionFormat = {
    "BGT-E010", v1::SEVERITY_FATAL, false,
    "function_code is not a 7-digit 支出功能分类 项"};
inline constexpr Rule kFunctionUnknown = {
    "BGT-E011", v1::SEVERITY_WARNING, true, "function_code not in the catalog"};
inline constexpr Rule kDeptEconomicFormat = {
    "BGT-E012", v1::SEVERITY_FATAL, false,
    "dept_economic_code is not a 5-digit 部门预算经济分类 款"};
inline constexpr Rule kDeptEconomicUnknown = {
    "BGT-E013", v1::SEVERITY_WARNING, true,
    "dept_economic_code not in the catalog"};
inline constexpr Rule kGovEconomicFormat = {
    "BGT-E014", v1::SEVERITY_FATAL, false,
    "gov_economic_code is not a 5-digit 政府预算经济分类 款"};
inline constexpr Rule kGovEconomicUnknown = {
    "BGT-E015", v1::SEVERITY_WARNING, true,
    "gov_economic_code not in the catalog"};
// A code listed in the edition before the budget's year but not in the
// edition of its year (data/catalog/ since/until): retired, not unknown.
inline constexpr Rule kFunctionRetired = {
    "BGT-E016", v1::SEVERITY_WARNING, true,
    "function_code retired in the catalog edition of the fiscal year"};
inline constexpr Rule kDeptEconomicRetired = {
    "BGT-E017", v1::SEVERITY_WARNING, true,
    "dept_economic_code retired in the catalog edition of the fiscal year"};
inline constexpr Rule kGovEconomicRetired = {
    "BGT-E018", v1::SEVERITY_WARNING, true,
    "gov_economic_code retired in the catalog edition of the fiscal year"};
inline constexpr Rule kGovEconomicKind = {
    "BGT-E020", v1::SEVERITY_FATAL, false,
    "gov_economic_code does not fit the unit's kind"};
inline constexpr Rule kEconomicPair = {
    "BGT-E021", v1::SEVERITY_FATAL, false,
    "economic codes are not a pair of the crosswalk"};
inline constexpr Rule kEconomicPairUnlisted = {
    "BGT-E022", v1::SEVERITY_WARNING, true,
    "pair not in catalog: a code of the pair is not catalogued, or the "
    "crosswalk lists no pair for the dept code"};
inline constexpr Rule kFunctionOfAnotherBudget = {
    "BGT-E023", v1::SEVERITY_WARNING, true,
    "function_code is of another budget's list than the fund that pays the "
    "line"};
inline constexpr Rule kNatureMissing = {"BGT-E030", v1::SEVERITY_FATAL, false,
                                        "nature not set"};
inline constexpr Rule kNatureEconomic = {
    "BGT-E031", v1::SEVERITY_FATAL, false,
    "basic expenditure on a dept economic 类 its nature never covers"};
inline constexpr Rule kBasicWithProject = {
    "BGT-E032", v1::SEVERITY_FATAL, false,
    "basic or 经营 expenditure line names a project declared as 项目支出"};
inline constexpr Rule kProjectUndeclared = {
    "BGT-E033", v1::SEVERITY_FATAL, false,
    "project line names no project declared in the budget"};
inline constexpr Rule kPersonnelOnGoodsAndServices = {
    "BGT-E034", v1::SEVERITY_WARNING, false,
    "人员经费 booked on a 302 商品和服务支出 款 (a local practice)"};
inline constexpr Rule kBasicWithOtherProjectCode = {
    "BGT-E035", v1::SEVERITY_WARNING, false,
    "basic or 经营 expenditure line carries an undeclared project code"};
inline constexpr Rule kOperatingInOffice = {
    "BGT-E036", v1::SEVERITY_FATAL, false,
    "a 行政单位 budgets 事业单位经营支出"};
inline constexpr Rule kOperatingNotFromOperatingIncome = {
    "BGT-E037", v1::SEVERITY_WARNING, false,
    "事业单位经营支出 paid by money other than 事业单位经营收入"};
inline constexpr Rule kProjectCodeFormat = {
    "BGT-E040", v1::SEVERITY_FATAL, false,
    "project code empty or not letters and digits"};
inline constexpr Rule kProjectCodeDuplicate = {
    "BGT-E041", v1::SEVERITY_FATAL, false, "project code declared twice"};
inline constexpr Rule kProjectNameMissing = {"BGT-E042", v1::SEVERITY_FATAL,
                                             false, "project name missing"};
inline constexpr Rule kProjectCategoryMissing = {
    "BGT-E043", v1::SEVERITY_FATAL, false, "project category not set"};
inline constexpr Rule kProjectUnused = {
    "BGT-E044", v1::SEVERITY_WARNING, false,
    "declared project has no expenditure line"};
inline constexpr Rule kProjectCodeUnusual = {
    "BGT-E045", v1::SEVERITY_WARNING, false,
    "project code is not the 21-digit 项目代码 form"};
inline constexpr Rule kIndicatorLevelUnknown = {
    "BGT-E046", v1::SEVERITY_WARNING, false,
    "a performance indicator's 一级指标 is not 成本, 产出, 效益 or 满意度指标"};
inline constexpr Rule kTotalsDiffer = {
    "BGT-E050", v1::SEVERITY_FATAL, false,
    "income total differs from expenditure total"};
inline constexpr Rule kSourceTotalsDiffer = {
    "BGT-E051", v1::SEVERITY_FATAL, false,
    "财政拨款 income of a fund differs from the expenditure it funds"};
inline constexpr Rule kFiscalYearPartsDiffer = {
    "BGT-E053", v1::SEVERITY_WARNING, false,
    "a 财政拨款 fund balances, but its 上年结转 is not spent on lines "
    "labelled 上年结转"};
inline constexpr Rule kUnitFundsSourceDiffer = {
    "BGT-E052", v1::SEVERITY_WARNING, false,
    "income of a non-财政拨款 source differs from the expenditure it funds"};
inline constexpr Rule kInstitutionIncomeInOffice = {
    "BGT-E054", v1::SEVERITY_FATAL, false,
    "a 行政单位 budgets 事业收入, 事业单位经营收入 or 用事业基金弥补收支差额"};
inline constexpr Rule kCounterpartMissing = {
    "BGT-E060", v1::SEVERITY_WARNING, true,
    "transfer names no registered counterpart unit"};
inline constexpr Rule kCounterpartUnexpected = {
    "BGT-E061", v1::SEVERITY_FATAL, false,
    "counterpart unit on a line that is not a transfer"};
inline constexpr Rule kCounterpartPosition = {
    "BGT-E062", v1::SEVERITY_FATAL, false,
    "transfer counterpart is the unit itself or on the side its kind "
    "excludes"};
inline constexpr Rule kSubsidyFromAppropriation = {
    "BGT-E063", v1::SEVERITY_FATAL, false,
    "对附属单位补助支出 paid with 财政拨款"};
inline constexpr Rule kRemittanceFromAppropriation = {
    "BGT-E064", v1::SEVERITY_WARNING, false, "上缴上级支出 paid with 财政拨款"};
inline constexpr Rule kGoalScope = {
    "BGT-E070", v1::SEVERITY_FATAL, false,
    "overall_goal.scope_code is not the unit or one of its ancestors"};
inline constexpr Rule kOperatingFundsBeyondDefinition = {
    "BGT-E081", v1::SEVERITY_WARNING, false,
    "stated 机构运转经费 exceeds the unit's 基本支出 公用经费, or is stated by "
    "a 事业单位"};
inline constexpr Rule kProcurementBeyondSpending = {
    "BGT-E082", v1::SEVERITY_WARNING, false,
    "stated 政府采购 exceeds the unit's expenditure"};
inline constexpr Rule kPriorYearSwing = {
    "BGT-E080", v1::SEVERITY_WARNING, false,
    "total or a function 类 moved by over 50% and over 1,000,000 yuan"};
// BGT-E090..E099: limits and hostile input (docs/limits.md).
inline constexpr Rule kListTooLong = {
    "BGT-E090", v1::SEVERITY_FATAL, false,
    "a list of the budget is longer than its limit"};
inline constexpr Rule kTextTooLong = {"BGT-E091", v1::SEVERITY_FATAL, false,
                                      "a text field is longer than its limit"};
inline constexpr Rule kTextControlCharacter = {
    "BGT-E094", v1::SEVERITY_FATAL, false,
    "a text field holds a control character"};
inline constexpr Rule kNegativeOtherFigure = {
    "BGT-E092", v1::SEVERITY_FATAL, false,
    "a stated figure of 其他重要事项 is negative"};
inline constexpr Rule kTransferKindUnknown = {
    "BGT-E093", v1::SEVERITY_FATAL, false,
    "transfer_kind is not a defined TransferKind"};

}  // namespace rules

// Every rule, in id order.
const std::vector<Rule>& AllRules();

}  // namespace budget

#endif  // BUDGET_VALIDATION_RULES_H_
