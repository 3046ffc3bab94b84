// Rate limit on failed authentications, per peer address: each address may
// fail `burst` times at once and once more every `refill` after that; a
// peer over its limit is refused before its credentials are even checked,
// so a flood of wrong tokens costs a map look-up each rather than a key
// derivation. Successes cost nothing and are not counted.
//
// Memory is bounded: at most `max_peers` addresses are remembered; when
// full, peers whose allowance has refilled are forgotten first, and a new
// peer past that evicts the oldest failure.
//
// Time is passed in, so tests need no clock. Thread-safe.
#ifndef AUTH_FAILURE_LIMITER_H_
#define AUTH_FAILURE_LIMITER_H_

#include <cstddef>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace auth {

class FailureLimiter {
 public:
  struct Limits {
    int burst = 20;  // 0: no limit.
    absl::Duration refill = absl::Seconds(1);
    size_t max_peers = 65536;
  };
  explicit FailureLimiter(Limits limits) : limits_(limits) {}

  FailureLimiter(const FailureLimiter&) = delete;
  FailureLimiter& operator=(const FailureLimiter&) = delete;

  // Whether `peer` may try to authenticate at `now`.
  bool Admits(absl::string_view peer, absl::Time now) const;
  // `peer` failed to authenticate at `now`.
  void Failed(absl::string_view peer, absl::Time now);

 private:
  // Failures still counted against a peer: its last `count`, decayed by one
  // per `refill` since `at`.
  struct Debt {
    double count = 0;
    absl::Time at;
  };
  double Outstanding(const Debt& debt, absl::Time now) const;
  void MakeRoom(absl::Time now) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const Limits limits_;
  mutable absl::Mutex mu_;
  absl::flat_hash_map<std::string, Debt> peers_ ABSL_GUARDED_BY(mu_);
};

// The address part of a gRPC peer string ("ipv4:10.0.0.7:51234" gives
// "ipv4:10.0.0.7"): one client opening many connections is one peer.
absl::string_view PeerAddress(absl::string_view peer);

}  // namespace auth

#endif  // AUTH_FAILURE_LIMITER_H_
