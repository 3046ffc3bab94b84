// The writer role of a store: at most one ingest service writes a store at
// a time, whatever the backend, so two ingest services pointed at one store
// never fork its history. The one that does not hold the lease runs as a
// hot standby and keeps trying (ingest_service/writer_role.h).
//
// A lease that can be lost while its holder lives (PostgreSQL: a session
// advisory lock dies with its session) comes with a fencing epoch, raised
// by every acquisition. The holder hands it to BudgetStore::SetWriterEpoch,
// and the store checks it inside each write transaction, so a writer that
// lost its lease commits nothing afterwards even if it has not noticed yet.
//
// Not thread-safe: one thread (the writer role's) uses a lease.
#ifndef STORAGE_WRITER_LEASE_H_
#define STORAGE_WRITER_LEASE_H_

#include <cstdint>
#include <memory>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/notification.h"

namespace storage {

class WriterLease {
 public:
  virtual ~WriterLease() = default;  // Releases the lease when held.

  // Tries once, without waiting, to take the lease: true when this process
  // now holds it, false when another holds it. UNAVAILABLE when the store
  // cannot be reached (try again later).
  virtual absl::StatusOr<bool> TryAcquire() = 0;
  // The fencing epoch of the current hold (after TryAcquire returned true);
  // 0 for a lease that cannot be lost while its holder lives.
  virtual int64_t epoch() const = 0;
  // Returns OK once `stop` is notified while the lease is still held, or
  // UNAVAILABLE as soon as the lease is lost (its session died).
  virtual absl::Status HoldUntil(const absl::Notification& stop) = 0;
  // Gives the lease up (no-op when not held).
  virtual void Release() = 0;
};

// The lease of the store a --store flag names ("sqlite:PATH": an exclusive
// flock on PATH.writer-lease, next to the store file; "postgresql://...": a
// session advisory lock with a fencing epoch, pg_writer_lease.h).
// INVALID_ARGUMENT for an unknown scheme.
absl::StatusOr<std::unique_ptr<WriterLease>> OpenWriterLease(
    absl::string_view store_spec);

}  // namespace storage

#endif  // STORAGE_WRITER_LEASE_H_
