// Reads RFC 4180 CSV records one at a time, remembering the physical line on
// which each record starts, so that a quoted field spanning several lines
// does not throw off the line numbers of the records after it.
//
// The dialect of the budget files: a UTF-8 byte order mark at the start is
// skipped; records end at LF or CRLF; between records, blank lines and lines
// starting with '#' are skipped. Inside a quoted field every byte is kept as
// written. A quote inside an unquoted field is taken literally.
//
// The reader borrows the text, which must outlive it and the rows it
// returns. Not thread-safe.
#ifndef BUDGET_BUDGET_FILE_CSV_READER_H_
#define BUDGET_BUDGET_FILE_CSV_READER_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace budget {

struct CsvRow {
  int line = 0;  // 1-based line on which the record starts.
  std::vector<std::string> fields;
  // The record as written, without its terminator; lets a caller tell a
  // bare `[section]` line from a quoted field "[section]".
  absl::string_view text;
};

// A malformed record. The reader recovers and goes on, so one pass finds
// every such error.
struct CsvSyntaxError {
  int line = 0;
  std::string message;
};

class CsvReader {
 public:
  explicit CsvReader(absl::string_view text);

  CsvReader(const CsvReader&) = delete;
  CsvReader& operator=(const CsvReader&) = delete;

  // Reads the next record into *row; false at the end of the text.
  bool Next(CsvRow* row);

  // Errors met so far, in line order.
  const std::vector<CsvSyntaxError>& errors() const { return errors_; }

 private:
  // Skips blank and comment lines ahead of the next record.
  void SkipIgnoredLines();
  // True when a record ends at pos_ (LF, CRLF or the end of the text);
  // then consumes the terminator.
  bool ConsumeEndOfRecord();

  absl::string_view text_;
  size_t pos_ = 0;
  int line_ = 1;
  std::vector<CsvSyntaxError> errors_;
};

}  // namespace budget

#endif  // BUDGET_BUDGET_FILE_CSV_READER_H_
