#include "budget/aggregation/aggregator.h"

#include <algorithm>
#include <optional>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/container/inlined_vector.h"
#include "absl/strings/str_cat.h"
#include "budget/aggregation/control_facts.h"
#include "budget/aggregation/fact_sources.h"
#include "budget/aggregation/member_index.h"
#include "budget/money.h"

namespace budget {
namespace {

struct Group {
  CellAmount amount;
  CellAmount prior;
  std::vector<CellAmount> columns;  // Sized when a column first adds.
};

// Which amount of a group facts are summed into: kAmount, kPrior, or the
// query column of that index.
using Slot = int;
constexpr Slot kAmount = -1;
constexpr Slot kPrior = -2;

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

CellAmount* CellOf(Group& group, Slot slot, size_t columns) {
  if (slot == kAmount) return &group.amount;
  if (slot == kPrior) return &group.prior;
  group.columns.resize(columns);
  return &group.columns[slot];
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
const std::string& PlacedValue(Dimension dimension, const std::string& unit,
                               const std::string& child) {
  return dimension == Dimension::kUnit ? unit : child;
}

// Sums one year's facts into groups: every prefix of the drilldown when
// subtotals are asked for, the full drilldown only otherwise, into one
// slot of each group. Groups are keyed by member
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

  absl::Status Add(const FactSources& facts, Slot slot) {
    GroupKey members(query_.drilldown.size());
    auto add = [&](const ExpenditureKey& key,
                   const CellAmount& cell) -> absl::Status {
      if (!Kept(key)) return absl::OkStatus();
      for (size_t level = 0; level < members.size(); ++level) {
        if (!IsPlacementDimension(query_.drilldown[level])) {
          members[level] = levels_[level].IndexOfKey(key);
        }
      }
      return AddToGroups(members, cell, slot);
    };
    for (const FactSource& source : facts.sources()) {
      if (!PlaceMembers(source.unit, source.child, &members)) continue;
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

  // Adds control figures of the query's one bucket dimension (ControlBucket)
  // to the column `slot`, each counting as one line.
  absl::Status AddControl(const std::vector<ControlFact>& facts, Slot slot) {
    GroupKey members(query_.drilldown.size());
    for (const ControlFact& fact : facts) {
      if (!PlaceMembers(fact.unit, fact.child, &members)) continue;
      bool kept = true;
      for (size_t i = 0; i < filters_.size(); ++i) {
        if (!IsPlacementDimension(query_.cuts[i].dimension) &&
            filters_[i].IndexOfValue(fact.value) == MemberIndex::kDropped) {
          kept = false;
        }
      }
      if (!kept) continue;
      for (size_t level = 0; level < members.size(); ++level) {
        if (!IsPlacementDimension(query_.drilldown[level])) {
          members[level] = levels_[level].IndexOfValue(fact.value);
        }
      }
      if (absl::Status s = AddToGroups(members, {fact.fen, 1}, slot); !s.ok()) {
        return s;
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
      const Group& group = entry.second;
      if (IsEmpty(group.amount) && IsEmpty(group.prior) &&
          std::all_of(group.columns.begin(), group.columns.end(), IsEmpty)) {
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

  // Adds `cell` to the slot of every group `members` (one per drilldown
  // level) falls in, and to the grand total.
  absl::Status AddToGroups(const GroupKey& members, const CellAmount& cell,
                           Slot slot) {
    const size_t depth = members.size();
    // The empty prefix is the grand total, kept apart.
    const size_t shallowest = query_.subtotals ? 1 : std::max<size_t>(depth, 1);
    const size_t columns = query_.columns.size();
    for (size_t length = shallowest; length <= depth; ++length) {
      Group& group =
          groups_[GroupKey(members.begin(), members.begin() + length)];
      if (absl::Status s = AddCell(cell, CellOf(group, slot, columns));
          !s.ok()) {
        return s;
      }
    }
    return AddCell(cell, CellOf(total_, slot, columns));
  }

  // Sets the members that depend only on where facts were booked (`unit`,
  // and the node's direct `child` it lies in); false when a cut drops all
  // of them.
  bool PlaceMembers(const std::string& unit, const std::string& child,
                    GroupKey* members) {
    for (size_t level = 0; level < query_.drilldown.size(); ++level) {
      const Dimension dimension = query_.drilldown[level];
      if (IsPlacementDimension(dimension)) {
        (*members)[level] =
            levels_[level].IndexOfValue(PlacedValue(dimension, unit, child));
      }
    }
    for (size_t i = 0; i < filters_.size(); ++i) {
      const Dimension dimension = query_.cuts[i].dimension;
      if (IsPlacementDimension(dimension) &&
          filters_[i].IndexOfValue(PlacedValue(dimension, unit, child)) ==
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

// The projects of every budget below the node in both years, in the read
// stage and every stage column.
struct Projects {
  absl::flat_hash_map<std::string, std::string> names;
  // Codes no budget declares classified.
  absl::flat_hash_set<std::string> unclassified;
};

Projects ProjectsOf(const Consolidator& consolidator,
                    const AggregateQuery& query) {
  std::vector<const Consolidator*> stages = {&consolidator};
  for (const CompareColumn& column : query.columns) {
    if (column.stage != nullptr) stages.push_back(column.stage);
  }
  Projects projects;
  absl::flat_hash_set<std::string> classified;
  for (const UnitTree::Visit& visit :
       consolidator.tree().Subtree(query.node_code)) {
    for (const Consolidator* stage : stages) {
      for (int32_t year : {query.fiscal_year, query.compare_year}) {
        std::shared_ptr<const PackedBudget> budget =
            stage->Packed(visit.unit->code(), year);
        if (budget == nullptr) continue;
        const v1::UnitBudget particulars = budget->UnpackParticulars();
        for (const v1::Project& project : particulars.projects()) {
          projects.names.emplace(project.code(), project.name());
          if (project.classified()) classified.insert(project.code());
          projects.unclassified.insert(project.code());
        }
      }
    }
  }
  for (const std::string& code : classified) {
    projects.unclassified.erase(code);
  }
  return projects;
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
    row.columns = entry.second.columns;
    row.columns.resize(query_.columns.size());
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
  std::optional<Dimension> control_bucket;
  for (const CompareColumn& column : query.columns) {
    if (column.stage != nullptr) continue;
    absl::StatusOr<Dimension> bucket = ControlBucket(query);
    if (!bucket.ok()) return bucket.status();
    control_bucket = *bucket;
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
  if (absl::Status s = grouper.Add(*current, kAmount); !s.ok()) {
    return s;
  }
  if (query.compare_year != 0 || query.compare_source != nullptr) {
    absl::StatusOr<FactSources> prior = FactSources::Build(
        query.compare_source ? *query.compare_source : consolidator,
        query.node_code,
        query.compare_year != 0 ? query.compare_year : query.fiscal_year,
        placement);
    if (!prior.ok()) return prior.status();
    if (absl::Status s = grouper.Add(*prior, kPrior); !s.ok()) {
      return s;
    }
  }
  const bool by_project =
      std::find(query.drilldown.begin(), query.drilldown.end(),
                Dimension::kProject) != query.drilldown.end();
  Projects projects;
  if (by_project || control_bucket == Dimension::kProject) {
    projects = ProjectsOf(consolidator, query);
  }
  for (Slot slot = 0; slot < static_cast<Slot>(query.columns.size()); ++slot) {
    const CompareColumn& column = query.columns[slot];
    absl::Status added;
    if (column.stage != nullptr) {
      absl::StatusOr<FactSources> facts = FactSources::Build(
          *column.stage, query.node_code, query.fiscal_year, placement);
      added = facts.ok() ? grouper.Add(*facts, slot) : facts.status();
    } else {
      added = grouper.AddControl(
          ControlFacts(consolidator.tree(), query.node_code, query.fiscal_year,
                       *control_bucket, column.control, query.cleared,
                       projects.unclassified),
          slot);
    }
    if (!added.ok()) return added;
  }

  std::vector<const GroupEntry*> order = grouper.Groups();
  std::sort(order.begin(), order.end(), RowLess(query, grouper));

  MemberNames names{&catalog, &consolidator.tree(), &projects.names};
  RowMaker rows(query, grouper, names);
  AggregateResult result;
  result.rows.reserve(order.size());
  for (const GroupEntry* entry : order)
    result.rows.push_back(rows.Make(*entry));
  result.grand_total.amount = grouper.total().amount;
  result.grand_total.prior = grouper.total().prior;
  result.grand_total.columns = grouper.total().columns;
  result.grand_total.columns.resize(query.columns.size());
  return result;
}

}  // namespace budget
