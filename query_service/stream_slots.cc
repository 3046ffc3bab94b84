#include "query_service/stream_slots.h"

#include "absl/strings/str_cat.h"

namespace query {

absl::Status ExportSlots::Take(absl::string_view caller) {
  absl::MutexLock lock(&mu_);
  auto found = by_caller_.find(caller);
  const int own = found == by_caller_.end() ? 0 : found->second;
  // The caller's own limit first: a caller holding its share is told so,
  // whether or not the others have left slots.
  if (own >= max_per_caller_) {
    return absl::ResourceExhaustedError(absl::StrCat(
        own, " exports of this caller are streaming already; at most ",
        max_per_caller_,
        " per caller (--max_export_streams_per_caller): read them to the "
        "end or cancel them, then retry"));
  }
  if (taken_ >= max_total_) {
    return absl::ResourceExhaustedError(
        absl::StrCat(max_total_,
                     " exports are streaming already (--max_export_streams); "
                     "retry later"));
  }
  ++taken_;
  ++by_caller_[caller];
  return absl::OkStatus();
}

void ExportSlots::Give(absl::string_view caller) {
  absl::MutexLock lock(&mu_);
  auto found = by_caller_.find(caller);
  if (found == by_caller_.end()) return;
  --taken_;
  if (--found->second == 0) by_caller_.erase(found);
}

int ExportSlots::taken() const {
  absl::MutexLock lock(&mu_);
  return taken_;
}

int ExportSlots::taken_by(absl::string_view caller) const {
  absl::MutexLock lock(&mu_);
  auto found = by_caller_.find(caller);
  return found == by_caller_.end() ? 0 : found->second;
}

}  // namespace query
