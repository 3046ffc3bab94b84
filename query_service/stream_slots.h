// The streams of one kind (ExportBudget's, Watch's) that may run at once:
// `max_total` in all, and `max_per_caller` of any one caller, so that one
// caller who leaves its streams unread or open cannot take every slot from
// the others. A slot is taken when the call starts (a call parked for its
// revision included) and given back when it ends.
//
// Callers are told apart by a key the service chooses (StreamCaller in
// query_service.cc); only callers holding a slot are remembered, so at most
// `max_total`.
//
// Thread-safe.
#ifndef QUERY_SERVICE_STREAM_SLOTS_H_
#define QUERY_SERVICE_STREAM_SLOTS_H_

#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"

namespace query {

class StreamSlots {
 public:
  // How a refusal names the streams and the flags that bound them, so that
  // the caller learns which limit it reached, how to raise it, and what
  // frees a slot. Views of literals.
  struct Wording {
    // The streams, in the plural, and what they do while they hold a slot:
    // "8 exports are streaming already".
    absl::string_view streams;
    absl::string_view doing;
    absl::string_view max_total_flag;
    absl::string_view max_per_caller_flag;
    // What a caller holding its share does to free a slot of it.
    absl::string_view to_free_one;
  };

  // A slot taken; given back when destroyed, so that every way a call can
  // end (finished, cancelled, stalled, refused later) gives it back.
  class Slot {
   public:
    Slot(Slot&& other) noexcept;
    Slot& operator=(Slot&&) = delete;
    ~Slot();

   private:
    friend class StreamSlots;
    Slot(StreamSlots* slots, absl::string_view caller)
        : slots_(slots), caller_(caller) {}

    StreamSlots* slots_;  // Null once moved from.
    std::string caller_;
  };

  // `wording` names the streams in refusals.
  StreamSlots(int max_total, int max_per_caller, Wording wording)
      : max_total_(max_total),
        max_per_caller_(max_per_caller),
        wording_(wording) {}

  StreamSlots(const StreamSlots&) = delete;
  StreamSlots& operator=(const StreamSlots&) = delete;

  // Takes a slot for `caller`, or says why there is none:
  // RESOURCE_EXHAUSTED naming the limit reached and its flag. The slots
  // must outlive the slot.
  absl::StatusOr<Slot> Take(absl::string_view caller);

  // Slots taken, in all and by `caller`.
  int taken() const;
  int taken_by(absl::string_view caller) const;

 private:
  void Give(absl::string_view caller);

  const int max_total_;
  const int max_per_caller_;
  const Wording wording_;
  mutable absl::Mutex mu_;
  int taken_ ABSL_GUARDED_BY(mu_) = 0;
  // Only callers holding a slot.
  absl::flat_hash_map<std::string, int> by_caller_ ABSL_GUARDED_BY(mu_);
};

// ExportBudget's streams (query_service/main.cc has the flags). An export
// ends once read: a caller frees its slots by reading its exports.
inline constexpr StreamSlots::Wording kExportStreams = {
    "exports", "streaming", "--max_export_streams",
    "--max_export_streams_per_caller", "read them to the end or cancel them"};

// Watch's streams. A Watch follows its node for as long as its call lasts:
// a caller frees its slots by cancelling the Watches it no longer needs.
inline constexpr StreamSlots::Wording kWatchStreams = {
    "Watch streams", "open", "--max_watch_streams",
    "--max_watch_streams_per_caller", "cancel the Watches it no longer needs"};

}  // namespace query

#endif  // QUERY_SERVICE_STREAM_SLOTS_H_
