#include "budget/consolidation/rollup_arithmetic.h"

#include <cstdint>
#include <limits>
#include <utility>

#include "absl/strings/str_cat.h"
#include "budget/money.h"
#include "google/protobuf/descriptor.h"

namespace budget {

using ::google::protobuf::FieldDescriptor;

absl::Status AccumulateDisclosures(const v1::OtherDisclosures& b, int sign,
                                   v1::OtherDisclosures* a) {
  // Reflection, so that a figure added to OtherDisclosures is summed without
  // anyone remembering to list it here.
  const auto* descriptor = v1::OtherDisclosures::descriptor();
  const auto* reflection = v1::OtherDisclosures::GetReflection();
  for (int i = 0; i < descriptor->field_count(); ++i) {
    const FieldDescriptor* field = descriptor->field(i);
    switch (field->cpp_type()) {
      case FieldDescriptor::CPPTYPE_INT64: {
        int64_t other = reflection->GetInt64(b, field);
        absl::StatusOr<int64_t> sum =
            sign > 0 ? CheckedAdd(reflection->GetInt64(*a, field), other)
                     : CheckedSub(reflection->GetInt64(*a, field), other);
        if (!sum.ok()) {
          return absl::OutOfRangeError(
              absl::StrCat("other.", field->name(), " overflows"));
        }
        reflection->SetInt64(a, field, *sum);
        break;
      }
      case FieldDescriptor::CPPTYPE_INT32: {
        int64_t sum = int64_t{reflection->GetInt32(*a, field)} +
                      sign * int64_t{reflection->GetInt32(b, field)};
        if (sum < std::numeric_limits<int32_t>::min() ||
            sum > std::numeric_limits<int32_t>::max()) {
          return absl::OutOfRangeError(
              absl::StrCat("other.", field->name(), " overflows"));
        }
        reflection->SetInt32(a, field, static_cast<int32_t>(sum));
        break;
      }
      default:
        return absl::InternalError(absl::StrCat(
            "other.", field->name(), " is not a count and cannot be summed"));
    }
  }
  return absl::OkStatus();
}

namespace {

// Each expenditure cell of `current` plus its change, without overflow.
absl::Status CheckCells(const NodeRollup& current, const NodeRollup& change) {
  for (const auto& [key, delta] : change.expenditure) {
    CellAmount base;
    if (const CellAmount* cell = current.expenditure.Find(key)) base = *cell;
    if (absl::Status s = CheckedAdd(base.fen, delta.fen).status(); !s.ok()) {
      return s;
    }
    if (absl::Status s = CheckedAdd(base.lines, delta.lines).status();
        !s.ok()) {
      return s;
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status CheckChange(const NodeRollup& current, const NodeRollup& change) {
  // A cell sums non-negative amounts (a negative one is refused on the
  // way in), so no cell exceeds its node's total: when the new total fits,
  // every cell does, and the look-up of each (a third of a cold start's
  // consolidating) is skipped. Otherwise the cells are checked first, so
  // the error names the same figure as before.
  if (!CheckedAdd(current.expenditure_fen, change.expenditure_fen).ok()) {
    if (absl::Status s = CheckCells(current, change); !s.ok()) return s;
  }
  for (const auto& [source, delta] : change.income) {
    auto it = current.income.find(source);
    if (absl::Status s =
            CheckedAdd(it == current.income.end() ? 0 : it->second, delta)
                .status();
        !s.ok()) {
      return s;
    }
  }
  v1::OtherDisclosures other = current.other;
  if (absl::Status s = AccumulateDisclosures(change.other, +1, &other);
      !s.ok()) {
    return s;
  }
  for (auto [total, delta] :
       {std::pair{current.expenditure_fen, change.expenditure_fen},
        std::pair{current.income_fen, change.income_fen},
        std::pair{current.budget_count, change.budget_count}}) {
    if (absl::Status s = CheckedAdd(total, delta).status(); !s.ok()) return s;
  }
  return absl::OkStatus();
}

namespace {

// Adds each (key, delta) of `cells` to `rollup`'s cells. A held rollup's
// cells miss the cache (a region's hold ~200,000 at L): the look-ups of the
// next few cells are started before each Add, so that their misses
// overlap. Most of a cold start's applying thread was these.
template <typename Cells>
void AddCells(const Cells& cells, NodeRollup* rollup) {
  constexpr int kPrefetchAhead = 8;
  auto ahead = cells.begin();
  const auto end = cells.end();
  for (int i = 0; i < kPrefetchAhead && ahead != end; ++i, ++ahead) {
    rollup->expenditure.Prefetch((*ahead).first);
  }
  for (const auto& [key, delta] : cells) {
    if (ahead != end) {
      rollup->expenditure.Prefetch((*ahead).first);
      ++ahead;
    }
    rollup->expenditure.Add(key, delta);
  }
}

}  // namespace

void CommitCells(absl::Span<const std::pair<ExpenditureKey, CellAmount>> cells,
                 NodeRollup* rollup) {
  AddCells(cells, rollup);
}

void CommitChange(const NodeRollup& change, NodeRollup* rollup) {
  AddCells(change.expenditure, rollup);
  for (const auto& [source, delta] : change.income) {
    auto [entry, added] = rollup->income.try_emplace(source, 0);
    entry->second += delta;
    if (entry->second == 0) rollup->income.erase(entry);
  }
  // Checked by CheckChange.
  AccumulateDisclosures(change.other, +1, &rollup->other).IgnoreError();
  rollup->expenditure_fen += change.expenditure_fen;
  rollup->income_fen += change.income_fen;
  rollup->budget_count += change.budget_count;
}

}  // namespace budget
