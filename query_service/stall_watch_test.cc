#include "query_service/stall_watch.h"

#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"

namespace query {
namespace {

// A stream whose one write started at `started` (none: InfiniteFuture).
class FakeStream : public StallWatch::Stream {
 public:
  explicit FakeStream(absl::Time started) : started_(started) {}

  bool StalledSince(absl::Time cutoff) override {
    absl::MutexLock lock(&mu_);
    if (found_ || started_ > cutoff) return false;
    found_ = true;
    return true;
  }
  void CancelStalled() override { cancelled_.Notify(); }

  bool WaitForCancel(absl::Duration timeout) {
    return cancelled_.WaitForNotificationWithTimeout(timeout);
  }

 private:
  absl::Mutex mu_;
  const absl::Time started_;
  bool found_ ABSL_GUARDED_BY(mu_) = false;
  absl::Notification cancelled_;
};

TEST(StallWatchTest, CancelsAWriteThatWaitedPastTheLimit) {
  StallWatch watch(absl::Milliseconds(50));
  FakeStream stalled(absl::Now());
  FakeStream idle(absl::InfiniteFuture());  // Nothing to write.
  watch.Add(&stalled);
  watch.Add(&idle);
  // Bounds generous for a loaded machine: this checks what, not how fast.
  EXPECT_TRUE(stalled.WaitForCancel(absl::Seconds(30)));
  EXPECT_FALSE(idle.WaitForCancel(absl::Milliseconds(300)));
  watch.Remove(&stalled);
  watch.Remove(&idle);
}

TEST(StallWatchTest, ARemovedStreamIsNotTouched) {
  StallWatch watch(absl::Milliseconds(20));
  FakeStream stream(absl::InfinitePast());
  watch.Add(&stream);
  watch.Remove(&stream);
  EXPECT_FALSE(stream.WaitForCancel(absl::Milliseconds(200)));
}

TEST(StallWatchTest, ZeroWatchesNothing) {
  StallWatch watch(absl::ZeroDuration());
  EXPECT_FALSE(watch.enabled());
  FakeStream stream(absl::InfinitePast());
  watch.Add(&stream);
  EXPECT_FALSE(stream.WaitForCancel(absl::Milliseconds(100)));
  watch.Remove(&stream);
}

}  // namespace
}  // namespace query
