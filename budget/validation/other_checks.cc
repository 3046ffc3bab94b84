#include "absl/strings/str_cat.h"
#include "budget/money.h"
#include "budget/validation/checks.h"

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

}  // namespace

void CheckOtherDisclosures(const v1::UnitBudget& budget, Findings* findings) {
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
