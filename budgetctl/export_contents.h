// An export file read whole and checked before `budgetctl import` sends
// anything: a file cut short, edited, or with records out of place is
// refused as a whole, instead of leaving part of a department in the
// importing store.
//
// Plain data and functions; no state, no I/O beyond the reader given.
#ifndef BUDGETCTL_EXPORT_CONTENTS_H_
#define BUDGETCTL_EXPORT_CONTENTS_H_

#include <functional>
#include <vector>

#include "absl/status/statusor.h"
#include "budget/v1/query_service.pb.h"
#include "budgetctl/export_file.h"

namespace budgetctl {

struct ExportContents {
  std::vector<budget::v1::Unit> units;            // Parents first.
  std::vector<budget::v1::ExportRecord> budgets;  // Budget records.
  budget::v1::ExportTrailer trailer;
};

// Reads every record and checks the file's shape: units, then budgets,
// then one trailer as the last record; the trailer's counts; one budget per
// unit and year, of a unit the file registers. DATA_LOSS (cut, corrupt,
// counts) or INVALID_ARGUMENT (records out of place), naming the record.
// `progress` is told the bytes read.
absl::StatusOr<ExportContents> ReadExportContents(
    ExportReader& reader, const std::function<void(int64_t)>& progress);

// Consolidates the budgets as the exporting service did and compares the
// root's totals with the trailer's: an amount edited in the file (even on
// both sides of a budget) changes them. DATA_LOSS naming both figures.
absl::Status CheckExportTotals(const ExportContents& contents);

}  // namespace budgetctl

#endif  // BUDGETCTL_EXPORT_CONTENTS_H_
