// The classifications an expenditure cell is summed by, and what a cell
// holds. Plain data; see NodeRollup.
#ifndef BUDGET_CONSOLIDATION_EXPENDITURE_KEY_H_
#define BUDGET_CONSOLIDATION_EXPENDITURE_KEY_H_

#include <cstdint>
#include <tuple>
#include <utility>

#include "absl/strings/string_view.h"
#include "budget/consolidation/code_pool.h"
#include "budget/v1/budget.pb.h"

namespace budget {

// Every classification of an expenditure line except the unit that booked
// it. Project category and the classified flag are copied from the declared
// project so that readers never need the project list to split or mask.
//
// Codes are interned and enums narrowed to a byte, so a key is 20 bytes and
// compares and hashes as integers: rollup cells are the bulk of what the
// services hold and update.
class ExpenditureKey {
 public:
  ExpenditureKey() = default;
  ExpenditureKey(Code function_code, Code dept_economic_code,
                 Code gov_economic_code, v1::FundingSource source,
                 v1::ExpenditureNature nature, Code project_code,
                 v1::ProjectCategory project_category, bool project_classified)
      : function_(function_code),
        dept_economic_(dept_economic_code),
        gov_economic_(gov_economic_code),
        project_(project_code),
        source_(static_cast<uint8_t>(source)),
        nature_(static_cast<uint8_t>(nature)),
        project_category_(static_cast<uint8_t>(project_category)),
        project_classified_(project_classified) {}

  absl::string_view function_code() const { return function_.view(); }  // 项.
  absl::string_view dept_economic_code() const {                        // 款.
    return dept_economic_.view();
  }
  absl::string_view gov_economic_code() const {  // 款.
    return gov_economic_.view();
  }
  absl::string_view project_code() const {  // "" for basic lines.
    return project_.view();
  }
  v1::FundingSource source() const {
    return static_cast<v1::FundingSource>(source_);
  }
  v1::ExpenditureNature nature() const {
    return static_cast<v1::ExpenditureNature>(nature_);
  }
  v1::ProjectCategory project_category() const {
    return static_cast<v1::ProjectCategory>(project_category_);
  }
  bool project_classified() const { return project_classified_; }

  // The same key with no project code: how held rollups keep a cell (see
  // ProjectDetail). Category and the classified flag stay.
  ExpenditureKey WithoutProject() const {
    ExpenditureKey key = *this;
    key.project_ = Code();
    return key;
  }

  // The same key paid from `source` (see InternalFunding).
  ExpenditureKey WithSource(v1::FundingSource source) const {
    ExpenditureKey key = *this;
    key.source_ = static_cast<uint8_t>(source);
    return key;
  }

  // The interned codes, for readers that group many keys: equal codes are
  // equal ids.
  Code function() const { return function_; }
  Code dept_economic() const { return dept_economic_; }
  Code gov_economic() const { return gov_economic_; }
  Code project() const { return project_; }

  // Equality and hashing read the three words of Ordinal, not the eight
  // fields: every held rollup's cell is found by hash at each line applied.
  friend bool operator==(const ExpenditureKey& a, const ExpenditureKey& b) {
    return a.Ordinal() == b.Ordinal();
  }
  // An arbitrary total order (by code id, not by code text), for the
  // sorted part of ExpenditureCells: three integer comparisons, not eight.
  friend bool operator<(const ExpenditureKey& a, const ExpenditureKey& b) {
    return a.Ordinal() < b.Ordinal();
  }
  template <typename H>
  friend H AbslHashValue(H h, const ExpenditureKey& key) {
    return H::combine(std::move(h), key.Ordinal());
  }

 private:
  // Every field, packed losslessly into three words.
  std::tuple<uint64_t, uint64_t, uint32_t> Ordinal() const {
    return {uint64_t{function_.id()} << 32 | dept_economic_.id(),
            uint64_t{gov_economic_.id()} << 32 | project_.id(),
            uint32_t{source_} << 24 | uint32_t{nature_} << 16 |
                uint32_t{project_category_} << 8 |
                uint32_t{project_classified_}};
  }
  Code function_;
  Code dept_economic_;
  Code gov_economic_;
  Code project_;
  // The enums' values all fit a byte (budget.proto numbers them below 100).
  uint8_t source_ = 0;
  uint8_t nature_ = 0;
  uint8_t project_category_ = 0;
  bool project_classified_ = false;
};

// An amount and how many lines it sums.
struct CellAmount {
  int64_t fen = 0;
  int64_t lines = 0;
};

}  // namespace budget

#endif  // BUDGET_CONSOLIDATION_EXPENDITURE_KEY_H_
