// Reads parked until the consolidated revision they name is applied
// (ReadOptions.min_revision), without holding a thread while they wait: a
// waiter is a callback, run once the view applies the revision, at its
// deadline, or when its call is cancelled, whichever comes first. Timing
// and the hop off the applier's thread use gRPC's callback alarms, so
// callbacks run on gRPC's threads, never inside Wait's caller's locks nor
// on the store tailer's thread.
//
// Bounded: a revision further ahead of the applied one than `max_lead`
// is refused at once (OUT_OF_RANGE: no revision that far ahead can be
// expected soon, and waiting for it would only hold the call), and at most
// `max_waiters` wait at once (RESOURCE_EXHAUSTED beyond).
//
// Must outlive every waiter it holds (the service outlives its server's
// calls). Thread-safe.
#ifndef QUERY_SERVICE_REVISION_WAITERS_H_
#define QUERY_SERVICE_REVISION_WAITERS_H_

#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/functional/any_invocable.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace query {

class RevisionWaiters {
 public:
  struct Limits {
    int64_t max_lead = 1'000'000;
    size_t max_waiters = 10'000;
  };
  explicit RevisionWaiters(Limits limits) : limits_(limits) {}

  RevisionWaiters(const RevisionWaiters&) = delete;
  RevisionWaiters& operator=(const RevisionWaiters&) = delete;

  // What a waiter is told: OK (the revision is applied), DEADLINE_EXCEEDED,
  // CANCELLED, OUT_OF_RANGE or RESOURCE_EXHAUSTED.
  using Done = absl::AnyInvocable<void(absl::Status) &&>;

  // Calls `done` once. At once, before returning 0, when `revision` is
  // already applied or is refused; otherwise later, from another thread,
  // and returns the id Cancel takes. `field` is the request field that
  // named the revision ("read.min_revision", "after_revision"), which the
  // refusals and the deadline's status name; a literal, or text that
  // outlives the wait.
  int64_t Wait(absl::string_view field, int64_t revision, absl::Time deadline,
               Done done);

  // Ends the wait of `id` with CANCELLED if it is still waiting. Unknown or
  // settled ids (0 included) are ignored.
  void Cancel(int64_t id);

  // Every revision up to `revision` is applied. Call without holding locks
  // a waiter's callback takes.
  void Applied(int64_t revision);

  // Waiters not yet settled, for tests and logs.
  size_t waiting() const;

 private:
  struct Waiter;

  // The alarm of waiter `id` went off, at its deadline or because the
  // waiter was settled before: tells the waiter and forgets it.
  void Fire(int64_t id);

  const Limits limits_;
  mutable absl::Mutex mu_;
  int64_t applied_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t next_id_ ABSL_GUARDED_BY(mu_) = 1;
  std::map<int64_t, std::shared_ptr<Waiter>> waiters_ ABSL_GUARDED_BY(mu_);
  // (revision, id) of waiters not yet settled.
  std::set<std::pair<int64_t, int64_t>> unsettled_ ABSL_GUARDED_BY(mu_);
};

}  // namespace query

#endif  // QUERY_SERVICE_REVISION_WAITERS_H_
