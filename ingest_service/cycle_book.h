// The ingest service's memory of the budget cycle's records: the control
// figures issued to each unit and year (the latest one counts) and the
// adjustments of each year, in the order stored. Rebuilt from the store's
// cycle records at start; the store stays the authority.
//
// Thread-compatible: the Ingestor guards it with its mutex.
#ifndef INGEST_SERVICE_CYCLE_BOOK_H_
#define INGEST_SERVICE_CYCLE_BOOK_H_

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "budget/consolidation/unit_tree.h"
#include "budget/v1/cycle.pb.h"

namespace ingest {

class CycleBook {
 public:
  // Adds a stored record. INVALID_ARGUMENT for a record holding neither
  // control figures nor an adjustment.
  absl::Status Add(budget::v1::CycleRecord record);

  // The control figures last issued to the unit for the year, or null.
  const budget::v1::ControlFigures* Control(absl::string_view unit_code,
                                            int32_t year) const;

  // The adjustments changing the unit in the year, oldest first.
  std::vector<const budget::v1::Adjustment*> AdjustmentsOf(
      absl::string_view unit_code, int32_t year) const;

  // Records of the year about `node_code`'s subtree (control figures of a
  // unit in it, adjustments changing a unit in it), oldest first.
  std::vector<budget::v1::CycleRecord> RecordsUnder(
      const budget::UnitTree& tree, absl::string_view node_code,
      int32_t year) const;

 private:
  std::vector<budget::v1::CycleRecord> records_;  // By consolidated revision.
  // Index into records_ of the latest control figures per unit and year.
  std::map<std::pair<std::string, int32_t>, size_t> control_;
};

}  // namespace ingest

#endif  // INGEST_SERVICE_CYCLE_BOOK_H_
