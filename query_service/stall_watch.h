// Ends the streams whose client takes nothing: a message handed to gRPC
// (StartWrite) that has waited longer than `limit` for the client to take
// it (an HTTP/2 window of 0: the client does not read) gets its stream
// cancelled, so that a stalled reader cannot hold an export slot or a
// Watch's queue for as long as it stays connected. A stream with nothing
// to write (a Watch with no events) is never stalled.
//
// One thread for every stream watched: it looks at each a few times per
// `limit` (every limit/4, between 10 ms and 1 s), and sleeps while none is
// watched. A stream is found stalled under the watch's lock and cancelled
// outside it, so it may take its own lock and call gRPC.
//
// Thread-safe.
#ifndef QUERY_SERVICE_STALL_WATCH_H_
#define QUERY_SERVICE_STALL_WATCH_H_

#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_set.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace query {

class StallWatch {
 public:
  // A stream watched (QueuedWriter).
  class Stream {
   public:
    // Whether a message has been waiting for the client since before
    // `cutoff`. If so the stream decides to end, and stays alive until
    // CancelStalled has run. Called under the watch's lock: calls nothing
    // of the watch.
    virtual bool StalledSince(absl::Time cutoff) = 0;
    // Cancels the call of a stream StalledSince found stalled.
    virtual void CancelStalled() = 0;

   protected:
    ~Stream() = default;
  };

  // A `limit` of 0 (or less) stalls nothing and starts no thread.
  explicit StallWatch(absl::Duration limit);
  // Stops the thread; every stream is removed by then.
  ~StallWatch();

  StallWatch(const StallWatch&) = delete;
  StallWatch& operator=(const StallWatch&) = delete;

  absl::Duration limit() const { return limit_; }
  bool enabled() const { return limit_ > absl::ZeroDuration(); }

  // Watches `stream` until Remove. No-op when not enabled.
  void Add(Stream* stream);
  // Once it returns, the watch no longer touches `stream`.
  void Remove(Stream* stream);

 private:
  void Run();
  bool StoppingOrWatching() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return stopping_ || !streams_.empty();
  }

  const absl::Duration limit_;
  absl::Mutex mu_;
  absl::flat_hash_set<Stream*> streams_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace query

#endif  // QUERY_SERVICE_STALL_WATCH_H_
