#include "query_service/stall_watch.h"

#include <algorithm>
#include <vector>

#include "absl/time/clock.h"

namespace query {

StallWatch::StallWatch(absl::Duration limit) : limit_(limit) {
  if (enabled()) thread_ = std::thread([this] { Run(); });
}

StallWatch::~StallWatch() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  if (thread_.joinable()) thread_.join();
}

void StallWatch::Add(Stream* stream) {
  if (!enabled()) return;
  absl::MutexLock lock(&mu_);
  streams_.insert(stream);
}

void StallWatch::Remove(Stream* stream) {
  if (!enabled()) return;
  absl::MutexLock lock(&mu_);
  streams_.erase(stream);
}

void StallWatch::Run() {
  const absl::Duration period =
      std::clamp(limit_ / 4, absl::Milliseconds(10), absl::Seconds(1));
  absl::MutexLock lock(&mu_);
  while (true) {
    mu_.Await(absl::Condition(this, &StallWatch::StoppingOrWatching));
    if (stopping_ || mu_.AwaitWithTimeout(absl::Condition(&stopping_), period))
      return;
    const absl::Time cutoff = absl::Now() - limit_;
    std::vector<Stream*> stalled;
    for (Stream* stream : streams_) {
      if (stream->StalledSince(cutoff)) stalled.push_back(stream);
    }
    if (stalled.empty()) continue;
    // Each stays alive until cancelled (StalledSince), removed or not.
    mu_.Unlock();
    for (Stream* stream : stalled) stream->CancelStalled();
    mu_.Lock();
  }
}

}  // namespace query
