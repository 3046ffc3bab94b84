#include "budget/aggregation/aggregator.h"

#include <algorithm>
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

// Every fact looks its group up: a few multiplications instead of the
// general hash of a container.
struct GroupKeyHash {
  size_t operator()(const GroupKey& key) const {
    uint64_t hash = key.size();
    for (uint32_t member : key) {
      hash = (hash ^ member) * 0x9E3779B97F4A7C15u;
    }
    return static_cast<size_t>(hash ^ (hash >> 32));
  }
};

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

// Sums one year's facts into groups of the full drilldown, into one slot
// of each group; AddSubtotals then sums those into every prefix of the
// drilldown when subtotals are asked for (there are far fewer groups than
// facts). Groups are keyed by member indices.
class Grouper {
 public:
  explicit Grouper(const AggregateQuery& query) : query_(query) {
    for (Dimension dimension : query.drilldown) {
      levels_.emplace_back(dimension, query.cleared, nullptr);
    }
    for (const AggregateCut& cut : query.cuts) {
      filters_.emplace_back(cut.dimension, query.cleared, &cut.values);
    }
    for (size_t level = 0; level < query.drilldown.size(); ++level) {
      if (!IsPlacementDimension(query.drilldown[level])) {
        key_levels_.push_back(level);
      }
    }
    for (size_t i = 0; i < query.cuts.size(); ++i) {
      if (!IsPlacementDimension(query.cuts[i].dimension)) {
        key_filters_.push_back(i);
      }
    }
  }

  absl::Status Add(const FactSources& facts, Slot slot) {
    GroupKey members(query_.drilldown.size());
    auto add = [&](const ExpenditureKey& key,
                   const CellAmount& cell) -> absl::Status {
      if (!Kept(key)) return absl::OkStatus();
      for (size_t level : key_levels_) {
        members[level] = levels_[level].IndexOfKey(key);
      }
      return AddToGroups(members, cell, slot);
    };
    for (const FactSource& source : facts.sources()) {
      if (!PlaceMembers(source.unit, source.child, &members)) continue;
      if (source.rollup == nullptr) {
        for (const PackedLine& line : source.lines->lines()) {
          if (absl::Status s = add(line.key, {line.amount_fen(), 1}); !s.ok()) {
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

  // Sums the full groups into the groups of every proper, non-empty
  // prefix of the drilldown; a no-op unless subtotals are asked for. Call
  // once, after every Add and AddControl.
  absl::Status AddSubtotals() {
    const size_t depth = query_.drilldown.size();
    if (!query_.subtotals || depth < 2) return absl::OkStatus();
    const size_t columns = query_.columns.size();
    std::vector<std::pair<GroupKey, Group>> full(groups_.begin(),
                                                 groups_.end());
    for (const auto& [members, sum] : full) {
      for (size_t length = 1; length < depth; ++length) {
        Group& group =
            groups_[GroupKey(members.begin(), members.begin() + length)];
        if (absl::Status s = AddCell(sum.amount, &group.amount); !s.ok()) {
          return s;
        }
        if (absl::Status s = AddCell(sum.prior, &group.prior); !s.ok()) {
          return s;
        }
        for (Slot slot = 0; slot < static_cast<Slot>(sum.columns.size());
             ++slot) {
          if (absl::Status s =
                  AddCell(sum.columns[slot], CellOf(group, slot, columns));
              !s.ok()) {
            return s;
          }
        }
      }
    }
    return absl::OkStatus();
  }

  // Ranks each level's members in code order (MemberIndex::sort_key), so
  // that ordering rows compares integers. Call once, after AddSubtotals.
  void RankMembers() {
    ranks_.resize(levels_.size());
    for (size_t level = 0; level < levels_.size(); ++level) {
      const MemberIndex& index = levels_[level];
      std::vector<uint32_t> by_key(index.size());
      for (uint32_t i = 0; i < index.size(); ++i) by_key[i] = i;
      std::sort(by_key.begin(), by_key.end(), [&](uint32_t a, uint32_t b) {
        return index.sort_key(a) < index.sort_key(b);
      });
      ranks_[level].resize(index.size());
      for (uint32_t rank = 0; rank < by_key.size(); ++rank) {
        ranks_[level][by_key[rank]] = rank;
      }
    }
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
  // Of a member at `level`, in code order (RankMembers).
  uint32_t rank(size_t level, uint32_t member) const {
    return ranks_[level][member];
  }
  const Group& total() const { return total_; }

 private:
  static bool IsEmpty(const CellAmount& amount) {
    return amount.fen == 0 && amount.lines == 0;
  }

  // Adds `cell` to the slot of the full group of `members` (one per
  // drilldown level) and of the grand total; AddSubtotals does the rest.
  absl::Status AddToGroups(const GroupKey& members, const CellAmount& cell,
                           Slot slot) {
    const size_t columns = query_.columns.size();
    // The empty drilldown has no group: its one row is the grand total.
    if (!members.empty()) {
      if (absl::Status s =
              AddCell(cell, CellOf(groups_[members], slot, columns));
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
    for (size_t i : key_filters_) {
      if (filters_[i].IndexOfKey(key) == MemberIndex::kDropped) return false;
    }
    return true;
  }

  const AggregateQuery& query_;
  std::vector<MemberIndex> levels_;   // One per drilldown level.
  std::vector<MemberIndex> filters_;  // One per cut.
  // The levels and cuts read off a fact's key, not where it was booked.
  std::vector<size_t> key_levels_;
  std::vector<size_t> key_filters_;
  absl::flat_hash_map<GroupKey, Group, GroupKeyHash> groups_;
  Group total_;
  std::vector<std::vector<uint32_t>> ranks_;  // Per level, per member.
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
// Compares member indices and the members' ranks: nothing is built per
// comparison.
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
      return grouper_.rank(level, a[level]) < grouper_.rank(level, b[level]);
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

// Sorts `groups` as RowLess does, faster when the order is kByKey: each
// group's member ranks (plus one; zero past a subtotal's last member) are
// packed into one integer, first level highest, where they fit, so that the
// sort compares integers.
void SortRows(const AggregateQuery& query, const Grouper& grouper,
              std::vector<const GroupEntry*>* groups) {
  std::vector<int> bits(query.drilldown.size());
  int total_bits = 0;
  for (size_t level = 0; level < bits.size(); ++level) {
    uint64_t largest = grouper.level(level).size();  // A rank plus one.
    while (largest >> bits[level]) ++bits[level];
    total_bits += bits[level];
  }
  if (query.order != RowOrder::kByKey || total_bits > 64) {
    std::sort(groups->begin(), groups->end(), RowLess(query, grouper));
    return;
  }
  std::vector<std::pair<uint64_t, const GroupEntry*>> keyed;
  keyed.reserve(groups->size());
  for (const GroupEntry* entry : *groups) {
    const GroupKey& members = entry->first;
    uint64_t key = 0;
    for (size_t level = 0; level < bits.size(); ++level) {
      key <<= bits[level];
      if (level < members.size()) {
        key |= grouper.rank(level, members[level]) + uint64_t{1};
      }
    }
    keyed.emplace_back(key, entry);
  }
  std::sort(keyed.begin(), keyed.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  for (size_t i = 0; i < keyed.size(); ++i) (*groups)[i] = keyed[i].second;
}

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

// Each level's members with their values and names, looked up once per
// aggregation; rows name them by index.
std::vector<AggregateLevel> LevelsOf(const AggregateQuery& query,
                                     const Grouper& grouper,
                                     const MemberNames& names) {
  std::vector<AggregateLevel> levels(query.drilldown.size());
  for (size_t level = 0; level < levels.size(); ++level) {
    const Dimension dimension = query.drilldown[level];
    const MemberIndex& index = grouper.level(level);
    levels[level].dimension = dimension;
    levels[level].members.reserve(index.size());
    for (uint32_t member = 0; member < index.size(); ++member) {
      const std::string& value = index.value(member);
      levels[level].members.push_back(
          {value, IsResidual(dimension, value)
                      ? kResidualName
                      : NameOf(dimension, value, names)});
    }
  }
  return levels;
}

AggregateRow RowOf(const AggregateQuery& query, const Grouper& grouper,
                   const GroupEntry& entry) {
  const GroupKey& members = entry.first;
  AggregateRow row;
  row.members = members;
  for (size_t level = 0; level < members.size(); ++level) {
    row.residual |= IsResidual(query.drilldown[level],
                               grouper.level(level).value(members[level]));
  }
  row.subtotal = members.size() < query.drilldown.size();
  row.masked = IsMasked(query, grouper, members);
  if (row.masked) return row;
  row.amount = entry.second.amount;
  row.prior = entry.second.prior;
  row.columns = entry.second.columns;
  row.columns.resize(query.columns.size());
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

  if (absl::Status s = grouper.AddSubtotals(); !s.ok()) return s;
  grouper.RankMembers();
  std::vector<const GroupEntry*> order = grouper.Groups();
  SortRows(query, grouper, &order);

  // Named as the tables of the year name them: its own edition's names.
  MemberNames names{&catalog.ForFiscalYear(query.fiscal_year),
                    &consolidator.tree(), &projects.names};
  AggregateResult result;
  result.levels = LevelsOf(query, grouper, names);
  result.rows.reserve(order.size());
  for (const GroupEntry* entry : order) {
    result.rows.push_back(RowOf(query, grouper, *entry));
  }
  result.grand_total.amount = grouper.total().amount;
  result.grand_total.prior = grouper.total().prior;
  result.grand_total.columns = grouper.total().columns;
  result.grand_total.columns.resize(query.columns.size());
  return result;
}

}  // namespace budget
