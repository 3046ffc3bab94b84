// The writer lease on SQLite (issue 14, "one writer, a hot standby"): a
// second ingest service started on the same store file stays the standby
// (health NOT_SERVING, every call UNAVAILABLE saying so) while the first
// lives, and takes over when the first is killed with SIGKILL during
// concurrent submissions: health SERVING, the registry and every revision
// the first acknowledged loaded, and submissions go on where it stopped.
#include <signal.h>
#include <sys/wait.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "budget/v1/ingest_service.grpc.pb.h"
#include "grpcpp/client_context.h"
#include "gtest/gtest.h"
#include "tests/ha/ha_support.h"
#include "tests/ingest/test_budgets.h"
#include "tests/testing/scratch_dir.h"
#include "tests/testing/service_process.h"

namespace ha_test {
namespace {

using budget::v1::IngestService;
using e2e_testing::ServiceProcess;
using grpc::health::v1::HealthCheckResponse;

// Bounds on waits for something that should happen within seconds; never
// a pass/fail criterion on speed.
constexpr absl::Duration kPatience = absl::Seconds(60);

TEST(SqliteLeaseE2eTest, SecondServiceStandsByAndTakesOverWhenFirstIsKilled) {
  const std::string store = e2e_testing::MakeScratchDir() / "budget.db";
  auto first = std::make_unique<ServiceProcess>(INGEST_SERVICE_BINARY,
                                                e2e_testing::StoreArgs(store));
  ASSERT_FALSE(first->address().empty());
  ASSERT_TRUE(RegisterUnits(first->Channel(), UnitsBelowDepartment(3)).ok());

  ServiceProcess second(INGEST_SERVICE_BINARY, e2e_testing::StoreArgs(store));
  ASSERT_FALSE(second.address().empty());
  ASSERT_TRUE(AwaitHealth(second.Channel(), HealthCheckResponse::NOT_SERVING,
                          kPatience));
  EXPECT_EQ(Health(first->Channel()), HealthCheckResponse::SERVING);
  {
    auto stub = IngestService::NewStub(second.Channel());
    grpc::ClientContext context;
    budget::v1::SubmitBudgetRequest request;
    request.set_request_id("to-the-standby");
    *request.mutable_budget() =
        ingest_test::SalaryBudget(UnitsBelowDepartment(3)[0], 100);
    budget::v1::SubmitBudgetResponse response;
    grpc::Status status = stub->SubmitBudget(&context, request, &response);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE);
    EXPECT_NE(status.error_message().find("standby"), std::string::npos)
        << status.error_message();
  }

  SubmissionLoad load({first->Channel(), second.Channel()},
                      UnitsBelowDepartment(3), 3);
  load.Start();
  ASSERT_TRUE(load.AwaitMoreAcks(10, kPatience));
  const int killed = first->Stop(SIGKILL);
  ASSERT_TRUE(WIFSIGNALED(killed)) << killed;
  first.reset();

  ASSERT_TRUE(
      AwaitHealth(second.Channel(), HealthCheckResponse::SERVING, kPatience));
  // Submissions go on through the new writer.
  ASSERT_TRUE(load.AwaitMoreAcks(10, kPatience));
  load.Stop();
  EXPECT_EQ(load.unexpected(), std::vector<std::string>())
      << absl::StrJoin(load.unexpected(), "\n");

  const std::vector<std::string> missing =
      MissingAcknowledged(second.Channel(), load.acked(), load.sent());
  EXPECT_TRUE(missing.empty()) << absl::StrJoin(missing, "\n");
  // The registry the first one wrote.
  auto stub = IngestService::NewStub(second.Channel());
  grpc::ClientContext context;
  budget::v1::ListUnitsResponse units;
  ASSERT_TRUE(
      stub->ListUnits(&context, budget::v1::ListUnitsRequest(), &units).ok());
  EXPECT_EQ(units.units_size(),
            1 + static_cast<int>(UnitsBelowDepartment(3).size()));
}

TEST(SqliteLeaseE2eTest, ThirdServiceStaysStandbyWhileTheWriterLives) {
  const std::string store = e2e_testing::MakeScratchDir() / "budget.db";
  ServiceProcess first(INGEST_SERVICE_BINARY, e2e_testing::StoreArgs(store));
  ASSERT_FALSE(first.address().empty());
  ServiceProcess second(INGEST_SERVICE_BINARY, e2e_testing::StoreArgs(store));
  ServiceProcess third(INGEST_SERVICE_BINARY, e2e_testing::StoreArgs(store));
  ASSERT_TRUE(AwaitHealth(second.Channel(), HealthCheckResponse::NOT_SERVING,
                          kPatience));
  ASSERT_TRUE(AwaitHealth(third.Channel(), HealthCheckResponse::NOT_SERVING,
                          kPatience));
  // A clean stop of the writer frees the lease too; exactly one of the two
  // standbys takes it.
  const int stopped = first.Stop(SIGTERM);
  EXPECT_TRUE(WIFEXITED(stopped) && WEXITSTATUS(stopped) == 0) << stopped;
  const absl::Time end = absl::Now() + kPatience;
  int serving = 0;
  while (absl::Now() < end) {
    serving = (Health(second.Channel()) == HealthCheckResponse::SERVING) +
              (Health(third.Channel()) == HealthCheckResponse::SERVING);
    if (serving > 0) break;
    absl::SleepFor(absl::Milliseconds(50));
  }
  ASSERT_EQ(serving, 1);
  // And it stays one: the other keeps standing by.
  absl::SleepFor(absl::Seconds(1));
  EXPECT_EQ((Health(second.Channel()) == HealthCheckResponse::SERVING) +
                (Health(third.Channel()) == HealthCheckResponse::SERVING),
            1);
}

}  // namespace
}  // namespace ha_test
