#include "server_common/refusal_budget.h"

#include <string>

namespace server_common {

bool RefusalBudget::Admits(absl::string_view peer, absl::string_view principal,
                           absl::string_view outcome, absl::Time now,
                           std::vector<Counted>* ended) {
  if (limits_.per_peer <= 0) return true;
  absl::MutexLock lock(&mu_);
  EndIntervalBefore(now, ended);
  auto found = peers_.find(peer);
  if (found == peers_.end()) {
    const bool room = peers_.size() < limits_.max_peers;
    found = peers_.try_emplace(std::string(room ? peer : kOtherPeers)).first;
    if (!room) found->second.recorded = limits_.per_peer;
  }
  Peer& state = found->second;
  if (state.recorded < limits_.per_peer) {
    ++state.recorded;
    return true;
  }
  ++state.counted[{std::string(principal), std::string(outcome)}];
  ++counted_total_;
  return false;
}

std::vector<RefusalBudget::Counted> RefusalBudget::TakeEnded(absl::Time now) {
  std::vector<Counted> ended;
  absl::MutexLock lock(&mu_);
  EndIntervalBefore(now, &ended);
  return ended;
}

int64_t RefusalBudget::counted_total() const {
  absl::MutexLock lock(&mu_);
  return counted_total_;
}

void RefusalBudget::EndIntervalBefore(absl::Time now,
                                      std::vector<Counted>* ended) {
  const bool started = start_ != absl::InfinitePast();
  if (started && now < start_ + limits_.interval) return;
  if (started) {
    for (const auto& [peer, state] : peers_) {
      for (const auto& [who, count] : state.counted) {
        ended->push_back({peer, who.first, who.second, count, start_,
                          start_ + limits_.interval});
      }
    }
    peers_.clear();
  }
  start_ =
      now == absl::InfiniteFuture() ? absl::InfinitePast() : IntervalStart(now);
}

}  // namespace server_common
