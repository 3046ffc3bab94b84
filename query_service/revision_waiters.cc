#include "query_service/revision_waiters.h"

#include <optional>
#include <vector>

#include "absl/strings/str_cat.h"
#include "grpcpp/alarm.h"

namespace query {

struct RevisionWaiters::Waiter {
  absl::string_view field;
  int64_t revision = 0;
  Done done;
  // Goes off at the deadline, or at once when cancelled: either way its
  // callback (Fire) runs on a gRPC thread and settles the waiter.
  grpc::Alarm alarm;
  bool armed = false;                   // alarm.Set has returned.
  std::optional<absl::Status> outcome;  // Settled before the deadline.
};

int64_t RevisionWaiters::Wait(absl::string_view field, int64_t revision,
                              absl::Time deadline, Done done) {
  std::optional<absl::Status> now;
  std::shared_ptr<Waiter> waiter;
  int64_t id = 0;
  {
    absl::MutexLock lock(&mu_);
    if (revision <= applied_) {
      now = absl::OkStatus();
    } else if (revision - applied_ > limits_.max_lead) {
      now = absl::OutOfRangeError(absl::StrCat(
          field, ": ", revision, " given; expected at most ",
          applied_ + limits_.max_lead, " (the service is at revision ",
          applied_, " and waits for at most ", limits_.max_lead,
          " revisions ahead; use the consolidated_revision a submission "
          "returned)"));
    } else if (waiters_.size() >= limits_.max_waiters) {
      now = absl::ResourceExhaustedError(
          absl::StrCat(field, ": ", limits_.max_waiters,
                       " reads already wait for revisions; retry later"));
    } else {
      id = next_id_++;
      waiter = std::make_shared<Waiter>();
      waiter->field = field;
      waiter->revision = revision;
      waiter->done = std::move(done);
      waiters_.emplace(id, waiter);
      unsettled_.emplace(revision, id);
    }
  }
  if (now.has_value()) {
    std::move(done)(*std::move(now));
    return 0;
  }
  // Outside the lock: the alarm may call back at once.
  waiter->alarm.Set(absl::ToChronoTime(deadline),
                    [this, id](bool) { Fire(id); });
  bool settled;
  {
    absl::MutexLock lock(&mu_);
    waiter->armed = true;
    settled = waiter->outcome.has_value();
  }
  if (settled) waiter->alarm.Cancel();
  return id;
}

void RevisionWaiters::Cancel(int64_t id) {
  std::shared_ptr<Waiter> waiter;
  {
    absl::MutexLock lock(&mu_);
    auto found = waiters_.find(id);
    if (found == waiters_.end() || found->second->outcome.has_value()) return;
    found->second->outcome = absl::CancelledError("the call was cancelled");
    unsettled_.erase({found->second->revision, id});
    if (found->second->armed) waiter = found->second;
  }
  if (waiter != nullptr) waiter->alarm.Cancel();
}

void RevisionWaiters::Applied(int64_t revision) {
  std::vector<std::shared_ptr<Waiter>> ready;
  {
    absl::MutexLock lock(&mu_);
    if (revision <= applied_) return;
    applied_ = revision;
    auto end = unsettled_.upper_bound({revision, INT64_MAX});
    for (auto it = unsettled_.begin(); it != end; ++it) {
      std::shared_ptr<Waiter>& waiter = waiters_.at(it->second);
      waiter->outcome = absl::OkStatus();
      if (waiter->armed) ready.push_back(waiter);
    }
    unsettled_.erase(unsettled_.begin(), end);
  }
  for (const std::shared_ptr<Waiter>& waiter : ready) waiter->alarm.Cancel();
}

size_t RevisionWaiters::waiting() const {
  absl::MutexLock lock(&mu_);
  return unsettled_.size();
}

void RevisionWaiters::Fire(int64_t id) {
  std::shared_ptr<Waiter> waiter;
  absl::Status status;
  {
    absl::MutexLock lock(&mu_);
    auto found = waiters_.find(id);
    if (found == waiters_.end()) return;
    waiter = std::move(found->second);
    waiters_.erase(found);
    unsettled_.erase({waiter->revision, id});
    if (waiter->outcome.has_value()) {
      status = *waiter->outcome;
    } else {
      // Only the deadline fires a waiter nothing settled.
      status = absl::DeadlineExceededError(absl::StrCat(
          waiter->field, ": revision ", waiter->revision,
          " not applied by the deadline (the call's, or the service's "
          "--max_read_wait if sooner); the service is at revision ",
          applied_));
    }
  }
  std::move(waiter->done)(std::move(status));
}

}  // namespace query
