// A unit budget as the consolidation holds it: expenditure lines packed into
// 32 bytes each (interned codes, the amount, and an index into the few lines
// that carry more), the rest of the budget kept serialized. A 200-line budget
// held as a message costs ~50 KB; packed it is a few KB, and the rollup
// arithmetic reads packed keys without interning anything.
//
// Immutable once built; thread-safe for concurrent reads. Owns its data.
#ifndef BUDGET_CONSOLIDATION_PACKED_BUDGET_H_
#define BUDGET_CONSOLIDATION_PACKED_BUDGET_H_

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "budget/consolidation/node_rollup.h"
#include "budget/consolidation/transfer.h"
#include "budget/v1/budget.pb.h"

namespace budget {

// One expenditure line: its rollup key (project category and classified
// flag read from the declared project), its amount and, for a line with a
// transfer, counterpart or memo, where its full form is kept.
struct PackedLine {
  static constexpr uint32_t kPlain = std::numeric_limits<uint32_t>::max();

  ExpenditureKey key;
  uint32_t full = kPlain;  // Index into PackedBudget::full_lines().
  int64_t amount_fen = 0;
};

class PackedBudget {
 public:
  // Reads `budget`; copies none of its lines.
  explicit PackedBudget(const v1::UnitBudget& budget);

  // The budget as submitted: every field, lines in their order.
  v1::UnitBudget Unpack() const;
  // Everything but the expenditure and income lines and the stated figures:
  // projects, goals and the rest, cheaper than Unpack.
  v1::UnitBudget UnpackParticulars() const;

  // The same budget with every transfer naming `counterpart` as counterpart
  // read as naming none (how such lines counted while the code was unknown).
  PackedBudget WithoutCounterpart(absl::string_view counterpart) const;

  const std::string& unit_code() const { return unit_code_; }
  int32_t fiscal_year() const { return fiscal_year_; }
  absl::Span<const PackedLine> lines() const { return lines_; }
  // Lines whose transfer, counterpart or memo a PackedLine cannot carry.
  absl::Span<const v1::ExpenditureLine> full_lines() const {
    return full_lines_;
  }
  absl::Span<const v1::IncomeLine> income() const { return income_; }
  const v1::OtherDisclosures& other() const { return other_; }

  // The transfer `line` pays out; nullopt for a plain line.
  std::optional<TransferPair> TransferOf(const PackedLine& line) const;

 private:
  PackedBudget() = default;

  std::string unit_code_;
  int32_t fiscal_year_ = 0;
  std::vector<PackedLine> lines_;
  std::vector<v1::ExpenditureLine> full_lines_;
  std::vector<v1::IncomeLine> income_;
  v1::OtherDisclosures other_;
  bool has_other_ = false;
  // Everything else (projects, goals, metadata), serialized.
  std::string rest_;
};

}  // namespace budget

#endif  // BUDGET_CONSOLIDATION_PACKED_BUDGET_H_
