#include "budget/validation/rules.h"

namespace budget {

const std::vector<Rule>& AllRules() {
  using namespace rules;  // NOLINT: the list below is the namespace itself.
  static const auto* all =
      new std::vector<Rule>{kFiscalYear,
                            kUnitUnknown,
                            kUnitIsGroup,
                            kNegativeAmount,
                            kOverflow,
                            kFundingSourceMissing,
                            kFunctionFormat,
                            kFunctionUnknown,
                            kDeptEconomicFormat,
                            kDeptEconomicUnknown,
                            kGovEconomicFormat,
                            kGovEconomicUnknown,
                            kFunctionRetired,
                            kDeptEconomicRetired,
                            kGovEconomicRetired,
                            kGovEconomicKind,
                            kEconomicPair,
                            kEconomicPairUnlisted,
                            kFunctionOfAnotherBudget,
                            kNatureMissing,
                            kNatureEconomic,
                            kBasicWithProject,
                            kProjectUndeclared,
                            kPersonnelOnGoodsAndServices,
                            kBasicWithOtherProjectCode,
                            kOperatingInOffice,
                            kOperatingNotFromOperatingIncome,
                            kProjectCodeFormat,
                            kProjectCodeDuplicate,
                            kProjectNameMissing,
                            kProjectCategoryMissing,
                            kProjectUnused,
                            kProjectCodeUnusual,
                            kIndicatorLevelUnknown,
                            kTotalsDiffer,
                            kSourceTotalsDiffer,
                            kFiscalYearPartsDiffer,
                            kUnitFundsSourceDiffer,
                            kInstitutionIncomeInOffice,
                            kCounterpartMissing,
                            kCounterpartUnexpected,
                            kCounterpartPosition,
                            kSubsidyFromAppropriation,
                            kRemittanceFromAppropriation,
                            kGoalScope,
                            kOperatingFundsBeyondDefinition,
                            kProcurementBeyondSpending,
                            kPriorYearSwing,
                            kListTooLong,
                            kTextTooLong,
                            kTextControlCharacter,
                            kNegativeOtherFigure,
                            kTransferKindUnknown};
  return *all;
}

}  // namespace budget
