// query::StoreTailer on PostgreSQL, in process: it follows what a real
// ingest service commits (LISTEN/NOTIFY plus catch-up), including what was
// committed before it started, and reports no lag once caught up; commits
// in quick succession are read together, at most once per poll interval; a
// forged notification does not make it lag, and a store it can no longer
// read does.
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "budget/v1/ingest_service.grpc.pb.h"
#include "grpcpp/client_context.h"
#include "gtest/gtest.h"
#include "query_service/consolidated_view.h"
#include "query_service/store_tailer.h"
#include "storage/postgres/pg_connection.h"
#include "tests/ha/ha_support.h"
#include "tests/ingest/test_budgets.h"
#include "tests/testing/postgres_database.h"
#include "tests/testing/service_process.h"

namespace ha_test {
namespace {

int64_t Submit(budget::v1::IngestService::Stub& stub,
               const budget::v1::Unit& unit, int64_t fen) {
  grpc::ClientContext context;
  budget::v1::SubmitBudgetRequest request;
  request.set_request_id(absl::StrCat("tailer-", fen));
  *request.mutable_budget() = ingest_test::SalaryBudget(unit, fen);
  budget::v1::SubmitBudgetResponse response;
  grpc::Status status = stub.SubmitBudget(&context, request, &response);
  EXPECT_TRUE(status.ok()) << status.error_message();
  return response.consolidated_revision();
}

// Waits, at most a minute, until `view` has applied `revision`.
bool AwaitApplied(const query::ConsolidatedView& view, int64_t revision) {
  const absl::Time end = absl::Now() + absl::Seconds(60);
  while (view.WithState([](const auto&, int64_t applied) { return applied; }) <
         revision) {
    if (absl::Now() > end) return false;
    absl::SleepFor(absl::Milliseconds(10));
  }
  return true;
}

// A migrated database, an ingest service writing to it and one unit
// registered: what each test tails.
class StoreTailerPgTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = MigratedDatabase(e2e_testing::FreshPostgresDatabase());
    ASSERT_FALSE(db_.writer_uri.empty());
    ingest_ = std::make_unique<e2e_testing::ServiceProcess>(
        INGEST_SERVICE_BINARY,
        std::vector<std::string>{"--store=" + db_.writer_uri, "--insecure"});
    ASSERT_FALSE(ingest_->address().empty());
    ASSERT_TRUE(RegisterUnits(ingest_->Channel(), {unit_}).ok());
    stub_ = budget::v1::IngestService::NewStub(ingest_->Channel());
  }

  int64_t Submit(int64_t fen) { return ha_test::Submit(*stub_, unit_, fen); }

  TestDatabase db_;
  const budget::v1::Unit unit_ =
      ingest_test::UnitBelowDepartment("021001", "机关");
  std::unique_ptr<e2e_testing::ServiceProcess> ingest_;
  std::unique_ptr<budget::v1::IngestService::Stub> stub_;
};

TEST_F(StoreTailerPgTest, FollowsCommitsBeforeAndAfterStartWithoutLag) {
  Submit(100);
  const int64_t before_start = Submit(200);

  query::ConsolidatedView view;
  query::StoreTailer tailer(db_.reader_uri, absl::Milliseconds(20), &view);
  tailer.Start();
  ASSERT_TRUE(AwaitApplied(view, before_start));
  const int64_t after_start = Submit(300);
  ASSERT_TRUE(AwaitApplied(view, after_start));

  const query::ReplicaLag lag = tailer.Lag();
  EXPECT_EQ(lag.revisions, 0);
  EXPECT_EQ(lag.behind, absl::ZeroDuration());
  tailer.Stop();
}

// Each submission below is a commit and a notification of its own; a
// tailer reading at each would catch up once per commit.
TEST_F(StoreTailerPgTest, CommitsInQuickSuccessionAreReadTogether) {
  query::ConsolidatedView view;
  // Far longer than the submissions below take, even on a loaded machine.
  query::StoreTailer tailer(db_.reader_uri, absl::Seconds(3), &view);
  tailer.Start();
  constexpr int kCommits = 12;
  int64_t last = 0;
  for (int i = 1; i <= kCommits; ++i) last = Submit(100 * i);
  ASSERT_EQ(last, kCommits);
  ASSERT_TRUE(AwaitApplied(view, last));
  // The first catch-up at start, then the first commit's notification
  // waits out the interval since it and brings every commit made by then.
  EXPECT_LE(tailer.CatchUps(), 3);
  EXPECT_EQ(tailer.Lag().revisions, 0);
  tailer.Stop();
}

// Runs `sql` as the test cluster's superuser on the database `uri` names.
void RunSql(const std::string& uri, const std::string& sql) {
  absl::StatusOr<std::unique_ptr<storage::PgConnection>> conn =
      storage::PgConnection::Connect(uri);
  ASSERT_TRUE(conn.ok()) << conn.status();
  absl::Status done = (*conn)->Exec(sql);
  ASSERT_TRUE(done.ok()) << sql << ": " << done;
}

// Anyone who may connect can NOTIFY: a revision far beyond the store's
// head is a hint the next read corrects, not a lag that stays.
TEST_F(StoreTailerPgTest, AForgedNotificationDoesNotMakeItLag) {
  query::ConsolidatedView view;
  query::StoreTailer tailer(db_.reader_uri, absl::Milliseconds(20), &view);
  tailer.Start();
  ASSERT_TRUE(AwaitApplied(view, Submit(100)));
  RunSql(db_.writer_uri, "NOTIFY budget_changes, '100000'");
  // Time for the notification and the catch-up it causes, many times over.
  absl::SleepFor(absl::Seconds(1));
  EXPECT_EQ(tailer.Lag().revisions, 0);
  ASSERT_TRUE(AwaitApplied(view, Submit(200)));
  EXPECT_EQ(tailer.Lag().revisions, 0);
  EXPECT_EQ(tailer.Lag().behind, absl::ZeroDuration());
  tailer.Stop();
}

// A replica cut off from its store serves what it last read: its lag says
// for how long, so that the lag alert fires, and clears once it reads again.
TEST_F(StoreTailerPgTest, AStoreItCannotReadCountsAsLag) {
  query::ConsolidatedView view;
  query::StoreTailer tailer(db_.reader_uri, absl::Milliseconds(20), &view);
  tailer.Start();
  ASSERT_TRUE(AwaitApplied(view, Submit(100)));
  const std::string database = db_.writer_uri.substr(
      db_.writer_uri.find(":///") + 4,
      db_.writer_uri.find('?') - db_.writer_uri.find(":///") - 4);
  const std::string maintenance = absl::StrReplaceAll(
      db_.writer_uri, {{":///" + database + "?", ":///postgres?"}});
  RunSql(maintenance,
         absl::StrCat("ALTER DATABASE ", database, " ALLOW_CONNECTIONS false"));
  RunSql(maintenance,
         absl::StrCat("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                      "WHERE datname = '",
                      database, "'"));
  // Bounded: a tailer that never counts the outage fails here.
  const absl::Time give_up = absl::Now() + absl::Seconds(30);
  while (tailer.Lag().behind < absl::Seconds(1) && absl::Now() < give_up) {
    absl::SleepFor(absl::Milliseconds(50));
  }
  EXPECT_GE(tailer.Lag().behind, absl::Seconds(1));
  RunSql(maintenance,
         absl::StrCat("ALTER DATABASE ", database, " ALLOW_CONNECTIONS true"));
  const absl::Time end = absl::Now() + absl::Seconds(60);
  while (tailer.Lag().behind > absl::ZeroDuration() && absl::Now() < end) {
    absl::SleepFor(absl::Milliseconds(50));
  }
  EXPECT_EQ(tailer.Lag().behind, absl::ZeroDuration());
  tailer.Stop();
}

}  // namespace
}  // namespace ha_test
