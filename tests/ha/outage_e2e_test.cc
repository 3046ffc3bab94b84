// A PostgreSQL outage under load (issue 14, "done when"): the server is
// stopped (pg_ctl stop -m fast) and started again on the same data while
// two ingest services and a query service serve and clients submit. While
// it is down every submission is answered UNAVAILABLE (not left hanging to
// its deadline), the query service goes on serving the revision it has
// applied, and no service exits; afterwards the services reconnect by
// themselves, one ingest service is the writer again, submissions go on,
// nothing acknowledged is lost, and the query service (LISTENing again) has
// caught up.
//
// Runs a cluster of its own (tests/testing/pg_cluster.sh), so that the
// outage touches no other test.
#include <signal.h>

#include <cstdlib>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
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

using e2e_testing::ServiceProcess;
using grpc::health::v1::HealthCheckResponse;

constexpr absl::Duration kPatience = absl::Seconds(60);

// The test's own cluster, stopped and removed at the end.
class OwnCluster {
 public:
  OwnCluster() : state_(e2e_testing::MakeScratchDir() / "cluster") {
    ok_ = Run("start");
  }
  ~OwnCluster() { Run("stop"); }

  bool ok() const { return ok_; }
  bool Run(const std::string& action) {
    const std::string command =
        absl::StrCat(PG_CLUSTER_SCRIPT, " ", action, " ", state_);
    return std::system(command.c_str()) == 0;
  }
  std::string base_uri() const;

 private:
  const std::string state_;
  bool ok_ = false;
};

std::string OwnCluster::base_uri() const {
  FILE* in = std::fopen((state_ + "/base_uri").c_str(), "r");
  if (in == nullptr) return "";
  char line[4096] = {0};
  std::string uri = std::fgets(line, sizeof line, in) ? line : "";
  std::fclose(in);
  while (!uri.empty() && uri.back() == '\n') uri.pop_back();
  return uri;
}

// A submission through `channel` during the outage.
grpc::Status Probe(const std::shared_ptr<grpc::Channel>& channel, int n) {
  auto stub = budget::v1::IngestService::NewStub(channel);
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::seconds(20));
  budget::v1::SubmitBudgetRequest request;
  request.set_request_id(absl::StrCat("outage-probe-", n));
  *request.mutable_budget() =
      ingest_test::SalaryBudget(UnitsBelowDepartment(3)[0], 7 + n);
  budget::v1::SubmitBudgetResponse response;
  return stub->SubmitBudget(&context, request, &response);
}

bool Alive(const ServiceProcess& process) {
  return ::kill(process.pid(), 0) == 0;
}

TEST(OutageE2eTest, ServicesAnswerUnavailableThenRecoverLosingNothing) {
  OwnCluster cluster;
  ASSERT_TRUE(cluster.ok());
  const TestDatabase db = MigratedDatabase(cluster.base_uri());
  ASSERT_FALSE(db.writer_uri.empty());

  ServiceProcess first(INGEST_SERVICE_BINARY,
                       e2e_testing::StoreSpecArgs(db.writer_uri));
  ServiceProcess second(INGEST_SERVICE_BINARY,
                        e2e_testing::StoreSpecArgs(db.writer_uri));
  ServiceProcess query(QUERY_SERVICE_BINARY,
                       e2e_testing::StoreSpecArgs(db.reader_uri));
  ASSERT_FALSE(first.address().empty());
  ASSERT_FALSE(second.address().empty());
  ASSERT_FALSE(query.address().empty());
  ASSERT_TRUE(RegisterUnits(first.Channel(), UnitsBelowDepartment(3)).ok());

  SubmissionLoad load({first.Channel(), second.Channel()},
                      UnitsBelowDepartment(3), 3);
  load.Start();
  ASSERT_TRUE(load.AwaitMoreAcks(10, kPatience));

  const int64_t before = load.max_consolidated_revision();
  budget::v1::DisclosureTable table;
  ASSERT_TRUE(TableAt(query.Channel(), "01", before, &table).ok());

  const bool first_writes =
      Health(first.Channel()) == HealthCheckResponse::SERVING;
  const ServiceProcess& standby = first_writes ? second : first;
  ASSERT_TRUE(cluster.Run("pause"));
  // The query service keeps serving what it has applied.
  grpc::Status during = TableAt(query.Channel(), "01", before, &table);
  EXPECT_TRUE(during.ok()) << during.error_message();
  // Down: answered, and answered UNAVAILABLE, by both.
  for (int n = 0; n < 4; ++n) {
    const auto& channel = n % 2 == 0 ? first.Channel() : second.Channel();
    grpc::Status status = Probe(channel, n);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE)
        << n << ": " << status.error_message();
  }
  // The standby, once it has tried the lease during the outage, says it
  // cannot take over, not that another service holds the lease (before:
  // it sent callers to an "active one" as cut off as itself).
  std::string said;
  for (absl::Time give_up = absl::Now() + kPatience; absl::Now() < give_up;
       absl::SleepFor(absl::Milliseconds(200))) {
    said = Probe(standby.Channel(), 100).error_message();
    if (said.find("could not take over the store") != std::string::npos) {
      break;
    }
  }
  EXPECT_NE(said.find("this ingest service is not the writer: it could not "
                      "take over the store ("),
            std::string::npos)
      << said;
  EXPECT_TRUE(Alive(first));
  EXPECT_TRUE(Alive(second));
  EXPECT_TRUE(Alive(query));
  ASSERT_TRUE(cluster.Run("resume"));

  // Back: one of them writes again and the load goes on.
  ASSERT_TRUE(load.AwaitMoreAcks(10, kPatience));
  load.Stop();
  EXPECT_TRUE(load.unexpected().empty())
      << absl::StrJoin(load.unexpected(), "\n");
  EXPECT_GT(load.outcomes()[grpc::StatusCode::UNAVAILABLE], 0);
  const auto& writer =
      Health(first.Channel()) == HealthCheckResponse::SERVING ? first : second;
  ASSERT_EQ(Health(writer.Channel()), HealthCheckResponse::SERVING);

  const std::vector<std::string> missing =
      MissingAcknowledged(writer.Channel(), load.acked(), load.sent());
  EXPECT_TRUE(missing.empty()) << absl::StrJoin(missing, "\n");

  std::cout << load.sent().size() << " sent, " << load.acked().size()
            << " acknowledged, "
            << load.outcomes()[grpc::StatusCode::UNAVAILABLE]
            << " answered UNAVAILABLE (then retried)\n";
  // The query service LISTENs again and has caught up.
  const int64_t head =
      SettleStore(writer.Channel(), UnitsBelowDepartment(3)[0]);
  ASSERT_GT(head, load.max_consolidated_revision());
  grpc::Status read = TableAt(query.Channel(), "01", head, &table);
  ASSERT_TRUE(read.ok()) << read.error_message();
  EXPECT_EQ(table.revision(), head);
  EXPECT_TRUE(Alive(first));
  EXPECT_TRUE(Alive(second));
  EXPECT_TRUE(Alive(query));
}

}  // namespace
}  // namespace ha_test
