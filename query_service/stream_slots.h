// The ExportBudget streams that may run at once: `max_total` in all, and
// `max_per_caller` of any one caller, so that one caller who leaves its
// exports unread cannot take every slot from the others. A slot is taken
// when the call starts (a call parked for its revision included) and given
// back when it ends.
//
// Callers are told apart by a key the service chooses (QueryService);
// only callers holding a slot are remembered, so at most `max_total`.
//
// Thread-safe.
#ifndef QUERY_SERVICE_STREAM_SLOTS_H_
#define QUERY_SERVICE_STREAM_SLOTS_H_

#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"

namespace query {

class ExportSlots {
 public:
  ExportSlots(int max_total, int max_per_caller)
      : max_total_(max_total), max_per_caller_(max_per_caller) {}

  ExportSlots(const ExportSlots&) = delete;
  ExportSlots& operator=(const ExportSlots&) = delete;

  // Takes a slot for `caller`, or says why there is none:
  // RESOURCE_EXHAUSTED naming the limit reached and its flag.
  absl::Status Take(absl::string_view caller);
  // Gives back a slot Take gave `caller`.
  void Give(absl::string_view caller);

  // Slots taken, in all and by `caller`.
  int taken() const;
  int taken_by(absl::string_view caller) const;

 private:
  const int max_total_;
  const int max_per_caller_;
  mutable absl::Mutex mu_;
  int taken_ ABSL_GUARDED_BY(mu_) = 0;
  // Only callers holding a slot.
  absl::flat_hash_map<std::string, int> by_caller_ ABSL_GUARDED_BY(mu_);
};

}  // namespace query

#endif  // QUERY_SERVICE_STREAM_SLOTS_H_
