// Unit registration of the Ingestor (ingestor.h), group-committed: every
// registration in flight while a transaction is being stored waits for the
// next one, which stores them together (one sync for all, like submissions)
// instead of one transaction and its sync per unit.
//
// No thread of its own: the first caller to find no batch being registered
// leads, registers everything queued, and hands over to the callers still
// waiting. The tree is checked under a shared lock and grown under the
// exclusive one after the store has the units, so submissions are not held
// up while a batch syncs; only a leader grows the tree.
#include <utility>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "ingest_service/ingestor.h"

namespace ingest {
namespace {

// Units one registration transaction stores at most; the rest wait for the
// next. Bounds a transaction's size and how long the callers of a batch
// wait for it.
constexpr size_t kMaxUnitsPerTransaction = 1000;

}  // namespace

absl::StatusOr<budget::v1::Unit> Ingestor::RegisterUnit(
    const budget::v1::Unit& unit) {
  PendingUnit mine;
  mine.unit = &unit;
  absl::MutexLock lock(&register_mu_);
  register_queue_.push_back(&mine);
  while (!mine.done) {
    if (registering_) {
      register_mu_.Await(absl::Condition(
          +[](bool* registering) { return !*registering; }, &registering_));
      continue;
    }
    registering_ = true;
    std::vector<PendingUnit*> batch;
    batch.swap(register_queue_);
    register_mu_.Unlock();
    RegisterBatch(batch);
    register_mu_.Lock();
    // The deferred go first, ahead of what arrived meanwhile.
    std::vector<PendingUnit*> next;
    for (PendingUnit* pending : batch) {
      if (pending->deferred) {
        pending->deferred = false;
        next.push_back(pending);
      } else {
        pending->done = true;
      }
    }
    next.insert(next.end(), register_queue_.begin(), register_queue_.end());
    register_queue_ = std::move(next);
    registering_ = false;
  }
  if (!mine.status.ok()) return mine.status;
  return unit;
}

void Ingestor::RegisterBatch(absl::Span<PendingUnit* const> batch) {
  std::vector<PendingUnit*> accepted;
  std::vector<budget::v1::Unit> units;
  {
    absl::ReaderMutexLock lock(&mu_);
    // A unit under (or the same code as) one accepted before it in this
    // batch is decided once that one is in the tree: the tree checks each
    // unit against the registry as it will be when the unit is stored.
    absl::flat_hash_set<std::string> codes;
    for (PendingUnit* pending : batch) {
      const budget::v1::Unit& unit = *pending->unit;
      if (accepted.size() == kMaxUnitsPerTransaction ||
          codes.contains(unit.code()) || codes.contains(unit.parent_code())) {
        pending->deferred = true;
        continue;
      }
      // The tree cannot take a node back, so the node is checked before
      // the store has it.
      if (absl::Status checked = tree_.CheckAdd(unit); !checked.ok()) {
        pending->status = checked;
        continue;
      }
      codes.insert(unit.code());
      accepted.push_back(pending);
      units.push_back(unit);
    }
  }
  absl::Status stored = store_->AddUnits(units);
  std::vector<absl::Status> statuses(accepted.size(), stored);
  if (!stored.ok() && accepted.size() > 1) {
    // All or none failed: store each alone, so that one unit's failure is
    // not its batch mates'.
    for (size_t i = 0; i < accepted.size(); ++i) {
      statuses[i] = store_->AddUnit(units[i]);
    }
  }
  absl::MutexLock lock(&mu_);
  for (size_t i = 0; i < accepted.size(); ++i) {
    absl::Status& status = statuses[i];
    if (status.ok()) status = tree_.Add(units[i]);
    if (status.ok()) status = consolidator_.OnUnitAdded(units[i].code());
    accepted[i]->status = std::move(status);
  }
}

}  // namespace ingest
