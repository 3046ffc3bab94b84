// Fuzzes the RFC 4180 reader of the budget files
// (budget/budget_file/csv_reader.h), checking that every record it reads is
// written back by CsvRecord (csv.h) in a form it reads as the same fields.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "budget/budget_file/csv.h"
#include "budget/budget_file/csv_reader.h"

namespace {

// The writers put a comment line first (FormatBudgetFile, FormatUnitsFile),
// so a record is never at the start of a file, where the reader skips a
// byte order mark: a first field starting with U+FEFF is kept there.
void CheckRoundTrip(const std::vector<std::string>& fields) {
  const std::string record = budget::CsvRecord(fields);
  const std::string file = "# written\n" + record;
  budget::CsvReader reader(file);
  budget::CsvRow row;
  if (!reader.Next(&row) || row.fields != fields || !reader.errors().empty()) {
    std::fprintf(stderr, "record [%s] written as <%s> reads back as [%s]\n",
                 absl::StrJoin(fields, "|").c_str(), record.c_str(),
                 absl::StrJoin(row.fields, "|").c_str());
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view text(reinterpret_cast<const char*>(data), size);

  budget::CsvReader reader(text);
  budget::CsvRow row;
  while (reader.Next(&row)) CheckRoundTrip(row.fields);
  return 0;
}
