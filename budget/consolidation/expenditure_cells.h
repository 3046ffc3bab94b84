// The expenditure cells of a NodeRollup: an amount and a line count per
// ExpenditureKey.
//
// The departments' held rollups are most of what the query service holds
// besides the packed lines, and they are written a budget at a time (a few
// hundred cells) but read and kept whole. So the cells are kept in two
// parts: a compacted part, sorted arrays of keys and amounts (37 bytes a
// cell with a look-up index, none spare), and a hash map of the cells added
// since the last compaction (~60-90 bytes a cell). The writer folds the map
// into the arrays once it passes an eighth of them (CompactionDue), so a held
// rollup costs ~40 bytes a cell where a hash map alone cost ~60 (it runs
// between 7/16 and 7/8 full). A fold copies every cell (~140 ms at 300,000),
// so it can be built apart from the cells, while readers read them, and
// swapped in in O(1) (Compacted, Install): a writer that holds readers off
// with a lock holds it only for the swap.
// Cells that only ever go through operator[] (a change being built, a
// scratch sum) stay in the map: they are built once and dropped.
//
// Iteration visits every cell once, in no particular order; a cell that
// Add left without lines is erased, as in a map. Copyable (a copy
// is independent). Thread-compatible: const methods may run concurrently.
#ifndef BUDGET_CONSOLIDATION_EXPENDITURE_CELLS_H_
#define BUDGET_CONSOLIDATION_EXPENDITURE_CELLS_H_

#include <cstddef>
#include <cstdint>
#include <iterator>
#include <limits>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "budget/consolidation/expenditure_key.h"

namespace budget {

class ExpenditureCells {
 public:
  // A cell as iteration yields it, by reference into the container.
  using value_type = std::pair<const ExpenditureKey&, const CellAmount&>;

  class const_iterator {
   public:
    using iterator_category = std::forward_iterator_tag;
    using value_type = ExpenditureCells::value_type;
    using difference_type = std::ptrdiff_t;
    using reference = value_type;
    using pointer = void;

    reference operator*() const {
      if (index_ < cells_->keys_.size()) {
        return {cells_->keys_[index_], cells_->amounts_[index_]};
      }
      return {recent_->first, recent_->second};
    }
    const_iterator& operator++() {
      if (index_ < cells_->keys_.size()) {
        ++index_;
        SkipErased();
      } else {
        ++recent_;
      }
      return *this;
    }
    friend bool operator==(const const_iterator& a, const const_iterator& b) {
      return a.index_ == b.index_ && a.recent_ == b.recent_;
    }
    friend bool operator!=(const const_iterator& a, const const_iterator& b) {
      return !(a == b);
    }

   private:
    friend class ExpenditureCells;
    using RecentIterator =
        absl::flat_hash_map<ExpenditureKey, CellAmount>::const_iterator;

    const_iterator(const ExpenditureCells* cells, size_t index,
                   RecentIterator recent)
        : cells_(cells), index_(index), recent_(recent) {
      SkipErased();
    }
    void SkipErased() {
      while (index_ < cells_->keys_.size() &&
             IsErased(cells_->amounts_[index_])) {
        ++index_;
      }
    }

    const ExpenditureCells* cells_;
    size_t index_;           // Into the compacted part, then its size.
    RecentIterator recent_;  // Then into the recent cells.
  };

  // The cell of `key`, created at zero when absent, as in a map: a cell
  // left at zero stays. The reference is valid until the next call that
  // adds a cell. For building sums cell by cell (changes, scratch sums),
  // which are never compacted.
  CellAmount& operator[](const ExpenditureKey& key);

  // Adds `delta` to the cell of `key` (created when absent) and erases the
  // cell when it is left without lines. How held rollups are written. Never
  // compacts: the writer does, when CompactionDue (CompactIfDue, or
  // Compacted and Install to build the arrays off a lock).
  void Add(const ExpenditureKey& key, const CellAmount& delta);

  // The cell of `key`; nullptr when there is none.
  const CellAmount* Find(const ExpenditureKey& key) const;

  // Starts loading what adding or finding `key` among the recent cells
  // reads: a caller adding many cells prefetches a few ahead, so that their
  // cache misses (a large rollup's table is far larger than the cache)
  // overlap instead of following one another. Changes nothing.
  void Prefetch(const ExpenditureKey& key) const { recent_.prefetch(key); }

  // Whether the cells are due a compaction: the recent cells past an eighth
  // of the arrays, or the erased ones past a quarter (small rollups stay a
  // hash map).
  bool CompactionDue() const;

  // Compacts when due, in place. Invalidates iterators and references when
  // it compacts.
  void CompactIfDue();

  // The compacted part built apart from the cells (Compacted), to be
  // swapped in by Install. Move-only; after Install it holds the replaced
  // arrays, freed when it is destroyed.
  class Compaction {
   public:
    Compaction(Compaction&&) = default;
    Compaction& operator=(Compaction&&) = default;

   private:
    friend class ExpenditureCells;
    Compaction() = default;
    std::vector<ExpenditureKey> keys;
    std::vector<CellAmount> amounts;
    std::vector<ExpenditureKey> fences;
    absl::flat_hash_map<ExpenditureKey, CellAmount> recent;
    // The cells it was built from, and their writes_ then.
    const ExpenditureCells* built_from = nullptr;
    uint64_t built_at = 0;
  };
  // The cells compacted, built without changing them: time proportional to
  // the cells, so that a writer holding readers off with a lock builds it
  // before taking the lock, while readers go on reading these cells.
  Compaction Compacted() const;
  // Swaps `compaction` in, O(1): the cells then hold the same cells,
  // compacted, and `compaction` the arrays replaced. Returns false, and
  // changes nothing, when it was built from other cells or these were
  // written since.
  // Invalidates iterators and references when it installs.
  bool Install(Compaction& compaction);

  // Called inside every Compacted, where the arrays are built, for tests
  // that check who waits on a compaction (null: nothing). Set before the
  // threads that compact start.
  static void SetCompactedHookForTesting(void (*hook)());

  size_t size() const { return keys_.size() - erased_ + recent_.size(); }
  bool empty() const { return size() == 0; }
  // Room for `cells` recent cells without rehashing.
  void reserve(size_t cells) { recent_.reserve(cells); }

  const_iterator begin() const { return {this, 0, recent_.begin()}; }
  const_iterator end() const { return {this, keys_.size(), recent_.end()}; }

 private:
  // Below this many recent cells a rollup is not compacted: small rollups
  // stay a small hash map.
  static constexpr size_t kMinRecent = 64;
  // Every kFenceStride-th compacted key is copied to fences_, small enough
  // to stay in cache, so that a look-up searches them first and then one
  // short run of keys_ instead of missing the cache all the way down.
  static constexpr size_t kFenceStride = 32;

  // How an erased cell of the compacted part is marked: no lines and a sum
  // no cell of a rollup reaches (held sums are never negative).
  static constexpr int64_t kErasedFen = std::numeric_limits<int64_t>::min();
  static bool IsErased(const CellAmount& cell) {
    return cell.lines == 0 && cell.fen == kErasedFen;
  }

  // Index of `key` in the compacted part (erased or not); keys_.size() when
  // absent.
  size_t IndexOf(const ExpenditureKey& key) const;
  // The compacted cell at `i`, at zero if it was erased.
  CellAmount& Revived(size_t i);

  // The compacted part: sorted keys, their amounts at the same index.
  // Erased cells (IsErased) stay until the next compaction.
  std::vector<ExpenditureKey> keys_;
  std::vector<CellAmount> amounts_;
  std::vector<ExpenditureKey> fences_;  // keys_[0], keys_[kFenceStride], ...
  size_t erased_ = 0;
  // Cells whose keys are not in keys_.
  absl::flat_hash_map<ExpenditureKey, CellAmount> recent_;
  // Counts the calls that may change a cell, so that Install can tell a
  // Compaction built from older cells.
  uint64_t writes_ = 0;
};

}  // namespace budget

#endif  // BUDGET_CONSOLIDATION_EXPENDITURE_CELLS_H_
