// End to end: ingest_service and query_service on free loopback ports over
// one temporary SQLite file; budgets go in through the ingest service and
// come out of the query service.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <future>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "budget/v1/ingest_service.grpc.pb.h"
#include "budget/v1/query_service.grpc.pb.h"
#include "gmock/gmock.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "tests/ingest/test_budgets.h"
#include "tests/query/two_services.h"

namespace query_test {
namespace {

using budget::v1::AggregateRequest;
using budget::v1::AggregateResponse;
using ingest_test::kDepartment;
using ingest_test::kYear;

class QueryE2eTest : public TwoServices {
 protected:
  void SetUp() override {
    TwoServices::SetUp();
    Register(ingest_test::Department());
  }

  // Submits a salary budget of `fen`; returns the consolidated revision.
  int64_t Submit(const std::string& unit, int64_t fen) {
    return TwoServices::Submit(ingest_test::SalaryBudget(
        ingest_test::UnitBelowDepartment(unit, "单位 " + unit), fen));
  }

  grpc::Status Aggregate(const AggregateRequest& request,
                         AggregateResponse* response) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() +
                         std::chrono::seconds(10));
    return query_stub_->Aggregate(&context, request, response);
  }

  // The department drilled down by unit, at least at `revision`.
  AggregateRequest ByUnit(int64_t revision) {
    AggregateRequest request;
    request.set_node_code(kDepartment);
    request.set_fiscal_year(kYear);
    request.add_drilldown(budget::v1::DIMENSION_UNIT);
    request.mutable_read()->set_min_revision(revision);
    return request;
  }
};

TEST_F(QueryE2eTest, QueryNamingTheNewRevisionSeesTheSubmission) {
  Register(ingest_test::UnitBelowDepartment("021001", "机关"));
  Register(ingest_test::UnitBelowDepartment("021002", "中心"));
  Submit("021001", 1'000);
  int64_t revision = Submit("021002", 2'500);

  AggregateResponse response;
  grpc::Status status = Aggregate(ByUnit(revision), &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_GE(response.revision(), revision);
  ASSERT_EQ(response.rows_size(), 2);
  EXPECT_EQ(response.rows(0).members(0).value(), "021001");
  EXPECT_EQ(response.rows(0).members(0).name(), "机关");
  EXPECT_EQ(response.rows(0).amount_fen(), 1'000);
  EXPECT_EQ(response.rows(1).amount_fen(), 2'500);
  EXPECT_EQ(response.grand_total().amount_fen(), 3'500);

  revision = Submit("021001", 4'000);
  response.Clear();
  status = Aggregate(ByUnit(revision), &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(response.rows(0).amount_fen(), 4'000);
  EXPECT_EQ(response.grand_total().amount_fen(), 6'500);

  grpc::ClientContext context;
  budget::v1::GetDisclosureTableRequest table_request;
  table_request.set_node_code(kDepartment);
  table_request.set_fiscal_year(kYear);
  table_request.set_table_id("T01");
  table_request.mutable_read()->set_min_revision(revision);
  budget::v1::DisclosureTable table;
  status = query_stub_->GetDisclosureTable(&context, table_request, &table);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(table.revision(), revision);
  EXPECT_FALSE(table.body_rows().empty());
}

// Tables and summaries are cached per node; a new revision or a new unit
// below the node must show in the next answer, and the other year's cached
// answer must stay as it was.
TEST_F(QueryE2eTest, RepeatedTablesAndSummariesFollowEachNewRevision) {
  Register(ingest_test::UnitBelowDepartment("021001", "机关"));
  auto summary_total = [&](int64_t revision) {
    budget::v1::GetSummaryRequest request;
    request.set_node_code(kDepartment);
    request.set_fiscal_year(kYear);
    request.mutable_read()->set_min_revision(revision);
    budget::v1::Summary summary;
    grpc::ClientContext context;
    grpc::Status status = query_stub_->GetSummary(&context, request, &summary);
    EXPECT_TRUE(status.ok()) << status.error_message();
    EXPECT_GE(summary.revision(), revision);
    return summary.expenditure_total_fen();
  };
  auto table = [&](int64_t revision) {
    budget::v1::GetDisclosureTableRequest request;
    request.set_node_code(kDepartment);
    request.set_fiscal_year(kYear);
    request.set_table_id("T01");
    request.mutable_read()->set_min_revision(revision);
    budget::v1::DisclosureTable answer;
    grpc::ClientContext context;
    grpc::Status status =
        query_stub_->GetDisclosureTable(&context, request, &answer);
    EXPECT_TRUE(status.ok()) << status.error_message();
    EXPECT_GE(answer.revision(), revision);
    answer.clear_revision();  // The content alone.
    return answer.SerializeAsString();
  };

  int64_t revision = Submit("021001", 1'000);
  EXPECT_EQ(summary_total(revision), 1'000);
  EXPECT_EQ(summary_total(revision), 1'000);
  std::string first_table = table(revision);

  revision = Submit("021001", 4'000);
  EXPECT_EQ(summary_total(revision), 4'000);
  EXPECT_NE(table(revision), first_table);

  Register(ingest_test::UnitBelowDepartment("021003", "新单位"));
  revision = Submit("021003", 500);
  EXPECT_EQ(summary_total(revision), 4'500);
}

// The cached reads take raw bytes; what does not parse as their request is
// the caller's error, not the server's.
TEST_F(QueryE2eTest, UnparsableRequestIsInvalidArgument) {
  grpc::GenericStub stub(query_->Channel());
  // Field 1 announces 5 bytes and two follow.
  const grpc::Slice truncated(
      std::string("\x0a\x05"
                  "ab"));
  for (const char* method : {"/budget.v1.QueryService/GetDisclosureTable",
                             "/budget.v1.QueryService/GetSummary",
                             "/budget.v1.QueryService/Aggregate"}) {
    grpc::ByteBuffer request(&truncated, 1);
    grpc::ByteBuffer response;
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() +
                         std::chrono::seconds(10));
    std::promise<grpc::Status> done;
    stub.UnaryCall(&context, method, grpc::StubOptions(), &request, &response,
                   [&done](grpc::Status status) { done.set_value(status); });
    grpc::Status status = done.get_future().get();
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
        << method << ": " << status.error_message();
  }
  // An empty message is a request with every field at its default.
  grpc::ClientContext context;
  budget::v1::Summary summary;
  grpc::Status status = query_stub_->GetSummary(
      &context, budget::v1::GetSummaryRequest(), &summary);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND)
      << status.error_message();
}

// A cached answer is sent with the revision of the read that finds it, not
// the one it was built at: a submission elsewhere leaves the unit's answer
// cached.
TEST_F(QueryE2eTest, CachedAnswerStatesTheRevisionItWasReadAt) {
  Register(ingest_test::UnitBelowDepartment("021001", "机关"));
  Register(ingest_test::UnitBelowDepartment("021002", "中心"));
  int64_t built_at = Submit("021001", 1'000);
  AggregateRequest request = ByUnit(built_at);
  request.set_node_code("021001");
  AggregateResponse built;
  ASSERT_TRUE(Aggregate(request, &built).ok());

  int64_t later = Submit("021002", 2'500);
  ASSERT_GT(later, built_at);
  request.mutable_read()->set_min_revision(later);
  AggregateResponse cached;
  ASSERT_TRUE(Aggregate(request, &cached).ok());
  EXPECT_GE(cached.revision(), later);
  cached.set_revision(built.revision());
  EXPECT_EQ(cached.SerializeAsString(), built.SerializeAsString());
}

// Aggregate answers are cached per request and caller; another page or
// another drilldown of the same node is another answer.
TEST_F(QueryE2eTest, CachedAggregateAnswersAreKeptApartByRequest) {
  Register(ingest_test::UnitBelowDepartment("021001", "机关"));
  Register(ingest_test::UnitBelowDepartment("021002", "中心"));
  Submit("021001", 1'000);
  int64_t revision = Submit("021002", 2'500);

  AggregateRequest first_page = ByUnit(revision);
  first_page.set_page_size(1);
  AggregateRequest second_page = first_page;
  for (int repeat = 0; repeat < 2; ++repeat) {
    AggregateResponse response;
    ASSERT_TRUE(Aggregate(first_page, &response).ok());
    ASSERT_EQ(response.rows_size(), 1);
    EXPECT_EQ(response.rows(0).members(0).value(), "021001");
    EXPECT_GE(response.revision(), revision);
    second_page.set_page_token(response.next_page_token());

    response.Clear();
    ASSERT_TRUE(Aggregate(second_page, &response).ok());
    ASSERT_EQ(response.rows_size(), 1);
    EXPECT_EQ(response.rows(0).members(0).value(), "021002");
    EXPECT_TRUE(response.next_page_token().empty());

    response.Clear();
    ASSERT_TRUE(Aggregate(ByUnit(revision), &response).ok());
    EXPECT_EQ(response.rows_size(), 2);
    EXPECT_EQ(response.grand_total().amount_fen(), 3'500);
  }
}

TEST_F(QueryE2eTest, RevisionNotReachedByTheDeadlineIsDeadlineExceeded) {
  Register(ingest_test::UnitBelowDepartment("021001", "机关"));
  int64_t revision = Submit("021001", 1'000);
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::milliseconds(300));
  AggregateResponse response;
  grpc::Status status =
      query_stub_->Aggregate(&context, ByUnit(revision + 1), &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED);
}

TEST_F(QueryE2eTest, ReaderNeverSeesAHalfAppliedRevision) {
  const std::vector<std::string> units = {"021001", "021002", "021003"};
  for (const std::string& unit : units) {
    Register(ingest_test::UnitBelowDepartment(unit, "单位 " + unit));
  }
  int64_t first = Submit(units[0], 1);
  std::atomic<bool> done{false};
  std::atomic<int> answers{0};
  std::thread reader([&] {
    while (!done.load()) {
      AggregateResponse response;
      AggregateRequest request = ByUnit(first);
      grpc::Status status = Aggregate(request, &response);
      ASSERT_TRUE(status.ok()) << status.error_message();
      int64_t sum = 0;
      for (const auto& row : response.rows()) sum += row.amount_fen();
      ASSERT_EQ(sum, response.grand_total().amount_fen())
          << "at revision " << response.revision();
      ++answers;
    }
  });
  int64_t last = 0;
  for (int i = 0; i < 30; ++i) last = Submit(units[i % 3], 100 * (i + 1));
  AggregateResponse response;
  ASSERT_TRUE(Aggregate(ByUnit(last), &response).ok());
  done = true;
  reader.join();
  EXPECT_GT(answers.load(), 0);
  // The last three submissions are 2800, 2900 and 3000 fen.
  EXPECT_EQ(response.grand_total().amount_fen(), 8'700);
}

TEST_F(QueryE2eTest, WatchStreamsNewRevisionsWithNodeTotals) {
  Register(ingest_test::UnitBelowDepartment("021001", "机关"));
  // Watch from a revision > 0: after_revision 0 means "new revisions only",
  // so watching after `first - 1` = 0 would see `first` only when the query
  // service had not tailed it yet at subscription, a race the test lost on
  // a loaded machine. A positive revision replays what was applied already
  // and streams the rest, whatever the tailer's timing.
  const int64_t earlier = Submit("021001", 500);
  const int64_t first = Submit("021001", 1'000);
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::seconds(10));
  budget::v1::WatchRequest request;
  request.set_node_code(kDepartment);
  request.set_after_revision(earlier);
  auto reader = query_stub_->Watch(&context, request);
  budget::v1::RevisionEvent event;
  ASSERT_TRUE(reader->Read(&event));
  EXPECT_EQ(event.revision(), first);
  EXPECT_EQ(event.totals().expenditure_fen(), 1'000);
  int64_t second = Submit("021001", 1'500);
  ASSERT_TRUE(reader->Read(&event));
  EXPECT_EQ(event.revision(), second);
  EXPECT_EQ(event.unit_code(), "021001");
  EXPECT_EQ(event.totals().node_code(), kDepartment);
  EXPECT_EQ(event.totals().expenditure_fen(), 1'500);
  context.TryCancel();
}

TEST_F(QueryE2eTest, WatchRefusesToReplayRevisionsItNoLongerKeeps) {
  query_.reset();
  std::vector<std::string> args = e2e_testing::StoreArgs(store_path());
  args.push_back("--watch_replay_revisions=2");
  query_ = std::make_unique<ServiceProcess>(QUERY_SERVICE_BINARY, args);
  query_stub_ = budget::v1::QueryService::NewStub(query_->Channel());
  Register(ingest_test::UnitBelowDepartment("021001", "机关"));
  const int64_t first = Submit("021001", 500);
  const int64_t second = Submit("021001", 1'000);
  const int64_t third = Submit("021001", 1'500);
  const int64_t fourth = Submit("021001", 2'000);
  AggregateResponse applied;
  ASSERT_TRUE(Aggregate(ByUnit(fourth), &applied).ok());

  auto watch = [&](int64_t after, std::vector<int64_t>* revisions) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() +
                         std::chrono::seconds(2));
    budget::v1::WatchRequest request;
    request.set_node_code(kDepartment);
    request.set_after_revision(after);
    auto reader = query_stub_->Watch(&context, request);
    budget::v1::RevisionEvent event;
    while (revisions->size() < 2 && reader->Read(&event)) {
      revisions->push_back(event.revision());
    }
    if (revisions->size() == 2) context.TryCancel();
    return reader->Finish();
  };
  // The first two revisions have left the two-revision replay log: the
  // caller is told, instead of missing the second without knowing it.
  std::vector<int64_t> revisions;
  grpc::Status refused = watch(first, &revisions);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::OUT_OF_RANGE);
  EXPECT_THAT(refused.error_message(),
              testing::HasSubstr("--watch_replay_revisions"));
  EXPECT_TRUE(revisions.empty());
  // After the second, everything is still held and replayed.
  watch(second, &revisions);
  EXPECT_EQ(revisions, (std::vector<int64_t>{third, fourth}));
}

// A replica started on a store that already holds the revisions reads them
// as one backlog and skips the totals of those its replay log would drop at
// once: what it replays must be what a replica that followed them replays.
TEST_F(QueryE2eTest, AColdStartReplaysTheNewestRevisionsWithTheirTotals) {
  Register(ingest_test::UnitBelowDepartment("021001", "机关"));
  Submit("021001", 500);
  const int64_t second = Submit("021001", 1'000);
  const int64_t third = Submit("021001", 1'500);
  const int64_t fourth = Submit("021001", 2'000);
  query_.reset();
  std::vector<std::string> args = e2e_testing::StoreArgs(store_path());
  args.push_back("--watch_replay_revisions=2");
  query_ = std::make_unique<ServiceProcess>(QUERY_SERVICE_BINARY, args);
  query_stub_ = budget::v1::QueryService::NewStub(query_->Channel());
  AggregateResponse applied;
  ASSERT_TRUE(Aggregate(ByUnit(fourth), &applied).ok());

  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::seconds(2));
  budget::v1::WatchRequest request;
  request.set_node_code(kDepartment);
  request.set_after_revision(second);
  auto reader = query_stub_->Watch(&context, request);
  std::vector<std::pair<int64_t, int64_t>> replayed;  // Revision, fen.
  budget::v1::RevisionEvent event;
  while (replayed.size() < 2 && reader->Read(&event)) {
    EXPECT_EQ(event.totals().node_code(), kDepartment);
    replayed.emplace_back(event.revision(), event.totals().expenditure_fen());
  }
  context.TryCancel();
  reader->Finish();
  EXPECT_EQ(replayed, (std::vector<std::pair<int64_t, int64_t>>{
                          {third, 1'500}, {fourth, 2'000}}));
}

TEST_F(QueryE2eTest, ExportSendsRegistryBudgetsAndTrailer) {
  Register(ingest_test::UnitBelowDepartment("021001", "机关"));
  int64_t revision = Submit("021001", 1'000);
  grpc::ClientContext context;
  budget::v1::ExportBudgetRequest request;
  request.set_node_code(kDepartment);
  request.set_fiscal_year(kYear);
  request.mutable_read()->set_min_revision(revision);
  auto reader = query_stub_->ExportBudget(&context, request);
  std::vector<budget::v1::ExportRecord> records;
  budget::v1::ExportRecord record;
  while (reader->Read(&record)) records.push_back(record);
  ASSERT_TRUE(reader->Finish().ok());
  ASSERT_EQ(records.size(), 4u);
  EXPECT_EQ(records[0].unit().code(), kDepartment);
  EXPECT_EQ(records[1].unit().code(), "021001");
  EXPECT_EQ(records[2].budget().unit_code(), "021001");
  const budget::v1::ExportTrailer& trailer = records[3].trailer();
  EXPECT_EQ(trailer.unit_count(), 2);
  EXPECT_EQ(trailer.budget_count(), 1);
  EXPECT_EQ(trailer.revision(), revision);
  EXPECT_EQ(trailer.totals().expenditure_fen(), 1'000);
}

TEST_F(QueryE2eTest, SigtermStopsTheServerCleanly) {
  int status = query_->Stop(SIGTERM);
  EXPECT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
}

}  // namespace
}  // namespace query_test
