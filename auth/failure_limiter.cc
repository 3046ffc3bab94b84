#include "auth/failure_limiter.h"

#include <algorithm>

#include "absl/strings/match.h"

namespace auth {

double FailureLimiter::Outstanding(const Debt& debt, absl::Time now) const {
  const double repaid = limits_.refill > absl::ZeroDuration()
                            ? absl::FDivDuration(now - debt.at, limits_.refill)
                            : debt.count;
  return std::max(0.0, debt.count - std::max(0.0, repaid));
}

bool FailureLimiter::Admits(absl::string_view peer, absl::Time now) const {
  if (limits_.burst <= 0) return true;
  absl::MutexLock lock(&mu_);
  auto found = peers_.find(peer);
  // Room for one more failure: a whole one must have been repaid.
  return found == peers_.end() ||
         Outstanding(found->second, now) <= limits_.burst - 1;
}

void FailureLimiter::Failed(absl::string_view peer, absl::Time now) {
  if (limits_.burst <= 0) return;
  absl::MutexLock lock(&mu_);
  auto found = peers_.find(peer);
  if (found == peers_.end()) {
    if (peers_.size() >= limits_.max_peers) MakeRoom(now);
    found = peers_.emplace(std::string(peer), Debt{0, now}).first;
  }
  Debt& debt = found->second;
  debt.count = std::min<double>(Outstanding(debt, now) + 1, limits_.burst);
  debt.at = now;
}

void FailureLimiter::MakeRoom(absl::Time now) {
  for (auto it = peers_.begin(); it != peers_.end();) {
    if (Outstanding(it->second, now) == 0) {
      peers_.erase(it++);
    } else {
      ++it;
    }
  }
  if (peers_.size() < limits_.max_peers) return;
  auto oldest = std::min_element(
      peers_.begin(), peers_.end(),
      [](const auto& a, const auto& b) { return a.second.at < b.second.at; });
  peers_.erase(oldest);
}

absl::string_view PeerAddress(absl::string_view peer) {
  // "ipv4:A.B.C.D:PORT", "ipv6:[::1]:PORT"; "unix:PATH" has no port.
  if (!absl::StartsWith(peer, "ipv4:") && !absl::StartsWith(peer, "ipv6:")) {
    return peer;
  }
  const size_t colon = peer.rfind(':');
  return colon <= 4 ? peer : peer.substr(0, colon);
}

}  // namespace auth
