#include "budgetctl/export_contents.h"

#include <memory>
#include <string>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "budget/consolidation/consolidator.h"
#include "budget/consolidation/unit_tree.h"

namespace budgetctl {

absl::StatusOr<ExportContents> ReadExportContents(
    ExportReader& reader, const std::function<void(int64_t)>& progress) {
  ExportContents contents;
  absl::flat_hash_set<std::string> units;
  absl::flat_hash_set<std::pair<std::string, int32_t>> budgets;
  bool trailer_seen = false;
  int64_t lines = 0;
  for (int64_t index = 1;; ++index) {
    absl::StatusOr<budget::v1::ExportRecord> record = reader.Next();
    if (absl::IsOutOfRange(record.status())) break;
    if (!record.ok()) return record.status();
    progress(reader.position());
    const std::string where = absl::StrCat("record ", index, ": ");
    if (trailer_seen) {
      return absl::DataLossError(
          absl::StrCat(where, "follows the trailer, which ends an export"));
    }
    if (record->has_unit()) {
      if (!contents.budgets.empty()) {
        return absl::InvalidArgumentError(absl::StrCat(
            where, "unit ", record->unit().code(),
            " follows a budget; an export lists every unit first"));
      }
      units.insert(record->unit().code());
      contents.units.push_back(record->unit());
    } else if (record->has_budget()) {
      const budget::v1::UnitBudget& budget = record->budget();
      if (!units.contains(budget.unit_code())) {
        return absl::InvalidArgumentError(
            absl::StrCat(where, "a budget of ", budget.unit_code(),
                         ", a unit the file does not list"));
      }
      if (!budgets.emplace(budget.unit_code(), budget.fiscal_year()).second) {
        return absl::InvalidArgumentError(
            absl::StrCat(where, "a second budget of ", budget.unit_code(), " ",
                         budget.fiscal_year(), "; an export holds one"));
      }
      lines += budget.expenditures_size();
      contents.budgets.push_back(*std::move(record));
    } else if (record->has_trailer()) {
      contents.trailer = record->trailer();
      trailer_seen = true;
    } else {
      return absl::InvalidArgumentError(
          absl::StrCat(where, "holds no unit, budget or trailer"));
    }
  }
  const budget::v1::ExportTrailer& trailer = contents.trailer;
  if (!trailer_seen) {
    return absl::DataLossError(
        "the file ends without its trailer: it was cut short");
  }
  if (trailer.unit_count() != static_cast<int64_t>(contents.units.size()) ||
      trailer.budget_count() != static_cast<int64_t>(contents.budgets.size()) ||
      trailer.expenditure_line_count() != lines) {
    return absl::DataLossError(absl::StrCat(
        "the trailer counts ", trailer.unit_count(), " unit(s), ",
        trailer.budget_count(), " budget(s) and ",
        trailer.expenditure_line_count(),
        " expenditure line(s); the file holds ", contents.units.size(), ", ",
        contents.budgets.size(), " and ", lines));
  }
  return contents;
}

absl::Status CheckExportTotals(const ExportContents& contents) {
  if (contents.units.empty()) return absl::OkStatus();
  // The exported node's parent stays in the exporting store.
  std::vector<budget::v1::Unit> units = contents.units;
  units.front().clear_parent_code();
  absl::StatusOr<budget::UnitTree> tree = budget::UnitTree::Build(units);
  if (!tree.ok()) return tree.status();
  budget::Consolidator consolidator(&*tree);
  for (const budget::v1::ExportRecord& record : contents.budgets) {
    absl::Status held = consolidator.ReplaceUnitBudget(
        std::make_shared<const budget::v1::UnitBudget>(record.budget()));
    if (!held.ok()) {
      return absl::DataLossError(
          absl::StrCat("the budget of ", record.budget().unit_code(),
                       " cannot be consolidated: ", held.message()));
    }
  }
  const budget::v1::NodeTotals& stated = contents.trailer.totals();
  std::shared_ptr<const budget::NodeRollup> rollup =
      consolidator.Rollup(units.front().code(), stated.fiscal_year());
  const int64_t income = rollup == nullptr ? 0 : rollup->income_fen;
  const int64_t expenditure = rollup == nullptr ? 0 : rollup->expenditure_fen;
  if (income != stated.income_fen() ||
      expenditure != stated.expenditure_fen()) {
    return absl::DataLossError(absl::StrCat(
        "the budgets add up to income ", income, " and expenditure ",
        expenditure, " fen at ", units.front().code(), "; the trailer says ",
        stated.income_fen(), " and ", stated.expenditure_fen(),
        ": the file was changed after export"));
  }
  return absl::OkStatus();
}

}  // namespace budgetctl
