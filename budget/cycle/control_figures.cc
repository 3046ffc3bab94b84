#include "budget/cycle/control_figures.h"

#include <limits>
#include <set>

#include "absl/strings/str_cat.h"
#include "budget/cycle/cycle_rules.h"
#include "budget/money.h"

namespace budget {
namespace {

using cycle_rules::kControlMalformed;

bool Matches(const v1::ExpenditureLine& line, const v1::ControlAmount& amount) {
  switch (amount.bucket_case()) {
    case v1::ControlAmount::kFundingSource:
      return line.funding_source() == amount.funding_source();
    case v1::ControlAmount::kNature:
      return line.nature() == amount.nature();
    case v1::ControlAmount::kProjectCode:
      return line.nature() == v1::EXPENDITURE_NATURE_PROJECT &&
             line.project_code() == amount.project_code();
    case v1::ControlAmount::BUCKET_NOT_SET:
      return false;
  }
  return false;
}

// Why the bucket cannot be used, or "".
std::string BucketProblem(const v1::ControlAmount& amount) {
  switch (amount.bucket_case()) {
    case v1::ControlAmount::kFundingSource:
      return amount.funding_source() == v1::FUNDING_SOURCE_UNSPECIFIED ||
                     !v1::FundingSource_IsValid(amount.funding_source())
                 ? "a defined funding source"
                 : "";
    case v1::ControlAmount::kNature:
      return amount.nature() == v1::EXPENDITURE_NATURE_UNSPECIFIED ||
                     !v1::ExpenditureNature_IsValid(amount.nature())
                 ? "a defined nature"
                 : "";
    case v1::ControlAmount::kProjectCode:
      return amount.project_code().empty() ? "a project code" : "";
    case v1::ControlAmount::BUCKET_NOT_SET:
      return "funding_source, nature or project_code";
  }
  return "";
}

}  // namespace

std::string BucketName(const v1::ControlAmount& amount) {
  switch (amount.bucket_case()) {
    case v1::ControlAmount::kFundingSource: {
      std::string name = v1::FundingSource_Name(amount.funding_source());
      return absl::StrCat("funding_source ",
                          name.substr(std::string("FUNDING_SOURCE_").size()));
    }
    case v1::ControlAmount::kNature: {
      std::string name = v1::ExpenditureNature_Name(amount.nature());
      return absl::StrCat(
          "nature", name.empty() ? "" : " ",
          name.substr(std::string("EXPENDITURE_NATURE_").size()));
    }
    case v1::ControlAmount::kProjectCode:
      return absl::StrCat("project ", amount.project_code());
    case v1::ControlAmount::BUCKET_NOT_SET:
      return "(no bucket)";
  }
  return "";
}

std::vector<v1::Violation> CheckControlFigures(
    const v1::ControlFigures& figures, const UnitTree& tree) {
  std::vector<v1::Violation> found;
  const v1::Unit* unit = tree.Find(figures.unit_code());
  if (unit == nullptr || unit->kind() == v1::UNIT_KIND_GROUP) {
    found.push_back(CycleViolation(
        kControlMalformed, "unit_code", figures.unit_code(),
        "a registered budget unit (not a GROUP node)",
        "control figures are issued to a registered budget unit"));
  }
  std::set<std::string> seen;
  for (int i = 0; i < figures.amounts_size(); ++i) {
    const v1::ControlAmount& amount = figures.amounts(i);
    std::string path = absl::StrCat("amounts[", i, "]");
    if (std::string problem = BucketProblem(amount); !problem.empty()) {
      found.push_back(CycleViolation(kControlMalformed, path,
                                     BucketName(amount), problem,
                                     "the bucket is not set"));
    } else if (!seen.insert(BucketName(amount)).second) {
      found.push_back(CycleViolation(kControlMalformed, path,
                                     BucketName(amount), "each bucket once",
                                     "the bucket is listed twice"));
    }
    if (amount.amount_fen() < 0) {
      found.push_back(CycleViolation(kControlMalformed,
                                     absl::StrCat(path, ".amount_fen"),
                                     FormatYuan(amount.amount_fen()), ">= 0",
                                     "a control figure is never negative"));
    }
  }
  return found;
}

int64_t SpentIn(const v1::UnitBudget& budget, const v1::ControlAmount& amount) {
  MoneySum sum;
  for (const v1::ExpenditureLine& line : budget.expenditures()) {
    if (Matches(line, amount)) sum.Add(line.amount_fen());
  }
  return sum.ok() ? sum.value() : std::numeric_limits<int64_t>::max();
}

std::vector<v1::Violation> CheckWithinControl(
    const v1::UnitBudget& budget, const v1::ControlFigures& figures) {
  std::vector<v1::Violation> found;
  for (int i = 0; i < figures.amounts_size(); ++i) {
    const v1::ControlAmount& amount = figures.amounts(i);
    int64_t spent = SpentIn(budget, amount);
    std::string path = absl::StrCat("control.amounts[", i, "]");
    if (spent > amount.amount_fen()) {
      found.push_back(
          CycleViolation(cycle_rules::kOverControl, path, FormatYuan(spent),
                         absl::StrCat("<= ", FormatYuan(amount.amount_fen())),
                         absl::StrCat(BucketName(amount), " spends ",
                                      FormatYuan(spent - amount.amount_fen()),
                                      " yuan over its control figure")));
    } else if (spent < amount.amount_fen()) {
      found.push_back(
          CycleViolation(cycle_rules::kUnderControl, path, FormatYuan(spent),
                         FormatYuan(amount.amount_fen()),
                         absl::StrCat(BucketName(amount), " leaves ",
                                      FormatYuan(amount.amount_fen() - spent),
                                      " yuan of its control figure unused")));
    }
  }
  FatalFirst(found);
  return found;
}

}  // namespace budget
