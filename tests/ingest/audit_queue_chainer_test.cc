// AuditQueueChainer chains what the query services queued every interval,
// off the caller's thread, and stops without waiting out an interval.
#include "ingest_service/audit_queue_chainer.h"

#include <chrono>
#include <future>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "storage/audit_trail.h"

namespace ingest_test {
namespace {

// Bounds every wait, so that a broken chainer fails the test, never hangs
// it; not a measure of speed.
constexpr absl::Duration kPatience = absl::Seconds(60);

// Counts ChainQueued calls; stores nothing.
class CountingTrail : public storage::AuditTrail {
 public:
  absl::Status ChainQueued() override {
    absl::MutexLock lock(&mu_);
    ++calls_;
    return absl::UnavailableError("the store is down");
  }
  absl::StatusOr<std::vector<budget::v1::AuditRecord>> List(int64_t,
                                                            int) override {
    return std::vector<budget::v1::AuditRecord>();
  }

  bool WaitForCalls(int n) {
    absl::MutexLock lock(&mu_);
    auto reached = [this, n]()
                       ABSL_SHARED_LOCKS_REQUIRED(mu_) { return calls_ >= n; };
    return mu_.AwaitWithTimeout(absl::Condition(&reached), kPatience);
  }
  int calls() {
    absl::MutexLock lock(&mu_);
    return calls_;
  }

 protected:
  absl::Status WriteBatch(absl::Span<budget::v1::AuditRecord* const>) override {
    return absl::OkStatus();
  }
  absl::StatusOr<StoredChain> ReadChain() override { return StoredChain(); }

 private:
  absl::Mutex mu_;
  int calls_ ABSL_GUARDED_BY(mu_) = 0;
};

// Again after a failure too: the records wait in the queue meanwhile.
TEST(AuditQueueChainerTest, ChainsEveryIntervalUntilStopped) {
  CountingTrail trail;
  ingest::AuditQueueChainer chainer(&trail, absl::Milliseconds(5));
  EXPECT_TRUE(trail.WaitForCalls(3));
  chainer.Stop();
  const int calls = trail.calls();
  chainer.Stop();  // Idempotent.
  EXPECT_EQ(trail.calls(), calls);
}

TEST(AuditQueueChainerTest, StopsWithoutWaitingOutTheInterval) {
  CountingTrail trail;
  ingest::AuditQueueChainer chainer(&trail, absl::Hours(24));
  std::future<void> stopped =
      std::async(std::launch::async, [&] { chainer.Stop(); });
  ASSERT_EQ(stopped.wait_for(std::chrono::seconds(60)),
            std::future_status::ready);
  EXPECT_EQ(trail.calls(), 0);
}

}  // namespace
}  // namespace ingest_test
