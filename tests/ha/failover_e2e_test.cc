// Failover on PostgreSQL (issue 14, "done when"): two ingest services and
// two query services on one PostgreSQL database, the query services on a
// read-only role. While clients submit concurrently (failing over between
// the ingest services on UNAVAILABLE, with the same request ids), the
// active ingest service is killed with SIGKILL. The standby takes over
// (health SERVING), every revision acknowledged by either is stored as
// sent, and both query services converge on the same consolidated revision
// and serve the same tables.
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

std::vector<std::string> Args(const std::string& store) {
  return {"--store=" + store, "--insecure", "--shutdown_grace=2s"};
}

std::vector<budget::v1::Unit> Units() {
  std::vector<budget::v1::Unit> units;
  for (int u = 1; u <= 4; ++u) {
    units.push_back(ingest_test::UnitBelowDepartment(absl::StrCat("02100", u),
                                                     absl::StrCat("单位", u)));
  }
  return units;
}

TEST(FailoverE2eTest, StandbyTakesOverAndReplicasConverge) {
  const TestDatabase db =
      MigratedDatabase(e2e_testing::FreshPostgresDatabase());
  ASSERT_FALSE(db.writer_uri.empty());

  auto active = std::make_unique<ServiceProcess>(INGEST_SERVICE_BINARY,
                                                 Args(db.writer_uri));
  ASSERT_FALSE(active->address().empty());
  ServiceProcess standby(INGEST_SERVICE_BINARY, Args(db.writer_uri));
  ASSERT_FALSE(standby.address().empty());
  ServiceProcess query1(QUERY_SERVICE_BINARY, Args(db.reader_uri));
  ServiceProcess query2(QUERY_SERVICE_BINARY, Args(db.reader_uri));
  ASSERT_FALSE(query1.address().empty());
  ASSERT_FALSE(query2.address().empty());
  ASSERT_TRUE(AwaitHealth(standby.Channel(), HealthCheckResponse::NOT_SERVING,
                          kPatience));
  ASSERT_EQ(Health(active->Channel()), HealthCheckResponse::SERVING);
  ASSERT_TRUE(RegisterUnits(active->Channel(), Units()).ok());

  SubmissionLoad load({active->Channel(), standby.Channel()}, Units(), 4);
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
  const int64_t head = SettleStore(standby.Channel(), Units()[0]);
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

}  // namespace
}  // namespace ha_test
