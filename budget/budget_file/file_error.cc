#include "budget/budget_file/file_error.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace budget {

std::string FileError::ToString() const {
  std::string out = file;
  if (line > 0) absl::StrAppend(&out, ":", line);
  absl::StrAppend(&out, ": ", rule_id, " ");
  if (!column.empty()) absl::StrAppend(&out, column, ": ");
  absl::StrAppend(&out, message, " (given \"", given, "\"; expected ", expected,
                  ")");
  return out;
}

void FileErrorSink::Add(absl::string_view rule_id, int line,
                        absl::string_view column, absl::string_view given,
                        absl::string_view expected, absl::string_view message) {
  errors_.push_back({std::string(rule_id), file_, line, std::string(column),
                     std::string(given), std::string(expected),
                     std::string(message)});
}

std::vector<FileError> FileErrorSink::TakeSorted() {
  std::stable_sort(
      errors_.begin(), errors_.end(),
      [](const FileError& a, const FileError& b) { return a.line < b.line; });
  return std::move(errors_);
}

absl::Status FileErrorsToStatus(const std::vector<FileError>& errors) {
  if (errors.empty()) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrCat(
      errors.size(), errors.size() == 1 ? " error" : " errors", " in ",
      errors.front().file, ":\n",
      absl::StrJoin(errors, "\n", [](std::string* out, const FileError& e) {
        absl::StrAppend(out, e.ToString());
      })));
}

}  // namespace budget
