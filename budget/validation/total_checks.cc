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

}  // namespace

void CheckTotals(const v1::UnitBudget& budget, Findings* findings) {
  MoneySum income;
  std::map<v1::FundingSource, MoneySum> income_by_source;
  for (const v1::IncomeLine& line : budget.income()) {
    income.Add(line.amount_fen());
    income_by_source[line.source()].Add(line.amount_fen());
  }
  MoneySum spent;
  std::map<v1::FundingSource, MoneySum> spent_by_source;
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
    findings->Add(rules::kTotalsDiffer, kIncomePath, Yuan(income.value()),
                  Yuan(spent.value()), "收入合计 must equal 支出合计.");
  }
  std::map<v1::FundingSource, MoneySum> sources = income_by_source;
  sources.insert(spent_by_source.begin(), spent_by_source.end());
  for (const auto& [source, unused] : sources) {
    const MoneySum& in = income_by_source[source];
    const MoneySum& out = spent_by_source[source];
    if (!in.ok() || !out.ok() || in.value() == out.value()) continue;
    absl::string_view name = Catalog::FundingSourceName(source);
    findings->Add(rules::kSourceTotalsDiffer, kIncomePath,
                  absl::StrCat(name, " income ", Yuan(in.value())),
                  absl::StrCat(name, " expenditure ", Yuan(out.value())),
                  absl::StrCat("Income from ", name,
                               " must equal the expenditure it funds."));
  }
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

}  // namespace budget
