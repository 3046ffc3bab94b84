#include "query_service/stream_slots.h"

#include <utility>

#include "absl/strings/str_cat.h"

namespace query {

StreamSlots::Slot::Slot(Slot&& other) noexcept
    : slots_(std::exchange(other.slots_, nullptr)),
      caller_(std::move(other.caller_)) {}

StreamSlots::Slot::~Slot() {
  if (slots_ != nullptr) slots_->Give(caller_);
}

absl::StatusOr<StreamSlots::Slot> StreamSlots::Take(absl::string_view caller) {
  absl::MutexLock lock(&mu_);
  auto found = by_caller_.find(caller);
  const int own = found == by_caller_.end() ? 0 : found->second;
  // The caller's own limit first: a caller holding its share is told so,
  // whether or not the others have left slots.
  if (own >= max_per_caller_) {
    return absl::ResourceExhaustedError(
        absl::StrCat(own, " ", wording_.streams, " of this caller are ",
                     wording_.doing, " already; at most ", max_per_caller_,
                     " per caller (", wording_.max_per_caller_flag,
                     "): ", wording_.to_free_one, ", then retry"));
  }
  if (taken_ >= max_total_) {
    return absl::ResourceExhaustedError(
        absl::StrCat(max_total_, " ", wording_.streams, " are ", wording_.doing,
                     " already (", wording_.max_total_flag, "); retry later"));
  }
  ++taken_;
  ++by_caller_[caller];
  return Slot(this, caller);
}

void StreamSlots::Give(absl::string_view caller) {
  absl::MutexLock lock(&mu_);
  auto found = by_caller_.find(caller);
  if (found == by_caller_.end()) return;
  --taken_;
  if (--found->second == 0) by_caller_.erase(found);
}

int StreamSlots::taken() const {
  absl::MutexLock lock(&mu_);
  return taken_;
}

int StreamSlots::taken_by(absl::string_view caller) const {
  absl::MutexLock lock(&mu_);
  auto found = by_caller_.find(caller);
  return found == by_caller_.end() ? 0 : found->second;
}

}  // namespace query
