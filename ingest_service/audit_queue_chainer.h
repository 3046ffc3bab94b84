// Moves the audit records the query services queued into the chain
// (storage::AuditTrail::ChainQueued) every `interval`, on a thread of its
// own, so that a record is chained within about that long even when no
// auditor lists the trail (List and Verify chain what is queued first).
// An error is reported on stderr when it first occurs (not again each
// interval while it lasts), and once it clears; the records stay queued
// meanwhile.
//
// Does not own the trail, which must outlive it. Thread-safe; the
// destructor stops the thread (Stop).
#ifndef INGEST_SERVICE_AUDIT_QUEUE_CHAINER_H_
#define INGEST_SERVICE_AUDIT_QUEUE_CHAINER_H_

#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "storage/audit_trail.h"

namespace ingest {

class AuditQueueChainer {
 public:
  // Starts the thread; `interval` must be positive.
  AuditQueueChainer(storage::AuditTrail* trail, absl::Duration interval);
  ~AuditQueueChainer();  // Stops.

  AuditQueueChainer(const AuditQueueChainer&) = delete;
  AuditQueueChainer& operator=(const AuditQueueChainer&) = delete;

  // Waits for a ChainQueued under way, then joins. Idempotent.
  void Stop() ABSL_LOCKS_EXCLUDED(mu_);

 private:
  void Run() ABSL_LOCKS_EXCLUDED(mu_);

  storage::AuditTrail* const trail_;
  const absl::Duration interval_;
  absl::Mutex mu_;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace ingest

#endif  // INGEST_SERVICE_AUDIT_QUEUE_CHAINER_H_
