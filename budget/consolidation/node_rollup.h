// The consolidated figures of one node and year: every line of every unit
// below the node, summed per combination of classifications, with transfers
// between two units below the node eliminated. Plain data, built by the
// Consolidator and read by the disclosure tables, summaries and queries.
#ifndef BUDGET_CONSOLIDATION_NODE_ROLLUP_H_
#define BUDGET_CONSOLIDATION_NODE_ROLLUP_H_

#include <cstdint>
#include <string>
#include <tuple>

#include "absl/container/btree_map.h"
#include "budget/v1/budget.pb.h"

namespace budget {

// Every classification of an expenditure line except the unit that booked
// it. Project category and the classified flag are copied from the declared
// project so that readers never need the project list to split or mask.
struct ExpenditureKey {
  std::string function_code;       // 7 digits (项).
  std::string dept_economic_code;  // 5 digits (款).
  std::string gov_economic_code;   // 5 digits (款).
  v1::FundingSource source = v1::FUNDING_SOURCE_UNSPECIFIED;
  v1::ExpenditureNature nature = v1::EXPENDITURE_NATURE_UNSPECIFIED;
  std::string project_code;  // "" for basic lines.
  v1::ProjectCategory project_category = v1::PROJECT_CATEGORY_UNSPECIFIED;
  bool project_classified = false;

  auto Tie() const {
    return std::tie(function_code, dept_economic_code, gov_economic_code,
                    source, nature, project_code, project_category,
                    project_classified);
  }
  friend bool operator<(const ExpenditureKey& a, const ExpenditureKey& b) {
    return a.Tie() < b.Tie();
  }
  friend bool operator==(const ExpenditureKey& a, const ExpenditureKey& b) {
    return a.Tie() == b.Tie();
  }
};

// An amount and how many lines it sums.
struct CellAmount {
  int64_t fen = 0;
  int64_t lines = 0;
};

struct NodeRollup {
  // Expenditure cells; a cell whose lines all went away is erased.
  absl::btree_map<ExpenditureKey, CellAmount> expenditure;
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
