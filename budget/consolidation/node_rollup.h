// The consolidated figures of one node and year: every line of every unit
// below the node, summed per combination of classifications, with transfers
// between two units below the node eliminated. Plain data, built by the
// Consolidator and read by the disclosure tables, summaries and queries.
#ifndef BUDGET_CONSOLIDATION_NODE_ROLLUP_H_
#define BUDGET_CONSOLIDATION_NODE_ROLLUP_H_

#include <cstdint>
#include <string>
#include <tuple>
#include <utility>

#include "absl/container/btree_map.h"
#include "absl/container/flat_hash_map.h"
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

  // The interned codes, for readers that group many keys: equal codes are
  // equal ids.
  Code function() const { return function_; }
  Code dept_economic() const { return dept_economic_; }
  Code gov_economic() const { return gov_economic_; }
  Code project() const { return project_; }

  friend bool operator==(const ExpenditureKey& a, const ExpenditureKey& b) {
    return a.Tie() == b.Tie();
  }
  template <typename H>
  friend H AbslHashValue(H h, const ExpenditureKey& key) {
    return H::combine(std::move(h), key.Tie());
  }

 private:
  std::tuple<uint32_t, uint32_t, uint32_t, uint32_t, uint8_t, uint8_t, uint8_t,
             bool>
  Tie() const {
    return std::make_tuple(function_.id(), dept_economic_.id(),
                           gov_economic_.id(), project_.id(), source_, nature_,
                           project_category_, project_classified_);
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

struct NodeRollup {
  // Expenditure cells, in no particular order; a cell whose lines all went
  // away is erased.
  absl::flat_hash_map<ExpenditureKey, CellAmount> expenditure;
  // Income per funding source; zero entries are erased.
  absl::btree_map<v1::FundingSource, int64_t> income;
  // Stated figures, summed over units.
  v1::OtherDisclosures other;
  // Totals of the maps above, kept in step with them.
  int64_t expenditure_fen = 0;
  int64_t income_fen = 0;
  // Number of units below the node (itself included) with a budget.
  int64_t budget_count = 0;
};

}  // namespace budget

#endif  // BUDGET_CONSOLIDATION_NODE_ROLLUP_H_
