// TaskThread runs what is posted in order, off the posting thread, and
// Stop runs everything posted before it.
#include "ingest_service/task_thread.h"

#include <thread>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "gtest/gtest.h"

namespace ingest_test {
namespace {

TEST(TaskThreadTest, RunsTasksInOrderOnItsOwnThread) {
  ingest::TaskThread tasks;
  absl::Mutex mu;
  std::vector<int> ran;
  std::vector<std::thread::id> threads;
  for (int i = 0; i < 100; ++i) {
    tasks.Post([&, i] {
      absl::MutexLock lock(&mu);
      ran.push_back(i);
      threads.push_back(std::this_thread::get_id());
    });
  }
  tasks.Stop();
  ASSERT_EQ(ran.size(), 100u);
  for (int i = 0; i < 100; ++i) {
    EXPECT_EQ(ran[i], i);
    EXPECT_NE(threads[i], std::this_thread::get_id());
  }
}

TEST(TaskThreadTest, PostingDoesNotWaitForTheTaskAhead) {
  absl::Notification release, second_posted;
  bool second_ran = false;
  {
    ingest::TaskThread tasks;
    tasks.Post([&] { release.WaitForNotification(); });
    tasks.Post([&] { second_ran = true; });
    second_posted.Notify();
    release.Notify();
  }  // The destructor runs both.
  EXPECT_TRUE(second_posted.HasBeenNotified());
  EXPECT_TRUE(second_ran);
}

}  // namespace
}  // namespace ingest_test
