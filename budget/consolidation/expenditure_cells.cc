#include "budget/consolidation/expenditure_cells.h"

#include <algorithm>
#include <utility>
#include <vector>

namespace budget {
namespace {

void (*compacted_hook)() = nullptr;

}  // namespace

void ExpenditureCells::SetCompactedHookForTesting(void (*hook)()) {
  compacted_hook = hook;
}

size_t ExpenditureCells::IndexOf(const ExpenditureKey& key) const {
  auto fence = std::upper_bound(fences_.begin(), fences_.end(), key);
  if (fence == fences_.begin()) return keys_.size();  // Below every key.
  const size_t first = (fence - fences_.begin() - 1) * kFenceStride;
  auto begin = keys_.begin() + first;
  auto end = keys_.begin() + std::min(first + kFenceStride, keys_.size());
  auto it = std::lower_bound(begin, end, key);
  return it != end && *it == key ? it - keys_.begin() : keys_.size();
}

CellAmount& ExpenditureCells::Revived(size_t i) {
  if (IsErased(amounts_[i])) {
    amounts_[i] = CellAmount();
    --erased_;
  }
  return amounts_[i];
}

CellAmount& ExpenditureCells::operator[](const ExpenditureKey& key) {
  ++writes_;
  if (size_t i = IndexOf(key); i < keys_.size()) return Revived(i);
  return recent_[key];
}

void ExpenditureCells::Add(const ExpenditureKey& key, const CellAmount& delta) {
  ++writes_;
  if (size_t i = IndexOf(key); i < keys_.size()) {
    CellAmount& cell = Revived(i);
    cell.fen += delta.fen;
    cell.lines += delta.lines;
    if (cell.lines == 0) {
      cell.fen = kErasedFen;
      ++erased_;
    }
    return;
  }
  auto it = recent_.try_emplace(key).first;
  it->second.fen += delta.fen;
  it->second.lines += delta.lines;
  if (it->second.lines == 0) recent_.erase(it);
}

const CellAmount* ExpenditureCells::Find(const ExpenditureKey& key) const {
  if (size_t i = IndexOf(key); i < keys_.size()) {
    return IsErased(amounts_[i]) ? nullptr : &amounts_[i];
  }
  auto it = recent_.find(key);
  return it == recent_.end() ? nullptr : &it->second;
}

bool ExpenditureCells::CompactionDue() const {
  // Erased cells take room until a compaction drops them.
  return (recent_.size() >= kMinRecent && recent_.size() >= keys_.size() / 8) ||
         (erased_ >= kMinRecent && erased_ >= keys_.size() / 4);
}

void ExpenditureCells::CompactIfDue() {
  if (!CompactionDue()) return;
  Compaction compaction = Compacted();
  Install(compaction);
}

ExpenditureCells::Compaction ExpenditureCells::Compacted() const {
  if (compacted_hook != nullptr) compacted_hook();
  Compaction compaction;
  compaction.built_from = this;
  compaction.built_at = writes_;
  std::vector<std::pair<ExpenditureKey, CellAmount>> recent(recent_.begin(),
                                                            recent_.end());
  std::sort(recent.begin(), recent.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  // Sized exactly: a compacted rollup keeps no spare capacity.
  const size_t cells = keys_.size() - erased_ + recent.size();
  std::vector<ExpenditureKey>& keys = compaction.keys;
  std::vector<CellAmount>& amounts = compaction.amounts;
  keys.reserve(cells);
  amounts.reserve(cells);
  auto next = recent.begin();
  for (size_t i = 0; i < keys_.size(); ++i) {
    if (IsErased(amounts_[i])) continue;
    // Keys are in one part only, so the two never tie.
    for (; next != recent.end() && next->first < keys_[i]; ++next) {
      keys.push_back(next->first);
      amounts.push_back(next->second);
    }
    keys.push_back(keys_[i]);
    amounts.push_back(amounts_[i]);
  }
  for (; next != recent.end(); ++next) {
    keys.push_back(next->first);
    amounts.push_back(next->second);
  }
  compaction.fences.reserve((keys.size() + kFenceStride - 1) / kFenceStride);
  for (size_t i = 0; i < keys.size(); i += kFenceStride) {
    compaction.fences.push_back(keys[i]);
  }
  return compaction;
}

bool ExpenditureCells::Install(Compaction& compaction) {
  if (compaction.built_from != this || compaction.built_at != writes_) {
    return false;
  }
  ++writes_;
  keys_.swap(compaction.keys);
  amounts_.swap(compaction.amounts);
  fences_.swap(compaction.fences);
  // An empty map in, the full one out: clear() would keep a large map's
  // table, and freeing it is the caller's (off its lock).
  recent_.swap(compaction.recent);
  erased_ = 0;
  return true;
}

}  // namespace budget
