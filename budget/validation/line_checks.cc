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

// A field of one line, whose FieldPath is built only for a finding: most
// lines have none, and a path is a string too long for the small-string
// buffer, five per line.
struct LineField {
  absl::string_view list;  // "income" or "expenditures".
  int list_number;
  int index;
  int field;
  absl::string_view name;

  FieldPath Path() const {
    return FieldPath::Element(list_number, list, index, field, name);
  }
};

LineField IncomePath(int index, int field, absl::string_view name) {
  return {"income", kIncome, index, field, name};
}
LineField ExpenditurePath(int index, int field, absl::string_view name) {
  return {"expenditures", kExpenditures, index, field, name};
}

void CheckAmount(int64_t amount, const LineField& at, Findings* findings) {
  if (amount >= 0) return;
  findings->Add(rules::kNegativeAmount, at.Path(), FormatYuan(amount),
                "0 or more (yuan)", "Amounts are never negative.");
}

void CheckSource(v1::FundingSource source, const LineField& at,
                 Findings* findings) {
  if (source != v1::FUNDING_SOURCE_UNSPECIFIED &&
      v1::FundingSource_IsValid(source)) {
    return;
  }
  findings->Add(rules::kFundingSourceMissing, at.Path(), absl::StrCat(source),
                "a FundingSource such as GENERAL_PUBLIC_BUDGET",
                "Every line says which money it is.");
}

// 行政单位财务规则 (财政部令第71号) 第十五条: a 行政单位's income is 财政拨款
// 收入 and 其他收入. 事业收入, 事业单位经营收入 and 用事业基金弥补收支差额 are
// 事业单位's by definition (the 名词解释 of every 部门预算公开: "指事业单位
// 开展专业业务活动..."), so a 行政 unit naming them is mis-registered or
// mislabelled its money. 参公 units are 事业单位 in law and are not checked.
void CheckSourceFitsOffice(v1::FundingSource source, const v1::Unit* unit,
                           const LineField& at, Findings* findings) {
  if (unit == nullptr || unit->kind() != v1::UNIT_KIND_ADMINISTRATIVE) return;
  if (source != v1::FUNDING_SOURCE_BUSINESS_INCOME &&
      source != v1::FUNDING_SOURCE_OPERATING_INCOME &&
      source != v1::FUNDING_SOURCE_INSTITUTION_FUND) {
    return;
  }
  findings->Add(
      rules::kInstitutionIncomeInOffice, at.Path(),
      v1::FundingSource_Name(source),
      "a source of a 行政单位: 财政拨款, 其他收入 or a carry-over",
      absl::StrCat(unit->name(),
                   " is registered as 行政; a 行政单位's income is 财政拨款 "
                   "and 其他收入 (行政单位财务规则 第十五条). Label the money "
                   "as 其他收入, or register the unit as a 事业单位 if it "
                   "is one."));
}

// Where the counterpart of a transfer sits relative to the unit.
enum class Side { kNone, kAbove, kBelow };

void CheckCounterpart(Side side, const std::string& counterpart,
                      const std::string& unit_code, const LineField& at,
                      const ValidationContext& context, Findings* findings) {
  if (side == Side::kNone) {
    if (!counterpart.empty()) {
      findings->Add(rules::kCounterpartUnexpected, at.Path(), counterpart,
                    "empty",
                    "Only transfers between units name a counterpart.");
    }
    return;
  }
  const absl::string_view where =
      side == Side::kAbove ? "a unit above " : "a unit below ";
  const UnitTree* registry = context.registry;
  // 上级补助收入 comes from the 主管部门 or a 上级单位, which may sit outside
  // the registry (a provincial 主管 of a county unit): such money counts as
  // received from outside and is never eliminated, so this is a warning.
  if (counterpart.empty() ||
      (registry != nullptr && registry->Find(counterpart) == nullptr)) {
    findings->Add(rules::kCounterpartMissing, at.Path(), counterpart,
                  absl::StrCat("the registry code of ", where, unit_code),
                  "Without a registered counterpart the transfer counts as "
                  "money from or to outside the registry, not eliminated.");
    return;
  }
  if (registry == nullptr || registry->Find(unit_code) == nullptr) return;
  // A department is often registered flat (its 机关, the 主管, beside its
  // institutions), so a sibling or cousin may be the 主管 or the 附属单位;
  // only the unit itself or a unit on the opposite side contradicts the
  // definitions.
  const bool opposite =
      counterpart == unit_code ||
      (side == Side::kAbove ? registry->IsWithin(counterpart, unit_code)
                            : registry->IsWithin(unit_code, counterpart));
  if (opposite) {
    findings->Add(rules::kCounterpartPosition, at.Path(), counterpart,
                  absl::StrCat("a unit other than ", unit_code, " and not ",
                               side == Side::kAbove ? "below" : "above", " it"),
                  side == Side::kAbove
                      ? "上级补助收入 / 上缴上级支出 go to or come from a "
                        "主管 or 上级单位, never the unit itself or one below "
                        "it."
                      : "对附属单位补助支出 / 附属单位上缴收入 go to or come "
                        "from a 附属单位, never the unit itself or one above "
                        "it.");
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

// 对附属单位补助 is paid from income other than 财政拨款: 事业单位会计准则
// (财政部令第72号) 第三十三条 defines 上级补助收入, its other side, as
// 非财政补助收入, and the 政府会计制度 科目 对附属单位补助费用 as paid from
// income other than 财政拨款. Appropriations reach each 预算单位 in its own
// budget, which is why the disclosure's 财政拨款 tables never follow money
// through a subsidy.
//
// A remittance (上缴上级) has no such definition, but remitted 财政拨款
// would leave the department's 财政拨款 income unspent in its tables (the
// superior spends it as 附属单位上缴收入): a warning.
void CheckTransferSource(const Expenditure& line, int index,
                         Findings* findings) {
  const bool subsidy =
      line.transfer_kind() == v1::TRANSFER_KIND_SUBSIDY_TO_SUBORDINATE;
  if ((!subsidy &&
       line.transfer_kind() != v1::TRANSFER_KIND_REMITTANCE_TO_SUPERIOR) ||
      FiscalFund(line.funding_source()).empty() ||
      line.funding_source() == v1::FUNDING_SOURCE_GENERAL_PUBLIC_BUDGET_OTHER) {
    return;
  }
  findings->Add(
      subsidy ? rules::kSubsidyFromAppropriation
              : rules::kRemittanceFromAppropriation,
      ExpenditurePath(index, Expenditure::kFundingSourceFieldNumber,
                      "funding_source")
          .Path(),
      v1::FundingSource_Name(line.funding_source()),
      "a source other than 财政拨款 (OTHER_INCOME, BUSINESS_INCOME, "
      "OPERATING_INCOME, FISCAL_SPECIAL_ACCOUNT, INSTITUTION_FUND, "
      "CARRYOVER_UNIT_FUNDS, ...)",
      subsidy
          ? "对附属单位补助 is paid from income other than 财政拨款 "
            "(上级补助收入 is 非财政补助收入, 事业单位会计准则 第三十三条). "
            "Appropriated money for the subordinate goes in its own "
            "budget as its 财政拨款 income."
          : "Remitted 财政拨款 is spent by the superior as 附属单位上缴收入, "
            "so the department's tables would show it as received and "
            "never spent (a 年终结转结余 in table 04).");
}

// 基本支出 is 人员经费 plus 公用经费 (财预〔2007〕37号 中央本级基本支出预算
// 管理办法; the 名词解释 of every 部门预算公开 document). In the 部门预算
// 支出经济分类, 人员经费 is 301 工资福利支出 and 303 对个人和家庭的补助, and
// 公用经费 is 302 商品和服务支出 and 310 资本性支出 (the 人员经费 / 公用经费
// columns of the 一般公共预算基本支出表 in the disclosure templates).
//
// Local practice moves some 302 款 into 人员经费: 30239 其他交通费用 (the
// 公务交通补贴 paid to staff since the 公务用车制度改革; the reference's table
// 06) most widely, 30228 工会经费 and 30229 福利费 in some provinces. So a
// personnel line on 302 is accepted: silently for 30239, booked either way
// in real budgets, and with a warning (BGT-E034) for the others.
constexpr absl::string_view kTransportSubsidy = "30239";

// How a basic line of `nature` fits its dept economic 类.
enum class NatureFit { kFits, kLocalPractice, kContradicts };

NatureFit FitOfNature(v1::ExpenditureNature nature,
                      const std::string& dept_code) {
  const absl::string_view cls = absl::string_view(dept_code).substr(0, 3);
  if (nature == v1::EXPENDITURE_NATURE_BASIC_PERSONNEL) {
    if (cls == "301" || cls == "303" || dept_code == kTransportSubsidy) {
      return NatureFit::kFits;
    }
    return cls == "302" ? NatureFit::kLocalPractice : NatureFit::kContradicts;
  }
  return cls == "302" || cls == "310" ? NatureFit::kFits
                                      : NatureFit::kContradicts;
}

absl::string_view ClassesOf(v1::ExpenditureNature nature) {
  return nature == v1::EXPENDITURE_NATURE_BASIC_PERSONNEL
             ? "301xx or 303xx (302xx by local practice)"
             : "302xx or 310xx";
}

void CheckBasicEconomic(int index, const Expenditure& line,
                        Findings* findings) {
  const v1::ExpenditureNature nature = line.nature();
  const NatureFit fit = FitOfNature(nature, line.dept_economic_code());
  if (fit == NatureFit::kFits) return;
  const bool contradicts = fit == NatureFit::kContradicts;
  findings->Add(
      contradicts ? rules::kNatureEconomic
                  : rules::kPersonnelOnGoodsAndServices,
      ExpenditurePath(index, Expenditure::kNatureFieldNumber, "nature").Path(),
      absl::StrCat(v1::ExpenditureNature_Name(nature), " on ",
                   line.dept_economic_code()),
      ClassesOf(nature),
      contradicts
          ? "基本支出 is 人员经费 (301 工资福利支出, 303 对个人和家庭的补助) "
            "or 公用经费 (302 商品和服务支出, 310 资本性支出)."
          : "302 商品和服务支出 is 公用经费 in the official definition; "
            "booked as 人员经费 by local practice.");
}

void CheckNature(int index, const Expenditure& line,
                 const absl::flat_hash_set<absl::string_view>& declared,
                 Findings* findings) {
  const v1::ExpenditureNature nature = line.nature();
  const LineField nature_path =
      ExpenditurePath(index, Expenditure::kNatureFieldNumber, "nature");
  const LineField project_path = ExpenditurePath(
      index, Expenditure::kProjectCodeFieldNumber, "project_code");
  if (nature == v1::EXPENDITURE_NATURE_PROJECT) {
    if (!declared.contains(line.project_code())) {
      findings->Add(rules::kProjectUndeclared, project_path.Path(),
                    line.project_code(),
                    "the code of a project in this budget's projects",
                    "A project line spends on a declared project.");
    }
    return;
  }
  if (!v1::ExpenditureNature_IsValid(nature) ||
      nature == v1::EXPENDITURE_NATURE_UNSPECIFIED) {
    findings->Add(rules::kNatureMissing, nature_path.Path(),
                  absl::StrCat(nature),
                  "BASIC_PERSONNEL, BASIC_PUBLIC, PROJECT or OPERATING",
                  "Every line is basic-personnel, basic-public, project or "
                  "事业单位经营支出.");
    return;
  }
  // 经营支出 is spent on the unit's business, of whatever economic class
  // (salaries of its staff, goods, equipment): only 基本支出 has classes
  // it never covers.
  if (nature != v1::EXPENDITURE_NATURE_OPERATING &&
      IsDigitCode(line.dept_economic_code(), 5)) {
    CheckBasicEconomic(index, line, findings);
  }
  if (line.project_code().empty()) return;
  // Under 预算管理一体化 basic spending is also kept as 人员类 / 公用经费
  // projects of the 项目库, so a basic line may carry such a code; only a
  // project this budget declares (其他运转类 or 特定目标类, i.e. 项目支出)
  // contradicts the line's nature. 经营支出 is neither 基本支出 nor 项目支出
  // and is treated alike: spent on a declared project it would be 项目支出.
  if (declared.contains(line.project_code())) {
    findings->Add(rules::kBasicWithProject, project_path.Path(),
                  line.project_code(),
                  "empty, or a 人员类/公用经费 project code not declared here",
                  "The project is declared as 项目支出; basic and 经营 "
                  "expenditure is not spent on it.");
  } else {
    findings->Add(rules::kBasicWithOtherProjectCode, project_path.Path(),
                  line.project_code(), "empty",
                  "Kept for reference; basic and 经营 lines count by nature, "
                  "not by project.");
  }
}

// 事业单位经营支出 is "事业单位在专业业务活动及其辅助活动之外开展非独立核算
// 经营活动发生的支出" (the 名词解释 of every 部门预算公开): a 事业单位's by
// definition, as the 经营收入 that pays it (BGT-E054). 参公 units are
// 事业单位 in law and may have 经营收入 (E054 leaves them alone), so they
// may spend it as such; only units registered 行政 are refused.
void CheckOperating(int index, const Expenditure& line, const v1::Unit* unit,
                    Findings* findings) {
  if (line.nature() != v1::EXPENDITURE_NATURE_OPERATING) return;
  if (unit != nullptr && unit->kind() == v1::UNIT_KIND_ADMINISTRATIVE) {
    findings->Add(
        rules::kOperatingInOffice,
        ExpenditurePath(index, Expenditure::kNatureFieldNumber, "nature")
            .Path(),
        "OPERATING", "BASIC_PERSONNEL, BASIC_PUBLIC or PROJECT",
        absl::StrCat(unit->name(),
                     " is registered as 行政; 事业单位经营支出 is a 事业单位's "
                     "spending on its business. Book the line as 基本支出 or "
                     "项目支出, or register the unit as a 事业单位 if it is "
                     "one."));
  }
  // 事业单位财务规则 asks that 经营支出 be matched to 经营收入 (配比); no
  // definition forbids other money, so this is only a warning.
  if (line.funding_source() != v1::FUNDING_SOURCE_OPERATING_INCOME &&
      line.funding_source() != v1::FUNDING_SOURCE_UNSPECIFIED) {
    findings->Add(
        rules::kOperatingNotFromOperatingIncome,
        ExpenditurePath(index, Expenditure::kFundingSourceFieldNumber,
                        "funding_source")
            .Path(),
        v1::FundingSource_Name(line.funding_source()), "OPERATING_INCOME",
        "经营支出 is matched to the 经营收入 that pays it (事业单位财务规则: "
        "配比); other money spent on the unit's business is reported.");
  }
}

}  // namespace

void CheckLines(const v1::UnitBudget& budget, const ValidationContext& context,
                Findings* findings) {
  const v1::Unit* unit = RegisteredUnit(budget, context);
  for (int i = 0; i < budget.income_size(); ++i) {
    const Income& line = budget.income(i);
    const LineField source_field =
        IncomePath(i, Income::kSourceFieldNumber, "source");
    CheckSource(line.source(), source_field, findings);
    CheckSourceFitsOffice(line.source(), unit, source_field, findings);
    CheckAmount(line.amount_fen(),
                IncomePath(i, Income::kAmountFenFieldNumber, "amount_fen"),
                findings);
    CheckCounterpart(
        IncomeSide(line.source()), line.counterpart_unit(), budget.unit_code(),
        IncomePath(i, Income::kCounterpartUnitFieldNumber, "counterpart_unit"),
        context, findings);
  }
  // Views into `budget`, which outlives the set.
  absl::flat_hash_set<absl::string_view> declared;
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
    CheckOperating(i, line, unit, findings);
    CheckAmount(
        line.amount_fen(),
        ExpenditurePath(i, Expenditure::kAmountFenFieldNumber, "amount_fen"),
        findings);
    if (!v1::TransferKind_IsValid(line.transfer_kind())) {
      findings->Add(rules::kTransferKindUnknown,
                    ExpenditurePath(i, Expenditure::kTransferKindFieldNumber,
                                    "transfer_kind")
                        .Path(),
                    absl::StrCat(line.transfer_kind()),
                    "UNSPECIFIED, SUBSIDY_TO_SUBORDINATE or "
                    "REMITTANCE_TO_SUPERIOR",
                    "A transfer is paid to a subordinate or remitted to a "
                    "superior; no other kind exists.");
    }
    CheckTransferSource(line, i, findings);
    CheckCounterpart(
        TransferSide(line.transfer_kind()), line.counterpart_unit(),
        budget.unit_code(),
        ExpenditurePath(i, Expenditure::kCounterpartUnitFieldNumber,
                        "counterpart_unit"),
        context, findings);
  }
}

}  // namespace budget
