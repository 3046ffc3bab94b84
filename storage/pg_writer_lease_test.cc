// PgWriterLease on the test cluster: one holder at a time, each
// acquisition raises the fencing epoch, and a lease whose session dies is
// lost at once (HoldUntil returns) and free for the next holder.
#include "storage/pg_writer_lease.h"

#include <memory>
#include <string>
#include <thread>

#include "absl/synchronization/notification.h"
#include "gtest/gtest.h"
#include "storage/open_store.h"
#include "storage/postgres/pg_connection.h"
#include "tests/testing/postgres_database.h"

namespace storage {
namespace {

class PgWriterLeaseTest : public ::testing::Test {
 protected:
  void SetUp() override {
    uri_ = e2e_testing::FreshPostgresDatabase();
    ASSERT_FALSE(uri_.empty());
    absl::StatusOr<std::unique_ptr<PgConnection>> admin =
        PgConnection::Connect(uri_);
    ASSERT_TRUE(admin.ok()) << admin.status();
    admin_ = *std::move(admin);
    // The schema, writer_lease included.
    ASSERT_TRUE(MigrateStore(uri_).ok());
  }

  std::string uri_;
  std::unique_ptr<PgConnection> admin_;
};

TEST_F(PgWriterLeaseTest, OneHolderAtATimeEachWithAHigherEpoch) {
  PgWriterLease first(uri_);
  PgWriterLease second(uri_);
  ASSERT_EQ(first.TryAcquire().value_or(false), true);
  const int64_t first_epoch = first.epoch();
  EXPECT_GT(first_epoch, 0);
  EXPECT_EQ(second.TryAcquire().value_or(true), false);
  first.Release();
  ASSERT_EQ(second.TryAcquire().value_or(false), true);
  EXPECT_GT(second.epoch(), first_epoch);
  EXPECT_EQ(first.TryAcquire().value_or(true), false);
}

TEST_F(PgWriterLeaseTest, LostWhenItsSessionIsTerminated) {
  PgWriterLease holder(uri_);
  ASSERT_EQ(holder.TryAcquire().value_or(false), true);
  absl::Notification never;
  absl::Status held;
  std::thread waiter([&] { held = holder.HoldUntil(never); });
  // Terminate every other session of this database, the holder's, and
  // wait until it is gone with its lock: the holder may see the loss
  // first, from the server's goodbye.
  ASSERT_TRUE(
      admin_
          ->Execute("SELECT count(pg_terminate_backend(pid, 60000)) FROM "
                    "pg_stat_activity WHERE datname = "
                    "current_database() AND pid <> pg_backend_pid()")
          .ok());
  waiter.join();  // Returns only once the loss is seen.
  EXPECT_TRUE(absl::IsUnavailable(held)) << held;

  PgWriterLease next(uri_);
  EXPECT_EQ(next.TryAcquire().value_or(false), true);
}

TEST_F(PgWriterLeaseTest, HoldUntilReturnsOkOnStop) {
  PgWriterLease holder(uri_);
  ASSERT_EQ(holder.TryAcquire().value_or(false), true);
  absl::Notification stop;
  stop.Notify();
  EXPECT_TRUE(holder.HoldUntil(stop).ok());
}

}  // namespace
}  // namespace storage
