// Spending a unit pays for with money moved inside a node (上级补助收入 from
// its superior, 附属单位上缴收入 from a subordinate), read at that node under
// the sources the payer paid the money from.
//
// At a node that holds both sides of such a transfer, consolidation
// eliminates the payer's 对附属单位补助支出 (or 上缴上级支出) and the
// receiver's income, as tables 01 and 02 show. The receiver's own spending
// of the money is real and stays; left with its label, the node would spend
// 上级补助收入 that it does not receive and less of the payer's sources than
// it does, and the spending by source would not add up to the income by
// source. So each such line of the receiver is split: of every fen, the
// share t/D goes to the payer's source, where t is what the transfers from
// inside the node paid from that source and D the larger of what the
// receiver states as that income and the sum of those transfers. What is
// left (money from outside the node) keeps its label. Fen are shared out by
// largest remainder, so a line's total never changes.
//
// One hop only: money the payer itself received as an internal transfer is
// read under that source's label.
//
// Immutable once built; thread-safe for concurrent reads. InternalFunding
// holds no pointer to the budgets it read; NodeInternalFunding shares them.
#ifndef BUDGET_CONSOLIDATION_INTERNAL_FUNDING_H_
#define BUDGET_CONSOLIDATION_INTERNAL_FUNDING_H_

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/btree_map.h"
#include "absl/container/flat_hash_map.h"
#include "absl/functional/function_ref.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "budget/consolidation/consolidator.h"
#include "budget/consolidation/expenditure_cells.h"
#include "budget/consolidation/expenditure_key.h"
#include "budget/consolidation/node_rollup.h"
#include "budget/consolidation/packed_budget.h"
#include "budget/v1/budget.pb.h"

namespace budget {

class InternalFunding {
 public:
  // Reads the transfers among `budgets`: the budgets of the units at or
  // below one node, for one year (null entries are skipped).
  explicit InternalFunding(absl::Span<const PackedBudget* const> budgets);

  // Whether no line is relabelled: no transfer between two of the units.
  bool empty() const { return received_.empty(); }

  // Moves the spending of `budget`, one of the budgets read, from the label
  // of its internal income to the payers' sources, by calls of `add` with
  // a cell and what to add to it: per line, minus the part moved under its
  // key, plus each share under the key with the payer's source. A line
  // still counts once, so that line counts add up in any grouping: where
  // part of it keeps its label, there (no line added); else under its
  // largest share (one line less under the label, one more there; the
  // other shares add none). Keys keep their project code when
  // `keep_project`, else drop it, as held rollups keep them. The amounts
  // only move between cells of the node's lines, so applied to those cells
  // nothing can overflow.
  void Relabel(const PackedBudget& budget, bool keep_project,
               absl::FunctionRef<void(const ExpenditureKey&, const CellAmount&)>
                   add) const;

  // Relabel applied to `cells`, which hold the budget's lines as counted at
  // the node, by ExpenditureCells::Add. A cell there lives while it has
  // lines, so each share counts as a line of its cell: their line counts
  // no longer add up to the budget's lines (tables print none).
  void RelabelCells(const PackedBudget& budget, bool keep_project,
                    ExpenditureCells* cells) const;

 private:
  // What one unit received as one internal source.
  struct Received {
    // The payers' transfers from inside the node, by the payer's source.
    absl::btree_map<v1::FundingSource, int64_t> paid_from;
    int64_t paid_fen = 0;    // Their sum.
    int64_t stated_fen = 0;  // The receiver's income of the source.
    // Each fen's shares, set once all is read: the payers' sources, in
    // paid_from's order, and their weights, then the weight of the rest
    // (money from outside the node, when the receiver states more).
    std::vector<v1::FundingSource> sources;
    std::vector<int64_t> weights;
  };
  // By receiving unit and the source its income and spending are labelled.
  absl::flat_hash_map<std::pair<std::string, v1::FundingSource>, Received>
      received_;
};

// The transfers inside one node for one year, as the Consolidator holds
// them: the budgets of the units on both sides of one
// (Consolidator::UnitsTransferringWithin), the only budgets InternalFunding
// has anything to read or relabel, and their InternalFunding.
struct NodeInternalFunding {
  static NodeInternalFunding Read(const Consolidator& consolidator,
                                  absl::string_view node_code, int32_t year);

  // `rollup`, the node's held rollup, with every budget relabelled
  // (RelabelCells); `rollup` itself when nothing moves. A node with a
  // transfer inside has children, so its rollup keeps no project code.
  std::shared_ptr<const NodeRollup> Relabelled(
      std::shared_ptr<const NodeRollup> rollup) const;

  std::vector<std::shared_ptr<const PackedBudget>> budgets;
  InternalFunding funding;
};

}  // namespace budget

#endif  // BUDGET_CONSOLIDATION_INTERNAL_FUNDING_H_
