// Fuzzes the catalog CSV reader (budget/catalog/csv_table.h) with the
// headers of the catalog files of data/catalog/: any text must be parsed or
// refused with an error, never crash.
#include <cstddef>
#include <cstdint>

#include "absl/strings/string_view.h"
#include "budget/catalog/csv_table.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view text(reinterpret_cast<const char*>(data), size);
  (void)budget::ParseCsvTable(
      "codes.csv", text, {"code", "name", "level", "parent_code", "source"});
  (void)budget::ParseCsvTable("crosswalk.csv", text,
                              {"gov_code", "dept_code", "source"});
  return 0;
}
