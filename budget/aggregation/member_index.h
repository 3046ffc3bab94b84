// The members one dimension takes over the facts of one aggregation, each
// read once: facts carry interned codes and enums, and a value such as a
// function class ("201") is a function of one of them, so it is computed
// per distinct field and the facts are then grouped by small integers.
// Also applies a cut: values the cut does not keep read as kDropped.
// Each member's sort key is computed once, when it is first seen; the
// aggregator ranks the members by it once and orders rows by the ranks.
//
// Borrows the cut. Not thread-safe (one aggregation uses its own).
#ifndef BUDGET_AGGREGATION_MEMBER_INDEX_H_
#define BUDGET_AGGREGATION_MEMBER_INDEX_H_

#include <array>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "budget/aggregation/dimension.h"
#include "budget/consolidation/node_rollup.h"

namespace budget {

class MemberIndex {
 public:
  static constexpr uint32_t kDropped = std::numeric_limits<uint32_t>::max();

  // `kept`: the values a cut keeps; nullptr for no cut. A classified
  // project never survives a cut for an uncleared reader, not even by the
  // masked value.
  MemberIndex(Dimension dimension, bool cleared,
              const std::vector<std::string>* kept);

  // The member of `key` on a classification dimension.
  uint32_t IndexOfKey(const ExpenditureKey& key);
  // The member named `value` (placement dimensions read it off the source).
  uint32_t IndexOfValue(const std::string& value);

  const std::string& value(uint32_t index) const { return values_[index]; }
  // Orders members "in code order" (SortKeyOf); a residual member (the ""
  // of a placement dimension) after every other.
  const std::string& sort_key(uint32_t index) const {
    return sort_keys_[index];
  }
  uint32_t size() const { return static_cast<uint32_t>(values_.size()); }

 private:
  // The last member found for each of a few fields: a fact's field is
  // nearly always one a recent fact had (a node uses few codes of each
  // system), so most look-ups end here instead of in by_field_.
  struct Recent {
    uint64_t field = kNoField;
    uint32_t index = 0;
  };
  static constexpr uint64_t kNoField = std::numeric_limits<uint64_t>::max();
  static constexpr size_t kRecentSlots = 256;

  uint64_t FieldOf(const ExpenditureKey& key) const;

  const Dimension dimension_;
  const bool cleared_;
  const bool has_cut_;
  absl::flat_hash_set<std::string> kept_;
  std::array<Recent, kRecentSlots> recent_;  // By a hash of the field.
  absl::flat_hash_map<uint64_t, uint32_t> by_field_;
  absl::flat_hash_map<std::string, uint32_t> by_value_;
  std::vector<std::string> values_;
  std::vector<std::string> sort_keys_;  // Parallel to values_.
};

}  // namespace budget

#endif  // BUDGET_AGGREGATION_MEMBER_INDEX_H_
