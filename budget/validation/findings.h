// Collects the findings of one validation run and orders them for the
// report: fatal first, then by position in the submitted UnitBudget (proto
// field number, then element index, then the element's field number).
//
// Keeps at most kMaxFindingsKept fatal and as many warning findings
// (limits.h), counting the rest per rule, so that a budget of many broken
// lines costs bounded memory.
//
// Internal to the validator. One Findings per run; not thread-safe.
#ifndef BUDGET_VALIDATION_FINDINGS_H_
#define BUDGET_VALIDATION_FINDINGS_H_

#include <array>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"
#include "budget/v1/budget.pb.h"
#include "budget/validation/rules.h"

namespace budget {

// Where a finding points: the text of v1::Violation::field_path and the key
// that orders it.
struct FieldPath {
  // A top-level field: "fiscal_year", or a whole list such as "income".
  static FieldPath Top(int field_number, absl::string_view name);
  // An element of a list, optionally one of its fields:
  // "expenditures[12]" or "expenditures[12].function_code".
  static FieldPath Element(int field_number, absl::string_view list, int index,
                           int element_field = 0,
                           absl::string_view element_field_name = "");

  std::string text;
  std::array<int, 3> order;
};

class Findings {
 public:
  explicit Findings(bool strict) : strict_(strict) {}

  void Add(const Rule& rule, const FieldPath& path, absl::string_view given,
           absl::string_view expected, absl::string_view message);

  // The first kMaxFindingsKept findings kept, fatal first, then in field
  // order (ties keep the order in which they were added); every other
  // finding counted in `omitted`.
  v1::ValidationReport Report() const;

 private:
  struct Finding {
    v1::Violation violation;
    std::array<int, 3> order;
  };
  bool strict_;
  std::vector<Finding> fatal_;
  std::vector<Finding> warnings_;
  // Findings not kept, per rule id and severity.
  std::map<std::pair<std::string, v1::Severity>, int64_t> omitted_;
};

}  // namespace budget

#endif  // BUDGET_VALIDATION_FINDINGS_H_
