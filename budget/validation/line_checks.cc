#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "budget/money.h"
#include "budget/validation/checks.h"

namespace budget {
namespace {

using Expenditure = v1::ExpenditureLine;
using Income = v1::IncomeLine;

constexpr int kIncome = v1::UnitBudget::kIncomeFieldNumber;
constexpr int kExpenditures = v1::UnitBudget::kExpendituresFieldNumber;

FieldPath IncomePath(int index, int field, absl::string_view name) {
  return FieldPath::Element(kIncome, "income", index, field, name);
}
FieldPath ExpenditurePath(int index, int field, absl::string_view name) {
  return FieldPath::Element(kExpenditures, "expenditures", index, field, name);
}

void CheckAmount(int64_t amount, const FieldPath& path, Findings* findings) {
  if (amount >= 0) return;
  findings->Add(rules::kNegativeAmount, path, FormatYuan(amount),
                "0 or more (yuan)", "Amounts are never negative.");
}

void CheckSource(v1::FundingSource source, const FieldPath& path,
                 Findings* findings) {
  if (source != v1::FUNDING_SOURCE_UNSPECIFIED &&
      v1::FundingSource_IsValid(source)) {
    return;
  }
  findings->Add(rules::kFundingSourceMissing, path, absl::StrCat(source),
                "a FundingSource such as GENERAL_PUBLIC_BUDGET",
                "Every line says which money it is.");
}

// Where the counterpart of a transfer sits relative to the unit.
enum class Side { kNone, kAbove, kBelow };

void CheckCounterpart(Side side, const std::string& counterpart,
                      const std::string& unit_code, const FieldPath& path,
                      const ValidationContext& context, Findings* findings) {
  if (side == Side::kNone) {
    if (!counterpart.empty()) {
      findings->Add(rules::kCounterpartUnexpected, path, counterpart, "empty",
                    "Only transfers between units name a counterpart.");
    }
    return;
  }
  const absl::string_view where =
      side == Side::kAbove ? "a unit above " : "a unit below ";
  const UnitTree* registry = context.registry;
  if (counterpart.empty() ||
      (registry != nullptr && registry->Find(counterpart) == nullptr)) {
    findings->Add(rules::kCounterpartMissing, path, counterpart,
                  absl::StrCat("the registry code of ", where, unit_code),
                  "A transfer names the registered unit on its other side.");
    return;
  }
  if (registry == nullptr || registry->Find(unit_code) == nullptr) return;
  const bool placed =
      counterpart != unit_code &&
      (side == Side::kAbove ? registry->IsWithin(unit_code, counterpart)
                            : registry->IsWithin(counterpart, unit_code));
  if (!placed) {
    findings->Add(rules::kCounterpartPosition, path, counterpart,
                  absl::StrCat(where, unit_code),
                  "The counterpart is on the wrong side of the unit tree.");
  }
}

Side IncomeSide(v1::FundingSource source) {
  switch (source) {
    case v1::FUNDING_SOURCE_SUBSIDY_FROM_SUPERIOR:
      return Side::kAbove;
    case v1::FUNDING_SOURCE_REMITTANCE_FROM_SUBORDINATE:
      return Side::kBelow;
    default:
      return Side::kNone;
  }
}

Side TransferSide(v1::TransferKind kind) {
  switch (kind) {
    case v1::TRANSFER_KIND_SUBSIDY_TO_SUBORDINATE:
      return Side::kBelow;
    case v1::TRANSFER_KIND_REMITTANCE_TO_SUPERIOR:
      return Side::kAbove;
    default:
      return Side::kNone;
  }
}

// The reference books 30239 其他交通费用 under 人员经费 (table 06), so it
// counts as personnel although it sits in class 302.
constexpr absl::string_view kPersonnelTransport = "30239";

// What a basic line of `nature` may be coded as; "" when `dept_code` fits.
absl::string_view NatureMismatch(v1::ExpenditureNature nature,
                                 const std::string& dept_code) {
  const absl::string_view cls = absl::string_view(dept_code).substr(0, 3);
  if (nature == v1::EXPENDITURE_NATURE_BASIC_PERSONNEL) {
    const bool fits =
        cls == "301" || cls == "303" || dept_code == kPersonnelTransport;
    return fits ? "" : "301xx, 303xx or 30239";
  }
  const bool fits =
      (cls == "302" && dept_code != kPersonnelTransport) || cls == "310";
  return fits ? "" : "302xx (except 30239) or 310xx";
}

void CheckNature(int index, const Expenditure& line,
                 const absl::flat_hash_set<std::string>& declared,
                 Findings* findings) {
  const v1::ExpenditureNature nature = line.nature();
  const FieldPath nature_path =
      ExpenditurePath(index, Expenditure::kNatureFieldNumber, "nature");
  const FieldPath project_path = ExpenditurePath(
      index, Expenditure::kProjectCodeFieldNumber, "project_code");
  if (nature == v1::EXPENDITURE_NATURE_PROJECT) {
    if (!declared.contains(line.project_code())) {
      findings->Add(rules::kProjectUndeclared, project_path,
                    line.project_code(),
                    "the code of a project in this budget's projects",
                    "A project line spends on a declared project.");
    }
    return;
  }
  if (!v1::ExpenditureNature_IsValid(nature) ||
      nature == v1::EXPENDITURE_NATURE_UNSPECIFIED) {
    findings->Add(rules::kNatureMissing, nature_path, absl::StrCat(nature),
                  "BASIC_PERSONNEL, BASIC_PUBLIC or PROJECT",
                  "Every line is basic-personnel, basic-public or project.");
    return;
  }
  if (IsDigitCode(line.dept_economic_code(), 5)) {
    const absl::string_view expected =
        NatureMismatch(nature, line.dept_economic_code());
    if (!expected.empty()) {
      findings->Add(rules::kNatureEconomic, nature_path,
                    absl::StrCat(v1::ExpenditureNature_Name(nature), " on ",
                                 line.dept_economic_code()),
                    expected,
                    "Basic expenditure is personnel (工资福利, 对个人和家庭的"
                    "补助) or public funds (商品和服务, 资本性).");
    }
  }
  if (!line.project_code().empty()) {
    findings->Add(rules::kBasicWithProject, project_path, line.project_code(),
                  "empty", "Basic expenditure belongs to no project.");
  }
}

}  // namespace

void CheckLines(const v1::UnitBudget& budget, const ValidationContext& context,
                Findings* findings) {
  for (int i = 0; i < budget.income_size(); ++i) {
    const Income& line = budget.income(i);
    CheckSource(line.source(),
                IncomePath(i, Income::kSourceFieldNumber, "source"), findings);
    CheckAmount(line.amount_fen(),
                IncomePath(i, Income::kAmountFenFieldNumber, "amount_fen"),
                findings);
    CheckCounterpart(
        IncomeSide(line.source()), line.counterpart_unit(), budget.unit_code(),
        IncomePath(i, Income::kCounterpartUnitFieldNumber, "counterpart_unit"),
        context, findings);
  }
  absl::flat_hash_set<std::string> declared;
  for (const v1::Project& project : budget.projects()) {
    if (!project.code().empty()) declared.insert(project.code());
  }
  for (int i = 0; i < budget.expenditures_size(); ++i) {
    const Expenditure& line = budget.expenditures(i);
    CheckSource(line.funding_source(),
                ExpenditurePath(i, Expenditure::kFundingSourceFieldNumber,
                                "funding_source"),
                findings);
    CheckNature(i, line, declared, findings);
    CheckAmount(
        line.amount_fen(),
        ExpenditurePath(i, Expenditure::kAmountFenFieldNumber, "amount_fen"),
        findings);
    if (!v1::TransferKind_IsValid(line.transfer_kind())) {
      findings->Add(rules::kTransferKindUnknown,
                    ExpenditurePath(i, Expenditure::kTransferKindFieldNumber,
                                    "transfer_kind"),
                    absl::StrCat(line.transfer_kind()),
                    "UNSPECIFIED, SUBSIDY_TO_SUBORDINATE or "
                    "REMITTANCE_TO_SUPERIOR",
                    "A transfer is paid to a subordinate or remitted to a "
                    "superior; no other kind exists.");
    }
    CheckCounterpart(
        TransferSide(line.transfer_kind()), line.counterpart_unit(),
        budget.unit_code(),
        ExpenditurePath(i, Expenditure::kCounterpartUnitFieldNumber,
                        "counterpart_unit"),
        context, findings);
  }
}

}  // namespace budget
