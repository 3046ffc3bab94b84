// Reads that name a revision not applied yet (ReadOptions.min_revision),
// through the real binaries: the caller is checked before any wait; a
// parked read holds no thread, so other reads go on; it ends when its
// revision arrives, when the client cancels it, at the service's maximum
// wait, and when the service is stopped; a revision far ahead is refused
// at once.
#include <signal.h>
#include <sys/wait.h>

#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "tests/security/security_fixture.h"
#include "tests/testing/reference_fixture.h"

namespace security_test {
namespace {

// More parked reads than gRPC has callback threads.
constexpr int kParked = 64;

class WaitingReadsE2eTest : public SecurityFixture {
 protected:
  std::vector<std::string> ExtraQueryFlags() const override {
    return {"--max_read_wait=60s", "--max_revision_lead=1000",
            "--max_waiting_reads=" + std::to_string(kParked)};
  }

  // A GetSummary in flight.
  struct Pending {
    std::unique_ptr<grpc::ClientContext> context;
    budget::v1::GetSummaryRequest request;
    budget::v1::Summary response;
    grpc::Status status;
    absl::Notification done;
  };

  // Starts a read of 021's 2024 summary as `who` at `min_revision`.
  std::unique_ptr<Pending> Start(const std::string& who, int64_t min_revision) {
    auto pending = std::make_unique<Pending>();
    pending->context = As(who);
    pending->request.set_node_code("021");
    pending->request.set_fiscal_year(2024);
    pending->request.mutable_read()->set_min_revision(min_revision);
    Pending* p = pending.get();
    query_stub_->async()->GetSummary(p->context.get(), &p->request,
                                     &p->response, [p](grpc::Status status) {
                                       p->status = std::move(status);
                                       p->done.Notify();
                                     });
    return pending;
  }

  // Waits until `count` of `reads` have finished; returns how many did.
  static int AwaitFinished(const std::vector<std::unique_ptr<Pending>>& reads,
                           int count) {
    while (true) {
      int finished = 0;
      for (const auto& p : reads) finished += p->done.HasBeenNotified();
      if (finished >= count) return finished;
      absl::SleepFor(absl::Milliseconds(10));
    }
  }

  std::vector<std::unique_ptr<Pending>> Park(int count) {
    std::vector<std::unique_ptr<Pending>> parked;
    for (int i = 0; i < count; ++i) {
      parked.push_back(Start("auditor", loaded_revision() + 500));
    }
    return parked;
  }

  // Submits 021001's 2023 budget (2024 is locked) again under a new
  // request id: one more consolidated revision.
  int64_t SubmitOnce() {
    for (const e2e_testing::ReferenceBudget& file :
         e2e_testing::ReferenceBudgets(2023)) {
      if (file.budget.unit_code() != "021001") continue;
      budget::v1::SubmitBudgetRequest request;
      request.set_request_id("waiting-reads-resubmission");
      *request.mutable_budget() = file.budget;
      budget::v1::SubmitBudgetResponse response;
      grpc::Status status =
          ingest_stub_->SubmitBudget(As("admin").get(), request, &response);
      EXPECT_TRUE(status.ok()) << status.error_message();
      return response.consolidated_revision();
    }
    ADD_FAILURE() << "no 021001 budget in the reference";
    return 0;
  }

  // A plain read with no revision to wait for.
  grpc::Status PlainRead() {
    // Only against a hang: parked reads have no deadline shorter than it.
    return ReadSummary(*query_stub_, std::chrono::seconds(30));
  }

  // 021's 2024 summary through `stub`, ending at `deadline` at the latest.
  grpc::Status ReadSummary(budget::v1::QueryService::Stub& stub,
                           std::chrono::seconds deadline) {
    budget::v1::GetSummaryRequest request;
    request.set_node_code("021");
    request.set_fiscal_year(2024);
    budget::v1::Summary response;
    auto context = As("auditor");
    context->set_deadline(std::chrono::system_clock::now() + deadline);
    return stub.GetSummary(context.get(), request, &response);
  }
};

TEST_F(WaitingReadsE2eTest, CallerIsCheckedBeforeTheWait) {
  struct Case {
    std::string who;
    int32_t year;
    grpc::StatusCode expected;
  };
  for (const Case& c :
       {Case{"nobody", 2024, grpc::StatusCode::UNAUTHENTICATED},
        Case{"", 2023, grpc::StatusCode::PERMISSION_DENIED},
        Case{"public", 2023, grpc::StatusCode::PERMISSION_DENIED},
        Case{"submitter", 2024, grpc::StatusCode::PERMISSION_DENIED}}) {
    SCOPED_TRACE(c.who);
    grpc::ClientContext context;
    if (c.who == "nobody") {
      context.AddMetadata("authorization", "Bearer 00ff.nobody");
    } else if (!c.who.empty()) {
      context.AddMetadata("authorization", "Bearer " + TokenOf(c.who));
    }
    // Longer than the test may take: only a wait would reach it.
    context.set_deadline(std::chrono::system_clock::now() +
                         std::chrono::seconds(60));
    budget::v1::GetSummaryRequest request;
    request.set_node_code("021");
    request.set_fiscal_year(c.year);
    request.mutable_read()->set_min_revision(loaded_revision() + 1);
    budget::v1::Summary response;
    EXPECT_EQ(
        query_stub_->GetSummary(&context, request, &response).error_code(),
        c.expected);
  }
  // And each refusal is audited, as for any read.
  budget::v1::ListAuditRecordsRequest list;
  list.set_page_size(10000);
  budget::v1::ListAuditRecordsResponse records;
  ASSERT_TRUE(
      audit_stub_->ListAuditRecords(As("auditor").get(), list, &records).ok());
  std::set<std::string> audited;
  for (const budget::v1::AuditRecord& record : records.records()) {
    if (record.method() != "GetSummary" || record.outcome() == "OK") continue;
    audited.insert(absl::StrCat(record.principal(), " ", record.fiscal_year(),
                                " ", record.outcome()));
  }
  for (const std::string expected :
       {"unknown 2024 UNAUTHENTICATED", "anonymous 2023 PERMISSION_DENIED",
        "public 2023 PERMISSION_DENIED", "submitter 2024 PERMISSION_DENIED"}) {
    EXPECT_EQ(audited.count(expected), 1u) << expected;
  }
}

TEST_F(WaitingReadsE2eTest, FarAheadRevisionIsRefusedAtOnce) {
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::seconds(60));
  budget::v1::GetSummaryRequest request;
  request.set_node_code("021");
  request.set_fiscal_year(2024);
  request.mutable_read()->set_min_revision(1'000'000'000'000'000);
  budget::v1::Summary response;
  grpc::Status status =
      query_stub_->GetSummary(As("auditor").get(), request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::OUT_OF_RANGE);
  EXPECT_NE(status.error_message().find("min_revision"), std::string::npos)
      << status.error_message();
}

TEST_F(WaitingReadsE2eTest, ParkedReadsDoNotStopOtherReadsAndEndOnCancel) {
  // One more than the service holds: that one is refused, and then every
  // other is known to be parked.
  std::vector<std::unique_ptr<Pending>> parked = Park(kParked + 1);
  EXPECT_EQ(AwaitFinished(parked, 1), 1);
  for (const auto& p : parked) {
    if (p->done.HasBeenNotified()) {
      EXPECT_EQ(p->status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED)
          << p->status.error_message();
    }
  }
  // A read with nothing to wait for is still answered.
  grpc::Status plain = PlainRead();
  EXPECT_TRUE(plain.ok()) << plain.error_message();
  EXPECT_EQ(AwaitFinished(parked, 1), 1);

  for (const auto& p : parked) p->context->TryCancel();
  EXPECT_EQ(AwaitFinished(parked, kParked + 1), kParked + 1);
  int cancelled = 0;
  for (const auto& p : parked) {
    cancelled += p->status.error_code() == grpc::StatusCode::CANCELLED;
  }
  EXPECT_EQ(cancelled, kParked);
  // The cancelled reads left the service: as many may park again. The
  // client sees CANCELLED before the service has handled the cancellation
  // and freed the slots, so a few tries (bounded) may find them still held;
  // a service that never freed them fails every try.
  std::vector<std::unique_ptr<Pending>> again;
  for (int attempt = 0;; ++attempt) {
    again = Park(kParked + 1);
    if (AwaitFinished(again, 1) == 1 || attempt == 50) break;
    for (const auto& p : again) p->context->TryCancel();
    AwaitFinished(again, kParked + 1);
    absl::SleepFor(absl::Milliseconds(100));
  }
  EXPECT_EQ(AwaitFinished(again, 1), 1);
  grpc::Status plain_again = PlainRead();
  EXPECT_TRUE(plain_again.ok()) << plain_again.error_message();
  for (const auto& p : again) p->context->TryCancel();
  EXPECT_EQ(AwaitFinished(again, kParked + 1), kParked + 1);
}

TEST_F(WaitingReadsE2eTest, ArrivingRevisionAnswersParkedReads) {
  std::unique_ptr<Pending> waiting = Start("auditor", loaded_revision() + 1);
  std::unique_ptr<Pending> public_waiting =
      Start("public", loaded_revision() + 1);
  int64_t revision = SubmitOnce();
  ASSERT_EQ(revision, loaded_revision() + 1);
  for (Pending* p : {waiting.get(), public_waiting.get()}) {
    p->done.WaitForNotification();
    EXPECT_TRUE(p->status.ok()) << p->status.error_message();
    EXPECT_GE(p->response.revision(), revision);
  }
}

TEST_F(WaitingReadsE2eTest, SigtermStopsTheServiceWithReadsParked) {
  std::vector<std::unique_ptr<Pending>> parked = Park(kParked);
  ASSERT_TRUE(PlainRead().ok());  // All parked by now.
  int status = query_->Stop(SIGTERM);
  EXPECT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
  for (const auto& p : parked) {
    p->done.WaitForNotification();
    EXPECT_FALSE(p->status.ok());
  }
}

class MaxReadWaitE2eTest : public WaitingReadsE2eTest {
 protected:
  std::vector<std::string> ExtraQueryFlags() const override {
    return {"--max_read_wait=1s"};
  }
};

TEST_F(MaxReadWaitE2eTest, WaitWithoutDeadlineEndsAtTheServiceMaximum) {
  std::unique_ptr<Pending> waiting = Start("auditor", loaded_revision() + 1);
  // Only against a hang: far beyond the service's 1 s maximum. A service
  // that ignored its maximum would otherwise hold this test forever.
  if (!waiting->done.WaitForNotificationWithTimeout(absl::Seconds(30))) {
    waiting->context->TryCancel();
    waiting->done.WaitForNotification();
    FAIL() << "a read without a deadline still waits after 30 s; the "
              "service's --max_read_wait=1s did not end it";
  }
  EXPECT_EQ(waiting->status.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED);
  EXPECT_NE(waiting->status.error_message().find("max_read_wait"),
            std::string::npos)
      << waiting->status.error_message();
}

class StreamsPerConnectionE2eTest : public WaitingReadsE2eTest {
 protected:
  static constexpr int kStreams = 8;
  std::vector<std::string> ExtraQueryFlags() const override {
    return {"--max_read_wait=60s", "--max_revision_lead=1000",
            "--max_concurrent_streams=" + std::to_string(kStreams)};
  }
};

TEST_F(StreamsPerConnectionE2eTest, ParkedCallsFillOnlyTheirConnection) {
  std::vector<std::unique_ptr<Pending>> parked = Park(kStreams);
  // The connection's streams are all open: the next call on it waits in
  // the client for one to close, so it reaches its deadline unanswered.
  EXPECT_EQ(ReadSummary(*query_stub_, std::chrono::seconds(2)).error_code(),
            grpc::StatusCode::DEADLINE_EXCEEDED);
  // Another connection (a subchannel of its own) is answered meanwhile.
  grpc::ChannelArguments own_connection;
  own_connection.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
  auto other = budget::v1::QueryService::NewStub(grpc::CreateCustomChannel(
      query_->address(), grpc::InsecureChannelCredentials(), own_connection));
  grpc::Status status = ReadSummary(*other, std::chrono::seconds(30));
  EXPECT_TRUE(status.ok()) << status.error_message();
  for (const auto& p : parked) p->context->TryCancel();
  EXPECT_EQ(AwaitFinished(parked, kStreams), kStreams);
}

}  // namespace
}  // namespace security_test
