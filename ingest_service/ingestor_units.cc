// Unit registration of the Ingestor (ingestor.h), group-committed: every
// registration in flight while a transaction is being stored waits for the
// next one, which stores them together (one sync for all, like submissions)
// instead of one transaction and its sync per unit.
//
// No thread of its own: the first caller to find no batch being registered
// leads and registers batches until none is queued, answering each batch's
// callers as it is decided; the others return at once (RegisterUnitAsync). The
// tree is checked under a shared lock and grown under the exclusive one after
// the store has the units, so submissions are not held up while a batch syncs;
// only a leader grows the tree.
#include <iterator>
#include <memory>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/synchronization/notification.h"
#include "budget/utf8.h"
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
  absl::Status status;
  absl::Notification decided;
  RegisterUnitAsync(unit, std::nullopt,
                    [&status, &decided](absl::Status result, bool) {
                      status = std::move(result);
                      decided.Notify();
                    });
  decided.WaitForNotification();
  if (!status.ok()) return status;
  return unit;
}

void Ingestor::RegisterUnitAsync(
    budget::v1::Unit unit, std::optional<budget::v1::AuditRecord> audit,
    absl::AnyInvocable<void(absl::Status, bool audited) &&> done) {
  {
    absl::MutexLock lock(&register_mu_);
    auto pending = std::make_unique<PendingUnit>();
    pending->unit = std::move(unit);
    if (store_->AppendsAuditRecords()) pending->audit = std::move(audit);
    pending->done = std::move(done);
    register_queue_.push_back(std::move(pending));
    if (registering_) return;  // The leader takes it with its next batch.
    registering_ = true;
  }
  for (;;) {
    std::vector<std::unique_ptr<PendingUnit>> batch;
    {
      absl::MutexLock lock(&register_mu_);
      if (register_queue_.empty()) {
        registering_ = false;
        return;
      }
      batch.swap(register_queue_);
    }
    RegisterBatch(batch);
    std::vector<std::unique_ptr<PendingUnit>> deferred;
    for (std::unique_ptr<PendingUnit>& pending : batch) {
      if (pending->deferred) {
        pending->deferred = false;
        deferred.push_back(std::move(pending));
      } else {
        std::move(pending->done)(std::move(pending->status), pending->audited);
      }
    }
    if (deferred.empty()) continue;
    // The deferred go first, ahead of what arrived meanwhile.
    absl::MutexLock lock(&register_mu_);
    deferred.insert(deferred.end(),
                    std::make_move_iterator(register_queue_.begin()),
                    std::make_move_iterator(register_queue_.end()));
    register_queue_ = std::move(deferred);
  }
}

void Ingestor::RegisterBatch(
    absl::Span<const std::unique_ptr<PendingUnit>> batch) {
  std::vector<PendingUnit*> accepted;
  std::vector<budget::v1::Unit> units;
  std::vector<budget::v1::AuditRecord> records;  // Of `units`, in order.
  {
    absl::ReaderMutexLock lock(&mu_);
    // A unit under (or the same code as) one accepted before it in this
    // batch is decided once that one is in the tree: the tree checks each
    // unit against the registry as it will be when the unit is stored.
    absl::flat_hash_set<std::string> codes;
    for (const std::unique_ptr<PendingUnit>& pending : batch) {
      const budget::v1::Unit& unit = pending->unit;
      if (accepted.size() == kMaxUnitsPerTransaction ||
          codes.contains(unit.code()) || codes.contains(unit.parent_code())) {
        pending->deferred = true;
        continue;
      }
      // Names are printed in tables, listings and .units files; a control
      // character would end a line or drive a reader's terminal there.
      // (Checked here, not by the tree: stores may hold older names.)
      if (absl::Status plain = budget::CheckNoControlCharacter(
              absl::StrCat("unit ", unit.code(), " name"), unit.name());
          !plain.ok()) {
        pending->status = plain;
        continue;
      }
      if (!unit.name().empty() && !budget::ShowsSomething(unit.name())) {
        pending->status = absl::InvalidArgumentError(absl::StrCat(
            "unit ", unit.code(), " name \"", budget::VisibleText(unit.name()),
            "\" shows nothing (only spaces and invisible characters); "
            "expected the unit's name"));
        continue;
      }
      // The tree cannot take a node back, so the node is checked before
      // the store has it.
      if (absl::Status checked = tree_.CheckAdd(unit); !checked.ok()) {
        pending->status = checked;
        continue;
      }
      codes.insert(unit.code());
      accepted.push_back(pending.get());
      units.push_back(unit);
      if (pending->audit.has_value()) records.push_back(*pending->audit);
    }
  }
  if (accepted.empty()) return;  // Nothing to store: no transaction.
  absl::Status stored = store_->AddUnits(units, records);
  std::vector<absl::Status> statuses(accepted.size(), stored);
  if (!stored.ok() && accepted.size() > 1) {
    // All or none failed: store each alone, so that one unit's failure is
    // not its batch mates'.
    for (size_t i = 0; i < accepted.size(); ++i) {
      const std::optional<budget::v1::AuditRecord>& audit = accepted[i]->audit;
      statuses[i] = store_->AddUnits(
          {&units[i], 1},
          audit.has_value()
              ? absl::Span<const budget::v1::AuditRecord>(&*audit, 1)
              : absl::Span<const budget::v1::AuditRecord>());
    }
  }
  absl::MutexLock lock(&mu_);
  for (size_t i = 0; i < accepted.size(); ++i) {
    absl::Status& status = statuses[i];
    // Stored: its record (if any) is durable with it, whatever follows.
    accepted[i]->audited = status.ok() && accepted[i]->audit.has_value();
    if (status.ok()) status = tree_.Add(units[i]);
    if (status.ok()) status = consolidator_.OnUnitAdded(units[i].code());
    accepted[i]->status = std::move(status);
  }
}

}  // namespace ingest
