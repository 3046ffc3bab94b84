#include "budget/aggregation/member_index.h"

namespace budget {

MemberIndex::MemberIndex(Dimension dimension, bool cleared,
                         const std::vector<std::string>* kept)
    : dimension_(dimension), cleared_(cleared), has_cut_(kept != nullptr) {
  if (kept != nullptr) kept_.insert(kept->begin(), kept->end());
}

uint64_t MemberIndex::FieldOf(const ExpenditureKey& key) const {
  switch (dimension_) {
    case Dimension::kFunctionClass:
    case Dimension::kFunctionSection:
    case Dimension::kFunctionItem:
      return key.function().id();
    case Dimension::kDeptEconomicClass:
    case Dimension::kDeptEconomicSection:
      return key.dept_economic().id();
    case Dimension::kGovEconomicClass:
    case Dimension::kGovEconomicSection:
      return key.gov_economic().id();
    case Dimension::kFundingSource:
      return key.source();
    case Dimension::kNature:
      return key.nature();
    case Dimension::kProjectCategory:
      return key.project_category();
    case Dimension::kProject:
      return uint64_t{key.project().id()} << 1 | key.project_classified();
    case Dimension::kUnit:
    case Dimension::kChild:
      break;
  }
  return 0;
}

uint32_t MemberIndex::IndexOfKey(const ExpenditureKey& key) {
  const uint64_t field = FieldOf(key);  // Never kNoField: 33 bits at most.
  Recent& recent =
      recent_[(field * 0x9E3779B97F4A7C15u) >> 56 & (kRecentSlots - 1)];
  if (recent.field == field) return recent.index;
  auto [it, added] = by_field_.try_emplace(field, 0);
  if (added) it->second = IndexOfValue(ValueOf(dimension_, key, cleared_));
  recent = {field, it->second};
  return it->second;
}

uint32_t MemberIndex::IndexOfValue(const std::string& value) {
  auto [it, added] = by_value_.try_emplace(value, kDropped);
  if (!added) return it->second;
  if (has_cut_) {
    if (!kept_.contains(value)) return kDropped;
    if (dimension_ == Dimension::kProject && value == kMaskedProject &&
        !cleared_) {
      return kDropped;
    }
  }
  it->second = static_cast<uint32_t>(values_.size());
  values_.push_back(value);
  sort_keys_.push_back(IsPlacementDimension(dimension_) && value.empty()
                           ? "\xff"
                           : SortKeyOf(dimension_, value));
  return it->second;
}

}  // namespace budget
