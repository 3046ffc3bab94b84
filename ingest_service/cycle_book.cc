#include "ingest_service/cycle_book.h"

#include <algorithm>

#include "budget/cycle/adjustment.h"

namespace ingest {

using budget::v1::CycleRecord;

absl::Status CycleBook::Add(CycleRecord record) {
  if (record.has_control_figures()) {
    const budget::v1::ControlFigures& figures = record.control_figures();
    control_[{figures.unit_code(), figures.fiscal_year()}] = records_.size();
  } else if (!record.has_adjustment()) {
    return absl::InvalidArgumentError("cycle record holds nothing");
  }
  records_.push_back(std::move(record));
  return absl::OkStatus();
}

const budget::v1::ControlFigures* CycleBook::Control(
    absl::string_view unit_code, int32_t year) const {
  auto it = control_.find({std::string(unit_code), year});
  return it == control_.end() ? nullptr
                              : &records_[it->second].control_figures();
}

std::vector<const budget::v1::Adjustment*> CycleBook::AdjustmentsOf(
    absl::string_view unit_code, int32_t year) const {
  std::vector<const budget::v1::Adjustment*> found;
  for (const CycleRecord& record : records_) {
    if (!record.has_adjustment() || record.adjustment().fiscal_year() != year) {
      continue;
    }
    std::vector<std::string> units = budget::AdjustedUnits(record.adjustment());
    if (std::find(units.begin(), units.end(), unit_code) != units.end()) {
      found.push_back(&record.adjustment());
    }
  }
  return found;
}

std::vector<CycleRecord> CycleBook::RecordsUnder(const budget::UnitTree& tree,
                                                 absl::string_view node_code,
                                                 int32_t year) const {
  std::vector<CycleRecord> found;
  auto under = [&](absl::string_view unit) {
    return tree.IsWithin(unit, node_code);
  };
  for (const CycleRecord& record : records_) {
    if (record.has_control_figures()) {
      if (record.control_figures().fiscal_year() == year &&
          under(record.control_figures().unit_code())) {
        found.push_back(record);
      }
      continue;
    }
    if (record.adjustment().fiscal_year() != year) continue;
    std::vector<std::string> units = budget::AdjustedUnits(record.adjustment());
    if (std::any_of(units.begin(), units.end(), under)) {
      found.push_back(record);
    }
  }
  return found;
}

}  // namespace ingest
