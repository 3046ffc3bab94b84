// Failover on PostgreSQL (issue 14, "done when"): two ingest services and
// two query services on one PostgreSQL database, the query services on a
// read-only role. While clients submit concurrently (failing over between
// the ingest services on UNAVAILABLE, with the same request ids), the
// active ingest service is killed with SIGKILL. The standby takes over
// (health SERVING), every revision acknowledged by either is stored as
// sent, and both query services converge on the same consolidated revision
// and serve the same tables. And a writer that loses its lease while it
// lives (its lease session terminated, its store connections intact) is
// fenced: the standby takes over and no client sees the conflicts a second
// writer would cause.
#include <signal.h>
#include <sys/wait.h>

#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "storage/pg_writer_lease.h"
#include "storage/postgres/pg_connection.h"
#include "tests/ha/ha_support.h"
#include "tests/ingest/test_budgets.h"
#include "tests/testing/postgres_database.h"
#include "tests/testing/service_process.h"

namespace ha_test {
namespace {

using e2e_testing::ServiceProcess;
using grpc::health::v1::HealthCheckResponse;

// Bounds on waits for what should happen within seconds; never a pass/fail
// criterion on speed.
constexpr absl::Duration kPatience = absl::Seconds(60);

TEST(FailoverE2eTest, StandbyTakesOverAndReplicasConverge) {
  const TestDatabase db =
      MigratedDatabase(e2e_testing::FreshPostgresDatabase());
  ASSERT_FALSE(db.writer_uri.empty());

  auto active = std::make_unique<ServiceProcess>(
      INGEST_SERVICE_BINARY, e2e_testing::StoreSpecArgs(db.writer_uri));
  ASSERT_FALSE(active->address().empty());
  ServiceProcess standby(INGEST_SERVICE_BINARY,
                         e2e_testing::StoreSpecArgs(db.writer_uri));
  ASSERT_FALSE(standby.address().empty());
  ServiceProcess query1(QUERY_SERVICE_BINARY,
                        e2e_testing::StoreSpecArgs(db.reader_uri));
  ServiceProcess query2(QUERY_SERVICE_BINARY,
                        e2e_testing::StoreSpecArgs(db.reader_uri));
  ASSERT_FALSE(query1.address().empty());
  ASSERT_FALSE(query2.address().empty());
  ASSERT_TRUE(AwaitHealth(standby.Channel(), HealthCheckResponse::NOT_SERVING,
                          kPatience));
  ASSERT_EQ(Health(active->Channel()), HealthCheckResponse::SERVING);
  ASSERT_TRUE(RegisterUnits(active->Channel(), UnitsBelowDepartment(4)).ok());

  SubmissionLoad load({active->Channel(), standby.Channel()},
                      UnitsBelowDepartment(4), 4);
  load.Start();
  ASSERT_TRUE(load.AwaitMoreAcks(20, kPatience));
  const int killed = active->Stop(SIGKILL);  // Calls in flight.
  ASSERT_TRUE(WIFSIGNALED(killed)) << killed;
  active.reset();

  ASSERT_TRUE(
      AwaitHealth(standby.Channel(), HealthCheckResponse::SERVING, kPatience));
  ASSERT_TRUE(load.AwaitMoreAcks(20, kPatience));
  load.Stop();
  EXPECT_TRUE(load.unexpected().empty())
      << absl::StrJoin(load.unexpected(), "\n");

  const std::vector<std::string> missing =
      MissingAcknowledged(standby.Channel(), load.acked(), load.sent());
  EXPECT_TRUE(missing.empty()) << absl::StrJoin(missing, "\n");

  std::cout << load.sent().size() << " sent, " << load.acked().size()
            << " acknowledged, "
            << load.outcomes()[grpc::StatusCode::UNAVAILABLE]
            << " answered UNAVAILABLE (then retried)\n";
  const int64_t head =
      SettleStore(standby.Channel(), UnitsBelowDepartment(4)[0]);
  ASSERT_GT(head, load.max_consolidated_revision());
  for (const std::string table : {"01", "05", "06"}) {
    budget::v1::DisclosureTable from1;
    budget::v1::DisclosureTable from2;
    grpc::Status status1 = TableAt(query1.Channel(), table, head, &from1);
    grpc::Status status2 = TableAt(query2.Channel(), table, head, &from2);
    ASSERT_TRUE(status1.ok()) << table << ": " << status1.error_message();
    ASSERT_TRUE(status2.ok()) << table << ": " << status2.error_message();
    // Nothing committed after the settling submission: both are at it.
    EXPECT_EQ(from1.revision(), head) << table;
    EXPECT_EQ(from2.revision(), head) << table;
    EXPECT_EQ(from1.SerializeAsString(), from2.SerializeAsString()) << table;
  }
}

TEST(FailoverE2eTest, AWriterThatLostItsLeaseIsFenced) {
  const TestDatabase db =
      MigratedDatabase(e2e_testing::FreshPostgresDatabase());
  ASSERT_FALSE(db.writer_uri.empty());
  // The first one retries the lease slowly once it lost it, so that the
  // other takes it and the first lives on, fenced, with its store open.
  std::vector<std::string> slow = e2e_testing::StoreSpecArgs(db.writer_uri);
  slow.push_back("--standby_retry=30s");
  ServiceProcess first(INGEST_SERVICE_BINARY, slow);
  ASSERT_FALSE(first.address().empty());
  ServiceProcess second(INGEST_SERVICE_BINARY,
                        e2e_testing::StoreSpecArgs(db.writer_uri));
  ASSERT_FALSE(second.address().empty());
  ASSERT_TRUE(AwaitHealth(second.Channel(), HealthCheckResponse::NOT_SERVING,
                          kPatience));
  ASSERT_TRUE(RegisterUnits(first.Channel(), UnitsBelowDepartment(4)).ok());

  SubmissionLoad load({first.Channel(), second.Channel()},
                      UnitsBelowDepartment(4), 4);
  load.Start();
  ASSERT_TRUE(load.AwaitMoreAcks(20, kPatience));
  // End the lease's session alone, as a network cut or an operator would.
  absl::StatusOr<std::unique_ptr<storage::PgConnection>> admin =
      storage::PgConnection::Connect(db.writer_uri);
  ASSERT_TRUE(admin.ok()) << admin.status();
  absl::StatusOr<storage::PgResult> ended = (*admin)->Execute(
      "SELECT count(pg_terminate_backend(pid))::int FROM pg_locks WHERE "
      "locktype = 'advisory' AND classid = 0 AND objid = $1::bigint AND "
      "granted AND database = (SELECT oid FROM pg_database WHERE datname = "
      "current_database())",
      storage::PgParams().Add(storage::PgWriterLease::kLockKey));
  ASSERT_TRUE(ended.ok()) << ended.status();
  ASSERT_EQ(ended->Int(0, 0), 1);

  ASSERT_TRUE(
      AwaitHealth(second.Channel(), HealthCheckResponse::SERVING, kPatience));
  ASSERT_TRUE(load.AwaitMoreAcks(20, kPatience));
  load.Stop();
  // It stands by on the server's goodbye, before the other can take over
  // (PgConnectionTest.SessionEndedDuringAWaitIsUnavailable); waited for
  // all the same, as a starved machine may run its thread late.
  EXPECT_TRUE(AwaitHealth(first.Channel(), HealthCheckResponse::NOT_SERVING,
                          kPatience));
  // A second writer would show as ABORTED or ALREADY_EXISTS (revisions
  // decided on stale memory) or as acknowledged revisions overwritten.
  EXPECT_TRUE(load.unexpected().empty())
      << absl::StrJoin(load.unexpected(), "\n");
  const std::vector<std::string> missing =
      MissingAcknowledged(second.Channel(), load.acked(), load.sent());
  EXPECT_TRUE(missing.empty()) << absl::StrJoin(missing, "\n");
}

}  // namespace
}  // namespace ha_test
