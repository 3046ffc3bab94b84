#include "absl/strings/str_cat.h"
#include "budget/consolidation/unit_tree.h"
#include "budget/money.h"
#include "budget/validation/checks.h"
#include "budget/validation/validator.h"

namespace budget {
namespace {

using Other = v1::OtherDisclosures;

FieldPath OtherPath(int field, absl::string_view name) {
  return {absl::StrCat("other.", name),
          {v1::UnitBudget::kOtherFieldNumber, -1, field}};
}

void CheckFigure(int64_t value, bool money, int field, absl::string_view name,
                 Findings* findings) {
  if (value >= 0) return;
  findings->Add(rules::kNegativeOtherFigure, OtherPath(field, name),
                money ? FormatYuan(value) : absl::StrCat(value),
                money ? "0 or more (yuan)" : "0 or more",
                "Funds, purchases, vehicles and devices are never negative.");
}

// The stated figures against the lines they describe (warnings: the
// figures are the unit's own statement, and provinces count them with
// small differences). 机构运转经费 is the part of a 行政 or 参公 unit's
// 基本支出 公用经费 that keeps it running (财政部 名词解释 of 机构运转经费,
// formerly 机关运行经费), so it cannot exceed that 公用经费 and a 事业单位
// states none; 政府采购 buys with the budget's own money, so it cannot
// exceed the expenditure.
void CheckStatedAgainstLines(const v1::UnitBudget& budget,
                             const ValidationContext& context,
                             Findings* findings) {
  const Other& other = budget.other();
  MoneySum public_funds;
  MoneySum spent;
  for (const v1::ExpenditureLine& line : budget.expenditures()) {
    spent.Add(line.amount_fen());
    if (line.nature() == v1::EXPENDITURE_NATURE_BASIC_PUBLIC) {
      public_funds.Add(line.amount_fen());
    }
  }
  // Overflowing sums are BGT-E005's: nothing to bound the statements by.
  if (!spent.ok() || !public_funds.ok()) return;
  const FieldPath operating = OtherPath(
      Other::kInstitutionOperatingFenFieldNumber, "institution_operating_fen");
  const v1::Unit* unit = RegisteredUnit(budget, context);
  if (other.institution_operating_fen() > 0 && unit != nullptr &&
      unit->kind() == v1::UNIT_KIND_INSTITUTION) {
    findings->Add(rules::kOperatingFundsBeyondDefinition, operating,
                  FormatYuan(other.institution_operating_fen()), "0.00 yuan",
                  absl::StrCat(unit->name(),
                               " is a 事业单位; 机构运转经费 is stated by 行政 "
                               "and 参公 units only."));
  } else if (other.institution_operating_fen() > public_funds.value()) {
    findings->Add(rules::kOperatingFundsBeyondDefinition, operating,
                  FormatYuan(other.institution_operating_fen()),
                  absl::StrCat("at most ", FormatYuan(public_funds.value()),
                               " yuan (the BASIC_PUBLIC lines)"),
                  "机构运转经费 is part of the 基本支出 公用经费.");
  }
  MoneySum procurement;
  for (int64_t part :
       {other.procurement_goods_fen(), other.procurement_works_fen(),
        other.procurement_services_fen()}) {
    if (part > 0) procurement.Add(part);  // A negative one is BGT-E092's.
  }
  if (!procurement.ok() || procurement.value() > spent.value()) {
    findings->Add(
        rules::kProcurementBeyondSpending,
        OtherPath(Other::kProcurementGoodsFenFieldNumber, "procurement_*_fen"),
        procurement.ok() ? FormatYuan(procurement.value())
                         : std::string("more than int64 fen"),
        absl::StrCat("at most ", FormatYuan(spent.value()),
                     " yuan (the expenditure)"),
        "政府采购 (goods, works and services together) is paid from the "
        "budget's expenditure.");
  }
}

}  // namespace

void CheckOtherDisclosures(const v1::UnitBudget& budget,
                           const ValidationContext& context,
                           Findings* findings) {
  CheckStatedAgainstLines(budget, context, findings);
  const Other& other = budget.other();
  CheckFigure(other.institution_operating_fen(), true,
              Other::kInstitutionOperatingFenFieldNumber,
              "institution_operating_fen", findings);
  CheckFigure(other.procurement_goods_fen(), true,
              Other::kProcurementGoodsFenFieldNumber, "procurement_goods_fen",
              findings);
  CheckFigure(other.procurement_works_fen(), true,
              Other::kProcurementWorksFenFieldNumber, "procurement_works_fen",
              findings);
  CheckFigure(other.procurement_services_fen(), true,
              Other::kProcurementServicesFenFieldNumber,
              "procurement_services_fen", findings);
  CheckFigure(other.general_vehicles(), false,
              Other::kGeneralVehiclesFieldNumber, "general_vehicles", findings);
  CheckFigure(other.other_vehicles(), false, Other::kOtherVehiclesFieldNumber,
              "other_vehicles", findings);
  CheckFigure(other.general_devices_over_500k(), false,
              Other::kGeneralDevicesOver500KFieldNumber,
              "general_devices_over_500k", findings);
  CheckFigure(other.special_devices_over_1m(), false,
              Other::kSpecialDevicesOver1MFieldNumber,
              "special_devices_over_1m", findings);
}

}  // namespace budget
