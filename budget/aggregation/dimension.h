// The classifications an expenditure fact can be grouped or filtered by, and
// how a fact's value and a member's printed name are read on each. The
// aggregation engine's own vocabulary, so the domain needs no transport
// types; the query service maps budget.v1.Dimension onto it one to one.
//
// Pure functions; thread-safe.
#ifndef BUDGET_AGGREGATION_DIMENSION_H_
#define BUDGET_AGGREGATION_DIMENSION_H_

#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "budget/catalog/catalog.h"
#include "budget/consolidation/node_rollup.h"
#include "budget/consolidation/unit_tree.h"

namespace budget {

enum class Dimension {
  kUnit,                 // The unit that booked the line.
  kChild,                // The direct child of the node the line rolls into.
  kFunctionClass,        // 支出功能分类 类 (3 digits).
  kFunctionSection,      // 款 (5 digits).
  kFunctionItem,         // 项 (7 digits).
  kDeptEconomicClass,    // 部门预算支出经济分类 类 (3 digits).
  kDeptEconomicSection,  // 款 (5 digits).
  kGovEconomicClass,     // 政府预算支出经济分类 类 (3 digits).
  kGovEconomicSection,   // 款 (5 digits).
  kFundingSource,        // Enum name without prefix: GENERAL_PUBLIC_BUDGET.
  kNature,               // BASIC_PERSONNEL, BASIC_PUBLIC, PROJECT.
  kProjectCategory,      // OTHER_OPERATING, SPECIFIC_TARGET; "" for basic.
  kProject,              // Project code; "" for basic lines.
};

// What a reader who is not cleared sees in place of a classified project's
// code and name; its amount still counts.
inline constexpr char kMaskedProject[] = "涉密项目按规定不予公开";

// True for the two dimensions read from where a fact was booked rather
// than from its key.
bool IsPlacementDimension(Dimension dimension);

// The value of `key` on a classification dimension (not kUnit/kChild).
// A classified project reads as kMaskedProject unless `cleared`.
std::string ValueOf(Dimension dimension, const ExpenditureKey& key,
                    bool cleared);

// Orders members of one dimension "in code order": enums by their number,
// codes as text.
std::string SortKeyOf(Dimension dimension, absl::string_view value);

// What member names are looked up in.
struct MemberNames {
  const Catalog* catalog = nullptr;
  const UnitTree* tree = nullptr;
  // Project code -> name, for kProject.
  const absl::flat_hash_map<std::string, std::string>* projects = nullptr;
};

// The printed name of a member; "" when unknown.
std::string NameOf(Dimension dimension, absl::string_view value,
                   const MemberNames& names);

}  // namespace budget

#endif  // BUDGET_AGGREGATION_DIMENSION_H_
