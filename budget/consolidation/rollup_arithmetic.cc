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

absl::StatusOr<NodeRollup> PlanChange(const NodeRollup& current,
                                      const NodeRollup& change) {
  NodeRollup plan;
  for (const auto& [key, delta] : change.expenditure) {
    CellAmount base;
    if (auto it = current.expenditure.find(key);
        it != current.expenditure.end()) {
      base = it->second;
    }
    absl::StatusOr<int64_t> fen = CheckedAdd(base.fen, delta.fen);
    absl::StatusOr<int64_t> lines = CheckedAdd(base.lines, delta.lines);
    if (!fen.ok()) return fen.status();
    if (!lines.ok()) return lines.status();
    plan.expenditure.emplace(key, CellAmount{*fen, *lines});
  }
  for (const auto& [source, delta] : change.income) {
    auto it = current.income.find(source);
    absl::StatusOr<int64_t> fen =
        CheckedAdd(it == current.income.end() ? 0 : it->second, delta);
    if (!fen.ok()) return fen.status();
    plan.income.emplace(source, *fen);
  }
  plan.other = current.other;
  if (absl::Status s = AccumulateDisclosures(change.other, +1, &plan.other);
      !s.ok()) {
    return s;
  }
  absl::StatusOr<int64_t> expenditure_fen =
      CheckedAdd(current.expenditure_fen, change.expenditure_fen);
  absl::StatusOr<int64_t> income_fen =
      CheckedAdd(current.income_fen, change.income_fen);
  if (!expenditure_fen.ok()) return expenditure_fen.status();
  if (!income_fen.ok()) return income_fen.status();
  plan.expenditure_fen = *expenditure_fen;
  plan.income_fen = *income_fen;
  plan.budget_count = current.budget_count + change.budget_count;
  return plan;
}

void CommitPlan(NodeRollup plan, NodeRollup* rollup) {
  for (auto& [key, cell] : plan.expenditure) {
    if (cell.lines == 0) {
      rollup->expenditure.erase(key);
    } else {
      rollup->expenditure[key] = cell;
    }
  }
  for (const auto& [source, fen] : plan.income) {
    if (fen == 0) {
      rollup->income.erase(source);
    } else {
      rollup->income[source] = fen;
    }
  }
  rollup->other = std::move(plan.other);
  rollup->expenditure_fen = plan.expenditure_fen;
  rollup->income_fen = plan.income_fen;
  rollup->budget_count = plan.budget_count;
}

}  // namespace budget
