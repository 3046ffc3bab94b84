// A unit budget as the consolidation holds it: expenditure lines packed into
// 28 bytes each (interned codes and the amount; the few lines that carry
// more are kept whole beside them), the rest of the budget kept serialized. A
// 200-line budget held as a message costs ~50 KB; packed it is a few KB, and
// the rollup arithmetic reads packed keys without interning anything.
//
// Immutable once built; thread-safe for concurrent reads. Owns its data.
#ifndef BUDGET_CONSOLIDATION_PACKED_BUDGET_H_
#define BUDGET_CONSOLIDATION_PACKED_BUDGET_H_

#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "budget/consolidation/node_rollup.h"
#include "budget/consolidation/transfer.h"
#include "budget/v1/budget.pb.h"
#include "google/protobuf/repeated_ptr_field.h"

namespace budget {

// One expenditure line: its rollup key (project category and classified
// flag read from the declared project) and its amount. Whether it has a
// full form (a transfer, counterpart or memo) is the budget's to say.
struct PackedLine {
  PackedLine(const ExpenditureKey& line_key, int64_t fen) : key(line_key) {
    std::memcpy(amount_, &fen, sizeof(fen));
  }

  int64_t amount_fen() const {
    int64_t fen;
    std::memcpy(&fen, amount_, sizeof(fen));
    return fen;
  }

  ExpenditureKey key;

 private:
  // Two 4-byte words, not an int64_t: its 8-byte alignment would pad every
  // line to 32 bytes, and lines are most of what the query service holds.
  uint32_t amount_[2];
};
static_assert(sizeof(PackedLine) == 28, "a packed line is 28 bytes");

class PackedBudget {
 public:
  // Reads `budget`; copies none of its lines.
  explicit PackedBudget(const v1::UnitBudget& budget);

  // The budget serialized in `wire` (a budget.v1.UnitBudget), packed as
  // PackedBudget(parsed) would be but without building its plain lines as
  // messages: a query replica packs every budget it applies, and parsing
  // was half of that (docs/benchmarks.md, round 27). nullopt when `wire`
  // does not parse as a UnitBudget. Defined in packed_budget_wire.cc.
  static std::optional<PackedBudget> FromWire(absl::string_view wire);

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
  // Whether `line`, one of lines(), has its full form in full_lines().
  bool HasFullForm(const PackedLine& line) const {
    return !full_lines_.empty() && FullFormOf(line) != nullptr;
  }
  absl::Span<const v1::IncomeLine> income() const { return income_; }
  const v1::OtherDisclosures& other() const { return other_; }
  // Whether the budget states `other` at all (zeros are a statement).
  bool has_other() const { return has_other_; }

  // The transfer `line`, one of lines(), pays out; nullopt for a plain line.
  std::optional<TransferPair> TransferOf(const PackedLine& line) const;

 private:
  // One expenditure line as read, from a message or from the wire.
  struct LineFields {
    absl::string_view function_code;
    absl::string_view dept_economic_code;
    absl::string_view gov_economic_code;
    absl::string_view project_code;
    v1::FundingSource source = v1::FUNDING_SOURCE_UNSPECIFIED;
    v1::ExpenditureNature nature = v1::EXPENDITURE_NATURE_UNSPECIFIED;
    int64_t amount_fen = 0;
    // The line as a message when it carries what a PackedLine cannot (a
    // transfer, counterpart or memo); else null.
    const v1::ExpenditureLine* full = nullptr;
  };

  PackedBudget() = default;

  // Packs `lines` of the budget of `unit_code` that declares `projects`;
  // copies the full lines, not the strings.
  PackedBudget(absl::string_view unit_code, int32_t fiscal_year,
               absl::Span<const LineFields> lines,
               const google::protobuf::RepeatedPtrField<v1::Project>& projects);

  // Whether `line` carries what a PackedLine cannot.
  static bool NeedsFullLine(const v1::ExpenditureLine& line);
  // The fields of each expenditure line of `budget`, viewing into it.
  static std::vector<LineFields> FieldsOf(const v1::UnitBudget& budget);

  // The full form of `line`, one of lines(); nullptr for a plain line.
  const v1::ExpenditureLine* FullFormOf(const PackedLine& line) const;

  std::string unit_code_;
  int32_t fiscal_year_ = 0;
  std::vector<PackedLine> lines_;
  std::vector<v1::ExpenditureLine> full_lines_;
  // The index in lines_ of each of full_lines_, ascending.
  std::vector<uint32_t> full_line_index_;
  std::vector<v1::IncomeLine> income_;
  v1::OtherDisclosures other_;
  bool has_other_ = false;
  // Everything else (projects, goals, metadata), serialized.
  std::string rest_;
};

}  // namespace budget

#endif  // BUDGET_CONSOLIDATION_PACKED_BUDGET_H_
