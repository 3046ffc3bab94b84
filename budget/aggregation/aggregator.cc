#include "budget/aggregation/aggregator.h"

#include <algorithm>
#include <optional>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/container/inlined_vector.h"
#include "absl/strings/str_cat.h"
#include "budget/aggregation/fact_sources.h"
#include "budget/aggregation/member_index.h"
#include "budget/money.h"

namespace budget {
namespace {

struct Group {
  CellAmount amount;
  CellAmount prior;
};

// A group's members, one index per drilldown level (MemberIndex).
using GroupKey = absl::InlinedVector<uint32_t, 4>;
using GroupEntry = std::pair<const GroupKey, Group>;

absl::Status AddCell(const CellAmount& cell, CellAmount* sum) {
  absl::StatusOr<int64_t> fen = CheckedAdd(sum->fen, cell.fen);
  if (!fen.ok()) return fen.status();
  sum->fen = *fen;
  sum->lines += cell.lines;
  return absl::OkStatus();
}

bool Uses(const AggregateQuery& query, Dimension dimension) {
  if (std::find(query.drilldown.begin(), query.drilldown.end(), dimension) !=
      query.drilldown.end()) {
    return true;
  }
  return std::any_of(
      query.cuts.begin(), query.cuts.end(),
      [&](const AggregateCut& cut) { return cut.dimension == dimension; });
}

Placement PlacementFor(const AggregateQuery& query) {
  // Held rollups carry no project code (ProjectDetail): projects are read
  // off each unit's own lines.
  if (Uses(query, Dimension::kUnit) || Uses(query, Dimension::kProject)) {
    return Placement::kUnit;
  }
  if (Uses(query, Dimension::kChild)) return Placement::kChild;
  return Placement::kNone;
}

// The member of a placement dimension: where the fact was booked.
const std::string& PlacedValue(Dimension dimension, const FactSource& source) {
  return dimension == Dimension::kUnit ? source.unit : source.child;
}

// Sums one year's facts into groups: every prefix of the drilldown when
// subtotals are asked for, the full drilldown only otherwise. `prior`
// selects which amount of the group is summed. Groups are keyed by member
// indices while summing and by member values only once, at the end.
class Grouper {
 public:
  explicit Grouper(const AggregateQuery& query) : query_(query) {
    for (Dimension dimension : query.drilldown) {
      levels_.emplace_back(dimension, query.cleared, nullptr);
    }
    for (const AggregateCut& cut : query.cuts) {
      filters_.emplace_back(cut.dimension, query.cleared, &cut.values);
    }
  }

  absl::Status Add(const FactSources& facts, bool prior) {
    const size_t depth = query_.drilldown.size();
    // The empty prefix is the grand total, kept apart.
    const size_t shallowest = query_.subtotals ? 1 : std::max<size_t>(depth, 1);
    GroupKey members(depth);
    auto add = [&](const ExpenditureKey& key,
                   const CellAmount& cell) -> absl::Status {
      if (!Kept(key)) return absl::OkStatus();
      for (size_t level = 0; level < depth; ++level) {
        if (!IsPlacementDimension(query_.drilldown[level])) {
          members[level] = levels_[level].IndexOfKey(key);
        }
      }
      for (size_t length = shallowest; length <= depth; ++length) {
        Group& group =
            groups_[GroupKey(members.begin(), members.begin() + length)];
        if (absl::Status s =
                AddCell(cell, prior ? &group.prior : &group.amount);
            !s.ok()) {
          return s;
        }
      }
      return AddCell(cell, prior ? &total_.prior : &total_.amount);
    };
    for (const FactSource& source : facts.sources()) {
      if (!PlaceMembers(source, &members)) continue;
      if (source.rollup == nullptr) {
        for (const PackedLine& line : source.lines->lines()) {
          if (absl::Status s = add(line.key, {line.amount_fen, 1}); !s.ok()) {
            return s;
          }
        }
        continue;
      }
      for (const auto& [key, cell] : source.rollup->expenditure) {
        if (absl::Status s = add(key, cell); !s.ok()) return s;
      }
    }
    return absl::OkStatus();
  }

  // The groups, unordered. A group whose lines all cancel (a unit's
  // transfer and its elimination within the same child) is no row.
  std::vector<const GroupEntry*> Groups() const {
    std::vector<const GroupEntry*> groups;
    groups.reserve(groups_.size());
    for (const GroupEntry& entry : groups_) {
      if (IsEmpty(entry.second.amount) && IsEmpty(entry.second.prior)) {
        continue;
      }
      groups.push_back(&entry);
    }
    return groups;
  }

  // The group of `members` (a prefix of the drilldown); summed, so present.
  const Group& group(const GroupKey& members) const {
    return groups_.at(members);
  }
  const MemberIndex& level(size_t level) const { return levels_[level]; }
  const Group& total() const { return total_; }

 private:
  static bool IsEmpty(const CellAmount& amount) {
    return amount.fen == 0 && amount.lines == 0;
  }

  // Sets the members that depend only on where `source` booked its facts;
  // false when a cut drops all of them.
  bool PlaceMembers(const FactSource& source, GroupKey* members) {
    for (size_t level = 0; level < query_.drilldown.size(); ++level) {
      const Dimension dimension = query_.drilldown[level];
      if (IsPlacementDimension(dimension)) {
        (*members)[level] =
            levels_[level].IndexOfValue(PlacedValue(dimension, source));
      }
    }
    for (size_t i = 0; i < filters_.size(); ++i) {
      const Dimension dimension = query_.cuts[i].dimension;
      if (IsPlacementDimension(dimension) &&
          filters_[i].IndexOfValue(PlacedValue(dimension, source)) ==
              MemberIndex::kDropped) {
        return false;
      }
    }
    return true;
  }

  bool Kept(const ExpenditureKey& key) {
    for (size_t i = 0; i < filters_.size(); ++i) {
      if (!IsPlacementDimension(query_.cuts[i].dimension) &&
          filters_[i].IndexOfKey(key) == MemberIndex::kDropped) {
        return false;
      }
    }
    return true;
  }

  const AggregateQuery& query_;
  std::vector<MemberIndex> levels_;   // One per drilldown level.
  std::vector<MemberIndex> filters_;  // One per cut.
  absl::flat_hash_map<GroupKey, Group> groups_;
  Group total_;
};

// True when `members` name the masked project, which only an uncleared
// query yields.
bool IsMasked(const AggregateQuery& query, const Grouper& grouper,
              const GroupKey& members) {
  if (query.cleared) return false;
  for (size_t level = 0; level < members.size(); ++level) {
    if (query.drilldown[level] == Dimension::kProject &&
        grouper.level(level).value(members[level]) == kMaskedProject) {
      return true;
    }
  }
  return false;
}

// A residual member is the "" value of a placement dimension.
bool IsResidual(Dimension dimension, const std::string& value) {
  return IsPlacementDimension(dimension) && value.empty();
}

// Orders groups as the query asks; see RowOrder and AggregateQuery.
// Compares member indices and the members' stored sort keys: nothing is
// built per comparison.
class RowLess {
 public:
  RowLess(const AggregateQuery& query, const Grouper& grouper)
      : query_(query), grouper_(grouper) {}

  bool operator()(const GroupEntry* x, const GroupEntry* y) const {
    const GroupKey& a = x->first;
    const GroupKey& b = y->first;
    bool by_amount = query_.order != RowOrder::kByKey;
    if (by_amount && !query_.subtotals) {
      if (int c = CompareAmount(a, x->second, b, y->second); c != 0) {
        return c < 0;
      }
    }
    size_t common = std::min(a.size(), b.size());
    for (size_t level = 0; level < common; ++level) {
      if (a[level] == b[level]) continue;
      if (by_amount && query_.subtotals) {
        GroupKey a_prefix(a.begin(), a.begin() + level + 1);
        GroupKey b_prefix(b.begin(), b.begin() + level + 1);
        int c = CompareAmount(a_prefix, grouper_.group(a_prefix), b_prefix,
                              grouper_.group(b_prefix));
        if (c != 0) return c < 0;
      }
      const MemberIndex& members = grouper_.level(level);
      return members.sort_key(a[level]) < members.sort_key(b[level]);
    }
    return a.size() < b.size();  // A subtotal before its detail.
  }

 private:
  int CompareAmount(const GroupKey& a, const Group& a_group, const GroupKey& b,
                    const Group& b_group) const {
    bool a_masked = IsMasked(query_, grouper_, a);
    bool b_masked = IsMasked(query_, grouper_, b);
    if (a_masked || b_masked)
      return a_masked == b_masked ? 0 : a_masked ? 1 : -1;
    int64_t x = a_group.amount.fen;
    int64_t y = b_group.amount.fen;
    if (x == y) return 0;
    bool less = query_.order == RowOrder::kAmountAsc ? x < y : x > y;
    return less ? -1 : 1;
  }

  const AggregateQuery& query_;
  const Grouper& grouper_;
};

// Project names of every budget below the node in both years.
absl::flat_hash_map<std::string, std::string> ProjectNames(
    const Consolidator& consolidator, const AggregateQuery& query) {
  absl::flat_hash_map<std::string, std::string> names;
  for (const UnitTree::Visit& visit :
       consolidator.tree().Subtree(query.node_code)) {
    for (int32_t year : {query.fiscal_year, query.compare_year}) {
      std::shared_ptr<const PackedBudget> budget =
          consolidator.Packed(visit.unit->code(), year);
      if (budget == nullptr) continue;
      const v1::UnitBudget particulars = budget->UnpackParticulars();
      for (const v1::Project& project : particulars.projects()) {
        names.emplace(project.code(), project.name());
      }
    }
  }
  return names;
}

// Rows of the groups, each member's name looked up once per aggregation.
class RowMaker {
 public:
  RowMaker(const AggregateQuery& query, const Grouper& grouper,
           const MemberNames& names)
      : query_(query),
        grouper_(grouper),
        names_(names),
        member_names_(query.drilldown.size()) {
    for (size_t level = 0; level < query.drilldown.size(); ++level) {
      member_names_[level].resize(grouper.level(level).size());
    }
  }

  AggregateRow Make(const GroupEntry& entry) {
    const GroupKey& members = entry.first;
    AggregateRow row;
    for (size_t level = 0; level < members.size(); ++level) {
      Dimension dimension = query_.drilldown[level];
      const std::string& value = grouper_.level(level).value(members[level]);
      bool residual = IsResidual(dimension, value);
      row.residual |= residual;
      row.members.push_back(
          {dimension, value,
           residual ? kResidualName : Name(level, members[level])});
    }
    row.subtotal = members.size() < query_.drilldown.size();
    row.masked = IsMasked(query_, grouper_, members);
    if (row.masked) return row;
    row.amount = entry.second.amount;
    row.prior = entry.second.prior;
    return row;
  }

 private:
  const std::string& Name(size_t level, uint32_t member) {
    std::optional<std::string>& name = member_names_[level][member];
    if (!name.has_value()) {
      name = NameOf(query_.drilldown[level],
                    grouper_.level(level).value(member), names_);
    }
    return *name;
  }

  const AggregateQuery& query_;
  const Grouper& grouper_;
  const MemberNames& names_;
  // Per level, per member index.
  std::vector<std::vector<std::optional<std::string>>> member_names_;
};

}  // namespace

absl::StatusOr<AggregateResult> Aggregate(const Consolidator& consolidator,
                                          const Catalog& catalog,
                                          const AggregateQuery& query) {
  for (size_t i = 0; i < query.drilldown.size(); ++i) {
    for (size_t j = 0; j < i; ++j) {
      if (query.drilldown[i] == query.drilldown[j]) {
        return absl::InvalidArgumentError(
            absl::StrCat("drilldown[", i, "] repeats drilldown[", j, "]"));
      }
    }
  }
  if (consolidator.Rollup(query.node_code, query.fiscal_year) == nullptr) {
    return absl::NotFoundError(absl::StrCat("no budget under node '",
                                            query.node_code, "' for ",
                                            query.fiscal_year));
  }
  Grouper grouper(query);
  Placement placement = PlacementFor(query);
  absl::StatusOr<FactSources> current = FactSources::Build(
      consolidator, query.node_code, query.fiscal_year, placement);
  if (!current.ok()) return current.status();
  if (absl::Status s = grouper.Add(*current, /*prior=*/false); !s.ok()) {
    return s;
  }
  if (query.compare_year != 0 || query.compare_source != nullptr) {
    absl::StatusOr<FactSources> prior = FactSources::Build(
        query.compare_source ? *query.compare_source : consolidator,
        query.node_code,
        query.compare_year != 0 ? query.compare_year : query.fiscal_year,
        placement);
    if (!prior.ok()) return prior.status();
    if (absl::Status s = grouper.Add(*prior, /*prior=*/true); !s.ok()) {
      return s;
    }
  }

  std::vector<const GroupEntry*> order = grouper.Groups();
  std::sort(order.begin(), order.end(), RowLess(query, grouper));

  absl::flat_hash_map<std::string, std::string> projects;
  if (std::find(query.drilldown.begin(), query.drilldown.end(),
                Dimension::kProject) != query.drilldown.end()) {
    projects = ProjectNames(consolidator, query);
  }
  MemberNames names{&catalog, &consolidator.tree(), &projects};
  RowMaker rows(query, grouper, names);
  AggregateResult result;
  result.rows.reserve(order.size());
  for (const GroupEntry* entry : order)
    result.rows.push_back(rows.Make(*entry));
  result.grand_total.amount = grouper.total().amount;
  result.grand_total.prior = grouper.total().prior;
  return result;
}

}  // namespace budget
