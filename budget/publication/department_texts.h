// What a department supplies for its publication because the data cannot say
// it: its main functions (主要职能), its organisation (机构设置) and the
// reasons (原因) behind each year-over-year change of 第二部分. Written as a
// sectioned file in the style of the budget files
// (docs/budget-file-format.md, docs/publication.md):
//
//   [functions]            table, column `text`: one paragraph per row
//   [organization]         table, column `text`: one paragraph per row
//   [reasons]              key-value: income, expenditure,
//                          general_public_budget, three_public,
//                          outbound_travel, reception, vehicle_purchase,
//                          vehicle_operation
//   [notes]                key-value: other_vehicles, performance,
//                          special_transfers
//
// Every section and key is optional; what is absent is left out of the text.
// Plain values; thread-compatible.
#ifndef BUDGET_PUBLICATION_DEPARTMENT_TEXTS_H_
#define BUDGET_PUBLICATION_DEPARTMENT_TEXTS_H_

#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "budget/budget_file/file_error.h"

namespace budget {

struct DepartmentTexts {
  std::vector<std::string> functions;     // 主要职能 paragraphs.
  std::vector<std::string> organization;  // 机构设置 paragraphs.
  // [reasons] and [notes] by key; a key given is never empty.
  absl::flat_hash_map<std::string, std::string> reasons;
  absl::flat_hash_map<std::string, std::string> notes;

  // The reason for `key`, without a closing "。"; "" when not given.
  std::string Reason(absl::string_view key) const;
  // The note for `key`, as written; "" when not given.
  std::string Note(absl::string_view key) const;
};

// Every error of the file at once (FMT-E001..E009 as for budget files).
ParsedFile<DepartmentTexts> ParseDepartmentTexts(absl::string_view text,
                                                 absl::string_view file_name);

}  // namespace budget

#endif  // BUDGET_PUBLICATION_DEPARTMENT_TEXTS_H_
