// Where in a budget file each part of the parsed budget was written: maps
// the field paths the validator reports (`income[3].amount_fen`,
// `projects[2].indicators[4].target`, `overall_goal.scope_code`) to file
// lines, so that a finding can be shown as file:line.
//
// Built once by the parser, then read-only; safe to share for reading.
#ifndef BUDGET_BUDGET_FILE_SOURCE_MAP_H_
#define BUDGET_BUDGET_FILE_SOURCE_MAP_H_

#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"

namespace budget {

class SourceMap {
 public:
  SourceMap() = default;
  explicit SourceMap(absl::string_view file_name) : file_name_(file_name) {}

  void Add(absl::string_view field_path, int line);

  // The line of `field_path`, or else of its nearest recorded ancestor:
  // `expenditures[12].function_code`, then `expenditures[12]`, then
  // `expenditures` (the section line). 0 when none is recorded.
  int LineOf(absl::string_view field_path) const;

  // "file:line" for `field_path`, or the file name alone when no line is
  // known.
  std::string Where(absl::string_view field_path) const;

  const std::string& file_name() const { return file_name_; }

 private:
  std::string file_name_;
  absl::flat_hash_map<std::string, int> lines_;
};

}  // namespace budget

#endif  // BUDGET_BUDGET_FILE_SOURCE_MAP_H_
