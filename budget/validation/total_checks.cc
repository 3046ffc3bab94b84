#include <map>
#include <set>
#include <string>

#include "absl/strings/str_cat.h"
#include "budget/catalog/catalog.h"
#include "budget/money.h"
#include "budget/validation/checks.h"

namespace budget {
namespace {

const FieldPath kIncomePath =
    FieldPath::Top(v1::UnitBudget::kIncomeFieldNumber, "income");
const FieldPath kExpendituresPath =
    FieldPath::Top(v1::UnitBudget::kExpendituresFieldNumber, "expenditures");

// A swing is worth a warning only when it is both relatively and absolutely
// large: small units double easily, large ones move millions routinely.
// Over 50% and over 1,000,000 yuan; the reference's 2024 change (+12.5%,
// 107 million yuan) stays quiet.
constexpr int64_t kSwingFloorFen = 1'000'000 * kFenPerYuan;

std::string Yuan(int64_t fen) { return absl::StrCat(FormatYuan(fen), " yuan"); }

// Expenditure sums of one budget: the total and each function 类.
struct Spending {
  MoneySum total;
  std::map<std::string, MoneySum> by_class;
};

Spending SumSpending(const v1::UnitBudget& budget) {
  Spending spending;
  for (const v1::ExpenditureLine& line : budget.expenditures()) {
    spending.total.Add(line.amount_fen());
    spending.by_class[line.function_code().substr(0, 3)].Add(line.amount_fen());
  }
  return spending;
}

void CheckSwing(const std::string& what, const MoneySum& now,
                const MoneySum& prior, Findings* findings) {
  if (!now.ok() || !prior.ok()) return;  // Overflow is reported elsewhere.
  absl::StatusOr<int64_t> change = CheckedSub(now.value(), prior.value());
  if (!change.ok()) return;
  const int64_t magnitude = *change < 0 ? -*change : *change;
  if (magnitude <= kSwingFloorFen || magnitude <= prior.value() / 2) return;
  findings->Add(rules::kPriorYearSwing, kExpendituresPath,
                absl::StrCat(what, ": ", Yuan(now.value())),
                absl::StrCat("within 50% or 1,000,000 yuan of the prior "
                             "year's ",
                             Yuan(prior.value())),
                absl::StrCat(what, " changed by ", Yuan(*change),
                             " against the prior year; check it is meant."));
}

// Sums by funding source.
using SourceSums = std::map<v1::FundingSource, MoneySum>;

// Every source named on either side, with the sums of both sides.
std::set<v1::FundingSource> SourcesOf(const SourceSums& income,
                                      const SourceSums& spent) {
  std::set<v1::FundingSource> sources;
  for (const auto& [source, sum] : income) sources.insert(source);
  for (const auto& [source, sum] : spent) sources.insert(source);
  return sources;
}

// Whether a 财政拨款 source is the fund's 上年结转.
bool IsFiscalCarryover(v1::FundingSource source) {
  return source == v1::FUNDING_SOURCE_CARRYOVER_GENERAL_PUBLIC_BUDGET ||
         source == v1::FUNDING_SOURCE_CARRYOVER_GOVERNMENT_FUND ||
         source == v1::FUNDING_SOURCE_CARRYOVER_STATE_CAPITAL;
}

// One 财政拨款 fund's sums: all of it, and its 上年结转 part.
struct FundSums {
  MoneySum all;
  MoneySum carried;
};

std::map<absl::string_view, FundSums> SumFiscalFunds(const SourceSums& sums) {
  std::map<absl::string_view, FundSums> funds;
  for (const auto& [source, sum] : sums) {
    const absl::string_view fund = FiscalFund(source);
    if (fund.empty() || !sum.ok()) continue;
    funds[fund].all.Add(sum.value());
    if (IsFiscalCarryover(source)) funds[fund].carried.Add(sum.value());
  }
  return funds;
}

// "; income is over by X yuan" (or under), so that a large budget's
// finding says how far apart the two sums are; "" if that overflows.
std::string DifferencePhrase(int64_t income, int64_t spent) {
  absl::StatusOr<int64_t> gap =
      income > spent ? CheckedSub(income, spent) : CheckedSub(spent, income);
  if (!gap.ok()) return "";
  return absl::StrCat("; income is ", income > spent ? "over" : "under", " by ",
                      Yuan(*gap));
}

// The table that shows a 财政拨款 fund's money of this year only.
absl::string_view FundTable(absl::string_view fund) {
  if (fund == "政府性基金预算") return "table 09";
  if (fund == "国有资本经营预算") return "table 10";
  return "table 05";
}

// 财政拨款 money balances by fund: appropriated money is spent as
// appropriated (fatal, BGT-E051). A fund that balances with its 上年结转
// spent on lines labelled as this year's money is a warning (BGT-E053):
// table 04 and the fund's own table would show the carried-over part as
// this year's.
void CheckFiscalFunds(const SourceSums& income_by_source,
                      const SourceSums& spent_by_source, Findings* findings) {
  std::map<absl::string_view, FundSums> in = SumFiscalFunds(income_by_source);
  std::map<absl::string_view, FundSums> out = SumFiscalFunds(spent_by_source);
  std::set<absl::string_view> funds;
  for (const auto& [fund, sum] : in) funds.insert(fund);
  for (const auto& [fund, sum] : out) funds.insert(fund);
  for (absl::string_view fund : funds) {
    const FundSums& i = in[fund];
    const FundSums& o = out[fund];
    if (!i.all.ok() || !o.all.ok() || !i.carried.ok() || !o.carried.ok()) {
      continue;  // Overflow is reported elsewhere.
    }
    if (i.all.value() != o.all.value()) {
      findings->Add(
          rules::kSourceTotalsDiffer, kIncomePath,
          absl::StrCat(fund, " income ", Yuan(i.all.value())),
          absl::StrCat(fund, " expenditure ", Yuan(o.all.value())),
          absl::StrCat(fund,
                       " money (this year's and carried over) must equal the "
                       "expenditure it funds",
                       DifferencePhrase(i.all.value(), o.all.value()), "."));
    } else if (i.carried.value() != o.carried.value()) {
      findings->Add(
          rules::kFiscalYearPartsDiffer, kExpendituresPath,
          absl::StrCat(fund, " 上年结转 spent on lines labelled 上年结转: ",
                       Yuan(o.carried.value())),
          absl::StrCat("the 上年结转 income, ", Yuan(i.carried.value())),
          absl::StrCat("Lines labelled as this year's ", fund,
                       " spend carried-over money (or the other way round); "
                       "label the carried-over part CARRYOVER_, so that "
                       "table 04 and the fund's own table (",
                       FundTable(fund), ") show this year's money apart."));
    }
  }
}

// The unit's own money may move between its sources (用事业基金弥补收支
// 差额, 单位资金 carried over), so a per-source difference is a warning
// (BGT-E052); the overall balance (BGT-E050) still holds.
void CheckUnitFundSources(const SourceSums& income_by_source,
                          const SourceSums& spent_by_source,
                          Findings* findings) {
  const MoneySum zero;
  for (v1::FundingSource source :
       SourcesOf(income_by_source, spent_by_source)) {
    // An undefined source is BGT-E006 already; it has no name to compare.
    if (!FiscalFund(source).empty() || !v1::FundingSource_IsValid(source) ||
        source == v1::FUNDING_SOURCE_UNSPECIFIED) {
      continue;
    }
    auto i = income_by_source.find(source);
    auto o = spent_by_source.find(source);
    const MoneySum& in = i == income_by_source.end() ? zero : i->second;
    const MoneySum& out = o == spent_by_source.end() ? zero : o->second;
    if (!in.ok() || !out.ok() || in.value() == out.value()) continue;
    absl::string_view name = Catalog::FundingSourceName(source);
    findings->Add(rules::kUnitFundsSourceDiffer, kIncomePath,
                  absl::StrCat(name, " income ", Yuan(in.value())),
                  absl::StrCat(name, " expenditure ", Yuan(out.value())),
                  absl::StrCat("Income from ", name,
                               " differs from the expenditure it funds",
                               DifferencePhrase(in.value(), out.value()),
                               "; check the sources are labelled as meant."));
  }
}

}  // namespace

void CheckTotals(const v1::UnitBudget& budget, Findings* findings) {
  MoneySum income;
  SourceSums income_by_source;
  for (const v1::IncomeLine& line : budget.income()) {
    income.Add(line.amount_fen());
    income_by_source[line.source()].Add(line.amount_fen());
  }
  MoneySum spent;
  SourceSums spent_by_source;
  for (const v1::ExpenditureLine& line : budget.expenditures()) {
    spent.Add(line.amount_fen());
    spent_by_source[line.funding_source()].Add(line.amount_fen());
  }
  const char kWithinInt64[] = "a sum within int64 fen";
  if (!income.ok()) {
    findings->Add(rules::kOverflow, kIncomePath,
                  absl::StrCat(budget.income_size(), " income lines"),
                  kWithinInt64, "The income lines do not add up in int64.");
  }
  if (!spent.ok()) {
    findings->Add(
        rules::kOverflow, kExpendituresPath,
        absl::StrCat(budget.expenditures_size(), " expenditure lines"),
        kWithinInt64, "The expenditure lines do not add up in int64.");
  }
  if (!income.ok() || !spent.ok()) return;
  if (income.value() != spent.value()) {
    findings->Add(
        rules::kTotalsDiffer, kIncomePath, Yuan(income.value()),
        Yuan(spent.value()),
        absl::StrCat("收入合计 must equal 支出合计",
                     DifferencePhrase(income.value(), spent.value()), "."));
  }
  CheckFiscalFunds(income_by_source, spent_by_source, findings);
  CheckUnitFundSources(income_by_source, spent_by_source, findings);
}

void CheckPriorYear(const v1::UnitBudget& budget,
                    const ValidationContext& context, Findings* findings) {
  if (context.prior_year == nullptr) return;
  Spending now = SumSpending(budget);
  Spending prior = SumSpending(*context.prior_year);
  CheckSwing("expenditure total", now.total, prior.total, findings);
  std::set<std::string> classes;
  for (const auto& [code, sum] : now.by_class) classes.insert(code);
  for (const auto& [code, sum] : prior.by_class) classes.insert(code);
  for (const std::string& code : classes) {
    const absl::string_view name =
        context.catalog->NameOf(CodeSystem::kFunction, code);
    CheckSwing(absl::StrCat("类 ", code, " ", name), now.by_class[code],
               prior.by_class[code], findings);
  }
}

// The unit's own money (财政专户, 事业收入, 经营收入, transfers, 其他收入,
// 事业基金, their carry-overs) belongs to no fund. The 财政拨款收支总表 of
// every 部门预算公开 document (财预〔2016〕143号 地方预决算公开操作规程, its
// templates) balances these three funds, 本年收入 plus 上年结转 against 支出.
absl::string_view FiscalFund(v1::FundingSource source) {
  switch (source) {
    case v1::FUNDING_SOURCE_GENERAL_PUBLIC_BUDGET:
    case v1::FUNDING_SOURCE_GENERAL_PUBLIC_BUDGET_OTHER:
    case v1::FUNDING_SOURCE_CARRYOVER_GENERAL_PUBLIC_BUDGET:
      return "一般公共预算";
    case v1::FUNDING_SOURCE_GOVERNMENT_FUND:
    case v1::FUNDING_SOURCE_CARRYOVER_GOVERNMENT_FUND:
      return "政府性基金预算";
    case v1::FUNDING_SOURCE_STATE_CAPITAL:
    case v1::FUNDING_SOURCE_CARRYOVER_STATE_CAPITAL:
      return "国有资本经营预算";
    default:
      return "";
  }
}

}  // namespace budget
