#include "budget/aggregation/aggregator.h"

#include <algorithm>
#include <map>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/container/inlined_vector.h"
#include "absl/strings/str_cat.h"
#include "budget/aggregation/fact_sources.h"
#include "budget/aggregation/member_index.h"
#include "budget/money.h"

namespace budget {
namespace {

using Values = std::vector<std::string>;

struct Group {
  CellAmount amount;
  CellAmount prior;
};

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

// True when `values` name the masked project, which only an uncleared
// query yields.
bool IsMasked(const AggregateQuery& query, const Values& values) {
  if (query.cleared) return false;
  for (size_t level = 0; level < values.size(); ++level) {
    if (query.drilldown[level] == Dimension::kProject &&
        values[level] == kMaskedProject) {
      return true;
    }
  }
  return false;
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
    for (const FactSource& source : facts.sources()) {
      if (!PlaceMembers(source, &members)) continue;
      for (const auto& [key, cell] : source.rollup->expenditure) {
        if (!Kept(key)) continue;
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
        if (absl::Status s =
                AddCell(cell, prior ? &total_.prior : &total_.amount);
            !s.ok()) {
          return s;
        }
      }
    }
    return absl::OkStatus();
  }

  // The groups by member values. A group whose lines all cancel (a unit's
  // transfer and its elimination within the same child) is no row.
  std::map<Values, Group> Groups() const {
    std::map<Values, Group> groups;
    for (const auto& [members, group] : groups_) {
      if (IsEmpty(group.amount) && IsEmpty(group.prior)) continue;
      Values values;
      for (size_t level = 0; level < members.size(); ++level) {
        values.push_back(levels_[level].value(members[level]));
      }
      groups.emplace(std::move(values), group);
    }
    return groups;
  }

  const Group& total() const { return total_; }

 private:
  static bool IsEmpty(const CellAmount& amount) {
    return amount.fen == 0 && amount.lines == 0;
  }

  using GroupKey = absl::InlinedVector<uint32_t, 4>;

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

// A residual member is the "" value of a placement dimension.
bool IsResidual(Dimension dimension, const std::string& value) {
  return IsPlacementDimension(dimension) && value.empty();
}

// Orders rows as the query asks; see RowOrder and AggregateQuery.
class RowLess {
 public:
  RowLess(const AggregateQuery& query, const std::map<Values, Group>& groups)
      : query_(query), groups_(groups) {}

  bool operator()(const Values& a, const Values& b) const {
    bool by_amount = query_.order != RowOrder::kByKey;
    if (by_amount && !query_.subtotals) {
      if (int c = CompareAmount(a, b); c != 0) return c < 0;
    }
    size_t common = std::min(a.size(), b.size());
    for (size_t level = 0; level < common; ++level) {
      if (a[level] == b[level]) continue;
      if (by_amount && query_.subtotals) {
        int c = CompareAmount(Values(a.begin(), a.begin() + level + 1),
                              Values(b.begin(), b.begin() + level + 1));
        if (c != 0) return c < 0;
      }
      return SortKey(level, a[level]) < SortKey(level, b[level]);
    }
    return a.size() < b.size();  // A subtotal before its detail.
  }

 private:
  int CompareAmount(const Values& a, const Values& b) const {
    bool a_masked = IsMasked(query_, a);
    bool b_masked = IsMasked(query_, b);
    if (a_masked || b_masked)
      return a_masked == b_masked ? 0 : a_masked ? 1 : -1;
    int64_t x = groups_.at(a).amount.fen;
    int64_t y = groups_.at(b).amount.fen;
    if (x == y) return 0;
    bool less = query_.order == RowOrder::kAmountAsc ? x < y : x > y;
    return less ? -1 : 1;
  }

  std::string SortKey(size_t level, const std::string& value) const {
    Dimension dimension = query_.drilldown[level];
    if (IsResidual(dimension, value)) return "\xff";
    return SortKeyOf(dimension, value);
  }

  const AggregateQuery& query_;
  const std::map<Values, Group>& groups_;
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

AggregateRow MakeRow(const AggregateQuery& query, const Values& values,
                     const Group& group, const MemberNames& names) {
  AggregateRow row;
  for (size_t level = 0; level < values.size(); ++level) {
    Dimension dimension = query.drilldown[level];
    row.residual |= IsResidual(dimension, values[level]);
    row.members.push_back({dimension, values[level],
                           IsResidual(dimension, values[level])
                               ? kResidualName
                               : NameOf(dimension, values[level], names)});
  }
  row.subtotal = values.size() < query.drilldown.size();
  row.masked = IsMasked(query, values);
  if (row.masked) return row;
  row.amount = group.amount;
  row.prior = group.prior;
  return row;
}

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

  const std::map<Values, Group> groups = grouper.Groups();
  std::vector<Values> order;
  for (const auto& [values, group] : groups) order.push_back(values);
  std::sort(order.begin(), order.end(), RowLess(query, groups));

  absl::flat_hash_map<std::string, std::string> projects;
  if (std::find(query.drilldown.begin(), query.drilldown.end(),
                Dimension::kProject) != query.drilldown.end()) {
    projects = ProjectNames(consolidator, query);
  }
  MemberNames names{&catalog, &consolidator.tree(), &projects};
  AggregateResult result;
  for (const Values& values : order) {
    result.rows.push_back(MakeRow(query, values, groups.at(values), names));
  }
  result.grand_total.amount = grouper.total().amount;
  result.grand_total.prior = grouper.total().prior;
  return result;
}

}  // namespace budget
