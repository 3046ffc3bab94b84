// How many refused calls the audit trail records one by one: each peer
// address may have `per_peer` refusals recorded per interval (intervals are
// aligned to the epoch: [0, interval), [interval, 2 * interval), ...); the
// rest of the interval's refusals of that peer are counted, per principal
// and outcome, and recorded once the interval has ended as one summary
// each (AccessGate). So a caller who presents nothing, or anything, costs
// the trail at most `per_peer` records plus its summaries per interval,
// and no refusal goes unrecorded: it is a record or part of a count.
//
// Memory is bounded: at most `max_peers` addresses are told apart in one
// interval; the refusals of addresses past that are all counted under
// kOtherPeers. Every interval starts with none remembered.
//
// Time is passed in, so tests need no clock. Thread-safe.
#ifndef SERVER_COMMON_REFUSAL_BUDGET_H_
#define SERVER_COMMON_REFUSAL_BUDGET_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace server_common {

class RefusalBudget {
 public:
  struct Limits {
    int per_peer = 20;  // 0: every refusal is recorded.
    absl::Duration interval = absl::Minutes(1);
    size_t max_peers = 4096;
  };
  // The peer of refusals counted past `max_peers` addresses.
  static constexpr absl::string_view kOtherPeers = "other addresses";

  // Refusals of one interval that were counted rather than recorded.
  struct Counted {
    std::string peer;
    std::string principal;
    std::string outcome;  // gRPC code name, e.g. "UNAUTHENTICATED".
    int64_t count = 0;
    absl::Time from;  // The interval.
    absl::Time to;
  };

  explicit RefusalBudget(Limits limits) : limits_(limits) {}

  RefusalBudget(const RefusalBudget&) = delete;
  RefusalBudget& operator=(const RefusalBudget&) = delete;

  // Whether the refusal of `principal` from `peer` with `outcome` at `now`
  // is recorded on its own; if not, it is counted. Appends to `ended` the
  // counts of an interval that ended before `now`, to be recorded before
  // this refusal.
  bool Admits(absl::string_view peer, absl::string_view principal,
              absl::string_view outcome, absl::Time now,
              std::vector<Counted>* ended);

  // The counts of the current interval if it has ended by `now`, taken:
  // for recording them while no refusal comes. absl::InfiniteFuture()
  // takes them whether or not it has ended (at shutdown).
  std::vector<Counted> TakeEnded(absl::Time now);

  // Refusals counted rather than recorded since the start.
  int64_t counted_total() const;

  // The end of the interval `now` falls in.
  absl::Time IntervalEnd(absl::Time now) const {
    return IntervalStart(now) + limits_.interval;
  }

 private:
  struct Peer {
    int recorded = 0;
    // By principal and outcome.
    absl::flat_hash_map<std::pair<std::string, std::string>, int64_t> counted;
  };
  absl::Time IntervalStart(absl::Time now) const {
    return absl::UnixEpoch() +
           absl::Floor(now - absl::UnixEpoch(), limits_.interval);
  }
  // Moves the counts to `ended` and forgets every peer when the interval
  // has ended by `now`; starts the interval `now` is in.
  void EndIntervalBefore(absl::Time now, std::vector<Counted>* ended)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const Limits limits_;
  mutable absl::Mutex mu_;
  absl::Time start_ ABSL_GUARDED_BY(mu_) = absl::InfinitePast();
  absl::flat_hash_map<std::string, Peer> peers_ ABSL_GUARDED_BY(mu_);
  int64_t counted_total_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace server_common

#endif  // SERVER_COMMON_REFUSAL_BUDGET_H_
