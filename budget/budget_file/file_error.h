// What is wrong with a budget or units file, said precisely enough to fix it
// in an editor: the file, the line, the column or key, the value given and
// what was expected, under a stable rule id. Parsers collect every error of a
// file and return them together in a ParsedFile.
//
// Plain values; thread-compatible.
#ifndef BUDGET_BUDGET_FILE_FILE_ERROR_H_
#define BUDGET_BUDGET_FILE_FILE_ERROR_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace budget {

// Stable ids of the file syntax rules. An id never changes meaning.
namespace file_rules {
inline constexpr absl::string_view kMalformedCsv = "FMT-E001";
inline constexpr absl::string_view kUnknownSection = "FMT-E002";
inline constexpr absl::string_view kRecordOutsideSection = "FMT-E003";
inline constexpr absl::string_view kDuplicateSection = "FMT-E004";
inline constexpr absl::string_view kMissingSection = "FMT-E005";
inline constexpr absl::string_view kUnknownColumn = "FMT-E006";    // Or key.
inline constexpr absl::string_view kMissingColumn = "FMT-E007";    // Or key.
inline constexpr absl::string_view kDuplicateColumn = "FMT-E008";  // Or key.
inline constexpr absl::string_view kFieldCount = "FMT-E009";
inline constexpr absl::string_view kBadAmount = "FMT-E010";
inline constexpr absl::string_view kBadEnum = "FMT-E011";
inline constexpr absl::string_view kBadInteger = "FMT-E012";
inline constexpr absl::string_view kBadBoolean = "FMT-E013";
inline constexpr absl::string_view kUnknownProject = "FMT-E014";
inline constexpr absl::string_view kInvalidUtf8 = "FMT-E015";
inline constexpr absl::string_view kControlCharacter = "FMT-E016";  // NUL.
inline constexpr absl::string_view kBareCarriageReturn = "FMT-E017";
}  // namespace file_rules

struct FileError {
  std::string rule_id;
  std::string file;
  int line = 0;        // 1-based; 0 when the file as a whole is at fault.
  std::string column;  // Column or key name; empty for whole-line errors.
  std::string given;
  std::string expected;
  std::string message;

  // "units.budget:12: FMT-E010 amount_yuan: <message> (given "1.234";
  // expected ...)".
  std::string ToString() const;
};

// Collects the errors of one file. Not thread-safe.
class FileErrorSink {
 public:
  explicit FileErrorSink(absl::string_view file_name) : file_(file_name) {}

  void Add(absl::string_view rule_id, int line, absl::string_view column,
           absl::string_view given, absl::string_view expected,
           absl::string_view message);
  // Stable-sorts the errors by line and hands them over.
  std::vector<FileError> TakeSorted();

 private:
  std::string file_;
  std::vector<FileError> errors_;
};

// INVALID_ARGUMENT listing every error, one per line; OK when none.
absl::Status FileErrorsToStatus(const std::vector<FileError>& errors);

// The outcome of parsing a file: the value when errors is empty, otherwise
// every error found (value is then incomplete and must not be used).
template <typename T>
struct ParsedFile {
  T value;
  std::vector<FileError> errors;  // In line order.

  bool ok() const { return errors.empty(); }
  absl::Status status() const { return FileErrorsToStatus(errors); }
};

}  // namespace budget

#endif  // BUDGET_BUDGET_FILE_FILE_ERROR_H_
