#include "query_service/revision_waiters.h"

#include <memory>
#include <optional>

#include "absl/synchronization/notification.h"
#include "gtest/gtest.h"

namespace query {
namespace {

// What one waiter was told.
struct Told {
  absl::Notification done;
  std::optional<absl::Status> status;

  RevisionWaiters::Done Callback() {
    return [this](absl::Status s) {
      status = std::move(s);
      done.Notify();
    };
  }
};

const absl::Time kFar = absl::InfiniteFuture();

TEST(RevisionWaitersTest, AppliedRevisionAnswersAtOnce) {
  RevisionWaiters waiters({100, 10});
  waiters.Applied(5);
  Told told;
  EXPECT_EQ(waiters.Wait("read.min_revision", 5, kFar, told.Callback()), 0);
  ASSERT_TRUE(told.done.HasBeenNotified());
  EXPECT_TRUE(told.status->ok());
}

TEST(RevisionWaitersTest, FarAheadAndTooManyAreRefusedAtOnce) {
  RevisionWaiters waiters({100, 1});
  Told far;
  // Each refusal names the field that named the revision (before: every
  // one said read.min_revision, a Watch's after_revision included).
  EXPECT_EQ(waiters.Wait("after_revision", 101, kFar, far.Callback()), 0);
  EXPECT_TRUE(absl::IsOutOfRange(*far.status));
  EXPECT_EQ(far.status->message().rfind("after_revision: 101 given; ", 0), 0u)
      << far.status->message();
  Told first, second;
  int64_t id = waiters.Wait("read.min_revision", 50, kFar, first.Callback());
  EXPECT_NE(id, 0);
  EXPECT_EQ(waiters.Wait("read.min_revision", 50, kFar, second.Callback()), 0);
  EXPECT_TRUE(absl::IsResourceExhausted(*second.status));
  waiters.Cancel(id);
  first.done.WaitForNotification();
  EXPECT_TRUE(absl::IsCancelled(*first.status));
  EXPECT_EQ(waiters.waiting(), 0u);
}

TEST(RevisionWaitersTest, EachWaiterIsToldOnceItsRevisionIsApplied) {
  RevisionWaiters waiters({100, 10});
  Told early, late;
  waiters.Wait("read.min_revision", 2, kFar, early.Callback());
  waiters.Wait("read.min_revision", 4, kFar, late.Callback());
  waiters.Applied(3);
  early.done.WaitForNotification();
  EXPECT_TRUE(early.status->ok());
  EXPECT_FALSE(late.done.HasBeenNotified());
  EXPECT_EQ(waiters.waiting(), 1u);
  waiters.Applied(4);
  late.done.WaitForNotification();
  EXPECT_TRUE(late.status->ok());
}

TEST(RevisionWaitersTest, DeadlineEndsTheWait) {
  RevisionWaiters waiters({100, 10});
  Told told;
  waiters.Wait("after_revision", 1, absl::Now() + absl::Milliseconds(10),
               told.Callback());
  told.done.WaitForNotification();
  EXPECT_TRUE(absl::IsDeadlineExceeded(*told.status));
  EXPECT_EQ(told.status->message().rfind("after_revision: revision 1 not ", 0),
            0u)
      << told.status->message();
  // Cancelling a settled waiter is a no-op.
  waiters.Cancel(1);
}

}  // namespace
}  // namespace query
