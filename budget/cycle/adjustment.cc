#include "budget/cycle/adjustment.h"

#include <algorithm>
#include <map>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "budget/cycle/cycle_rules.h"
#include "budget/money.h"

namespace budget {
namespace {

using namespace cycle_rules;  // NOLINT: the rules this file checks.

bool SameLine(const v1::ExpenditureLine& line, const v1::ExpenditureDelta& d) {
  return line.transfer_kind() == v1::TRANSFER_KIND_UNSPECIFIED &&
         line.function_code() == d.function_code() &&
         line.dept_economic_code() == d.dept_economic_code() &&
         line.gov_economic_code() == d.gov_economic_code() &&
         line.funding_source() == d.funding_source() &&
         line.nature() == d.nature() && line.project_code() == d.project_code();
}

bool SameLine(const v1::IncomeLine& line, const v1::IncomeDelta& d) {
  return line.source() == d.source() &&
         line.counterpart_unit() == d.counterpart_unit();
}

v1::ExpenditureLine NewLine(const v1::ExpenditureDelta& d) {
  v1::ExpenditureLine line;
  line.set_function_code(d.function_code());
  line.set_dept_economic_code(d.dept_economic_code());
  line.set_gov_economic_code(d.gov_economic_code());
  line.set_funding_source(d.funding_source());
  line.set_nature(d.nature());
  line.set_project_code(d.project_code());
  return line;
}

v1::IncomeLine NewLine(const v1::IncomeDelta& d) {
  v1::IncomeLine line;
  line.set_source(d.source());
  line.set_counterpart_unit(d.counterpart_unit());
  return line;
}

// Adds `delta` to the lines of `lines` that `same` matches: a positive
// delta to the first (appending `make()` when none), a negative one taken
// from them in order. FAILED_PRECONDITION naming what the lines hold when
// they hold less than -delta.
template <typename Line, typename Same, typename Make>
absl::Status AddToLines(google::protobuf::RepeatedPtrField<Line>& lines,
                        int64_t delta, Same same, Make make) {
  if (delta >= 0) {
    for (Line& line : lines) {
      if (!same(line)) continue;
      absl::StatusOr<int64_t> sum = CheckedAdd(line.amount_fen(), delta);
      if (!sum.ok()) return sum.status();
      line.set_amount_fen(*sum);
      return absl::OkStatus();
    }
    Line* added = lines.Add();
    *added = make();
    added->set_amount_fen(delta);
    return absl::OkStatus();
  }
  MoneySum held;
  for (const Line& line : lines) {
    if (same(line)) held.Add(line.amount_fen());
  }
  if (!held.ok()) return held.status();
  if (held.value() < -delta) {
    return absl::FailedPreconditionError(
        absl::StrCat(FormatYuan(held.value() + delta)));
  }
  int64_t left = -delta;
  for (Line& line : lines) {
    if (left == 0) break;
    if (!same(line)) continue;
    int64_t taken = std::min(left, line.amount_fen());
    line.set_amount_fen(line.amount_fen() - taken);
    left -= taken;
  }
  return absl::OkStatus();
}

absl::Status ApplyExpenditure(const v1::ExpenditureDelta& d,
                              v1::UnitBudget& budget) {
  return AddToLines(
      *budget.mutable_expenditures(), d.delta_fen(),
      [&](const v1::ExpenditureLine& line) { return SameLine(line, d); },
      [&] { return NewLine(d); });
}

absl::Status ApplyIncome(const v1::IncomeDelta& d, v1::UnitBudget& budget) {
  return AddToLines(
      *budget.mutable_income(), d.delta_fen(),
      [&](const v1::IncomeLine& line) { return SameLine(line, d); },
      [&] { return NewLine(d); });
}

bool Digits(absl::string_view code, size_t length) {
  return code.size() == length &&
         std::all_of(code.begin(), code.end(), absl::ascii_isdigit);
}

bool Declares(const v1::UnitBudget& budget, absl::string_view project) {
  return std::any_of(budget.projects().begin(), budget.projects().end(),
                     [&](const v1::Project& p) { return p.code() == project; });
}

// What is malformed in an expenditure delta against the unit's budget, or
// "" (BGT-E116).
std::string ExpenditureDeltaProblem(const v1::ExpenditureDelta& d,
                                    const v1::UnitBudget* base) {
  if (d.delta_fen() == 0) return "a non-zero delta";
  if (!Digits(d.function_code(), 7)) return "a 7-digit function_code";
  if (!Digits(d.dept_economic_code(), 5)) return "a 5-digit dept_economic_code";
  if (!Digits(d.gov_economic_code(), 5)) return "a 5-digit gov_economic_code";
  if (d.funding_source() == v1::FUNDING_SOURCE_UNSPECIFIED ||
      !v1::FundingSource_IsValid(d.funding_source())) {
    return "a defined funding_source";
  }
  if (d.nature() == v1::EXPENDITURE_NATURE_UNSPECIFIED ||
      !v1::ExpenditureNature_IsValid(d.nature())) {
    return "a defined nature";
  }
  if (d.nature() == v1::EXPENDITURE_NATURE_PROJECT && base != nullptr &&
      !Declares(*base, d.project_code())) {
    return "a project the unit's approved budget declares";
  }
  return "";
}

struct Totals {
  MoneySum income;
  MoneySum expenditure;
};

}  // namespace

std::vector<std::string> AdjustedUnits(const v1::Adjustment& adjustment) {
  std::vector<std::string> units;
  auto note = [&](const std::string& unit) {
    if (std::find(units.begin(), units.end(), unit) == units.end()) {
      units.push_back(unit);
    }
  };
  for (const v1::IncomeDelta& d : adjustment.income()) note(d.unit_code());
  for (const v1::ExpenditureDelta& d : adjustment.expenditures()) {
    note(d.unit_code());
  }
  return units;
}

std::vector<v1::Violation> CheckAdjustment(const v1::Adjustment& adjustment,
                                           const UnitTree& tree,
                                           CurrentBudget current) {
  std::vector<v1::Violation> found;
  auto header = [&](absl::string_view field, bool missing,
                    absl::string_view given, absl::string_view expected) {
    if (missing) {
      found.push_back(
          CycleViolation(kAdjustmentHeader, field, given, expected,
                         absl::StrCat("an adjustment needs ", expected)));
    }
  };
  bool kind_set = adjustment.kind() != v1::ADJUSTMENT_KIND_UNSPECIFIED &&
                  v1::AdjustmentKind_IsValid(adjustment.kind());
  header("kind", !kind_set, absl::StrCat(adjustment.kind()),
         "INCREASE (追加), DECREASE (追减) or TRANSFER (调剂)");
  header("reason", adjustment.reason().empty(), "", "a reason (调整事由)");
  header("document_number", adjustment.document_number().empty(), "",
         "a document number (文号)");
  header("expenditures",
         adjustment.expenditures_size() + adjustment.income_size() == 0, "0",
         "at least one delta");
  bool node_known = tree.Find(adjustment.node_code()) != nullptr;
  if (!node_known) {
    found.push_back(CycleViolation(kAdjustmentOutsideNode, "node_code",
                                   adjustment.node_code(), "a registered node",
                                   "the adjustment's node is not registered"));
  }

  // The budgets as changed so far, per unit; units that cannot be changed
  // are left out, their findings reported once.
  std::map<std::string, v1::UnitBudget> changed;
  std::map<std::string, bool> usable;
  auto unit_usable = [&](const std::string& unit, const std::string& path) {
    auto [it, first] = usable.emplace(unit, false);
    if (!first) return it->second;
    const v1::Unit* registered = tree.Find(unit);
    if (registered == nullptr ||
        (node_known && !tree.IsWithin(unit, adjustment.node_code()))) {
      found.push_back(
          CycleViolation(kAdjustmentOutsideNode, path, unit,
                         absl::StrCat("a unit under ", adjustment.node_code()),
                         "money stays within one department's subtree"));
      return false;
    }
    const v1::UnitBudget* base = current(unit);
    if (base == nullptr) {
      found.push_back(CycleViolation(
          kAdjustmentNotApproved, path, unit, "a unit with an approved budget",
          absl::StrCat("only approved budgets are adjusted; ", unit,
                       " has none for ", adjustment.fiscal_year())));
      return false;
    }
    changed.emplace(unit, *base);
    it->second = true;
    return true;
  };

  MoneySum net;
  for (int i = 0; i < adjustment.income_size(); ++i) {
    const v1::IncomeDelta& d = adjustment.income(i);
    std::string path = absl::StrCat("income[", i, "]");
    if (!unit_usable(d.unit_code(), path + ".unit_code")) continue;
    if (d.delta_fen() == 0 || d.source() == v1::FUNDING_SOURCE_UNSPECIFIED ||
        !v1::FundingSource_IsValid(d.source())) {
      found.push_back(CycleViolation(
          kAdjustmentDelta, path, FormatYuan(d.delta_fen()),
          "a non-zero delta of a defined source", "the delta is malformed"));
      continue;
    }
    if (absl::Status s = ApplyIncome(d, changed[d.unit_code()]); !s.ok()) {
      found.push_back(CycleViolation(kAdjustmentNegative, path + ".delta_fen",
                                     s.message(), ">= 0",
                                     "the income line would become negative"));
    }
  }
  for (int i = 0; i < adjustment.expenditures_size(); ++i) {
    const v1::ExpenditureDelta& d = adjustment.expenditures(i);
    std::string path = absl::StrCat("expenditures[", i, "]");
    if (!unit_usable(d.unit_code(), path + ".unit_code")) continue;
    v1::UnitBudget& budget = changed[d.unit_code()];
    if (std::string problem = ExpenditureDeltaProblem(d, &budget);
        !problem.empty()) {
      found.push_back(CycleViolation(kAdjustmentDelta, path,
                                     FormatYuan(d.delta_fen()), problem,
                                     "the delta is malformed"));
      continue;
    }
    net.Add(d.delta_fen());
    if (absl::Status s = ApplyExpenditure(d, budget); !s.ok()) {
      found.push_back(
          CycleViolation(kAdjustmentNegative, path + ".delta_fen", s.message(),
                         ">= 0", "the expenditure line would become negative"));
    }
  }
  for (const auto& [unit, budget] : changed) {
    Totals totals;
    for (const v1::IncomeLine& line : budget.income()) {
      totals.income.Add(line.amount_fen());
    }
    for (const v1::ExpenditureLine& line : budget.expenditures()) {
      totals.expenditure.Add(line.amount_fen());
    }
    if (totals.income.value() != totals.expenditure.value() ||
        !totals.income.ok() || !totals.expenditure.ok()) {
      found.push_back(CycleViolation(
          kAdjustmentUnbalanced, absl::StrCat("units[", unit, "]"),
          absl::StrCat("income ", FormatYuan(totals.income.value()),
                       ", expenditure ",
                       FormatYuan(totals.expenditure.value())),
          "income = expenditure",
          "after the adjustment the unit's income and expenditure differ"));
    }
  }
  if (kind_set && net.ok()) {
    bool fits =
        adjustment.kind() == v1::ADJUSTMENT_KIND_INCREASE   ? net.value() > 0
        : adjustment.kind() == v1::ADJUSTMENT_KIND_DECREASE ? net.value() < 0
                                                            : net.value() == 0;
    if (!fits) {
      found.push_back(CycleViolation(
          kAdjustmentKind, "expenditures", FormatYuan(net.value()),
          adjustment.kind() == v1::ADJUSTMENT_KIND_INCREASE   ? "> 0"
          : adjustment.kind() == v1::ADJUSTMENT_KIND_DECREASE ? "< 0"
                                                              : "0",
          "the expenditure deltas add up to a total that does not fit the "
          "kind"));
    }
  }
  return found;
}

absl::Status ApplyAdjustment(const v1::Adjustment& adjustment,
                             v1::UnitBudget& budget) {
  for (const v1::IncomeDelta& d : adjustment.income()) {
    if (d.unit_code() != budget.unit_code()) continue;
    if (absl::Status s = ApplyIncome(d, budget); !s.ok()) return s;
  }
  for (const v1::ExpenditureDelta& d : adjustment.expenditures()) {
    if (d.unit_code() != budget.unit_code()) continue;
    if (absl::Status s = ApplyExpenditure(d, budget); !s.ok()) return s;
  }
  return absl::OkStatus();
}

absl::StatusOr<v1::UnitBudget> AdjustedBudget(
    const v1::UnitBudget& approved,
    absl::Span<const v1::Adjustment* const> adjustments) {
  v1::UnitBudget adjusted = approved;
  for (const v1::Adjustment* adjustment : adjustments) {
    if (absl::Status s = ApplyAdjustment(*adjustment, adjusted); !s.ok()) {
      return s;
    }
  }
  return adjusted;
}

}  // namespace budget
