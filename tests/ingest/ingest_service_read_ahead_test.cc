// The bound on the budgets one SubmitBudgets stream reads ahead of its
// answers (IngestService::kSubmitBudgetsReadAhead, docs/limits.md). The
// service is served in process on a loopback port over a store whose
// commits are held, so that no budget can be answered: a client writes
// more budgets than the bound, and the service must hand the Ingestor
// exactly the bound's worth of them until the commits go through; then
// every budget is answered in order and stored.
#include <cstdint>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/string_view.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "auth/authorization.h"
#include "auth/principal_registry.h"
#include "budget/v1/audit.pb.h"
#include "budget/v1/ingest_service.grpc.pb.h"
#include "grpcpp/client_context.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server.h"
#include "grpcpp/server_builder.h"
#include "gtest/gtest.h"
#include "ingest_service/ingest_service.h"
#include "ingest_service/writer_role.h"
#include "server_common/access_gate.h"
#include "server_common/server_runner.h"
#include "storage/budget_store.h"
#include "storage/open_store.h"
#include "tests/ingest/gated_store.h"
#include "tests/ingest/test_budgets.h"
#include "tests/testing/scratch_dir.h"

namespace ingest_test {
namespace {

using budget::v1::SubmitBudgetRequest;
using budget::v1::SubmitBudgetResult;

constexpr int kReadAhead = ingest::IngestService::kSubmitBudgetsReadAhead;
// Written before any answer is read: twice the bound, so that a stream
// reading past it has budgets to read.
constexpr int kBudgets = 2 * kReadAhead;

class IngestServiceReadAheadTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string path =
        (e2e_testing::MakeScratchDir() / "budget.db").string();
    role_ = std::make_unique<ingest::WriterRole>(
        "sqlite:" + path, ingest::ValidationSettings(), absl::Seconds(1),
        [this](absl::string_view spec)
            -> absl::StatusOr<std::unique_ptr<storage::BudgetStore>> {
          absl::StatusOr<std::unique_ptr<storage::BudgetStore>> store =
              storage::OpenStore(spec);
          if (!store.ok()) return store.status();
          auto gated = std::make_unique<GatedStore>(*std::move(store));
          store_ = gated.get();
          return std::unique_ptr<storage::BudgetStore>(std::move(gated));
        });
    ASSERT_TRUE(role_->TakeOverIfFree().ok());
    absl::StatusOr<std::shared_ptr<ingest::Ingestor>> ingestor =
        role_->Current();
    ASSERT_TRUE(ingestor.ok()) << ingestor.status();
    ASSERT_TRUE((*ingestor)->RegisterUnit(Department()).ok());
    for (int i = 1; i <= kBudgets; ++i) {
      units_.push_back(UnitBelowDepartment(
          absl::StrFormat("%s%03d", kDepartment, i), absl::StrCat("单位", i)));
      ASSERT_TRUE((*ingestor)->RegisterUnit(units_.back()).ok());
    }

    // The store appends the audit records of stored budgets itself, and
    // this test reads no audit trail.
    gate_ = std::make_unique<server_common::AccessGate>(
        &principals_, auth::AccessPolicy(),
        [](std::vector<budget::v1::AuditRecord>) {});
    service_ = std::make_unique<ingest::IngestService>(
        role_.get(), gate_.get(), absl::GetFlag(FLAGS_max_request_messages));
    int port = 0;
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(),
                             &port);
    builder.RegisterService(service_.get());
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
    ASSERT_NE(port, 0);
    stub_ = budget::v1::IngestService::NewStub(grpc::CreateChannel(
        absl::StrCat("127.0.0.1:", port), grpc::InsecureChannelCredentials()));
  }

  void TearDown() override {
    // Calls in flight end only once their budgets are committed.
    if (store_ != nullptr) store_->ReleaseCommits();
    if (server_ != nullptr) server_->Shutdown();
  }

  // No principals file: every caller is the local operator, who may submit
  // for every unit.
  auth::PrincipalRegistry principals_{""};
  std::unique_ptr<ingest::WriterRole> role_;
  GatedStore* store_ = nullptr;  // The role's store.
  std::unique_ptr<server_common::AccessGate> gate_;
  std::unique_ptr<ingest::IngestService> service_;
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<budget::v1::IngestService::Stub> stub_;
  std::vector<budget::v1::Unit> units_;  // One per budget written.
};

TEST_F(IngestServiceReadAheadTest,
       StreamReadsNoFurtherThanItsBoundWhileNoneAnswered) {
  store_->HoldCommits();
  // The Ingestor reads a unit's latest revision from the store as it
  // decides the unit's first budget: with a unit of its own for every
  // budget, the store's reads count the budgets the stream handed over.
  const int reads_before = store_->reads();

  grpc::ClientContext context;
  // Nothing here waits forever if the service stops answering.
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Minutes(2)));
  auto stream = stub_->SubmitBudgets(&context);
  // Writes past what the server reads wait in flow control, so they are
  // made from a thread of their own while this one watches the store.
  int written = 0;
  std::thread writer([&] {
    for (; written < kBudgets; ++written) {
      SubmitBudgetRequest request;
      request.set_request_id(absl::StrCat("b", written));
      *request.mutable_budget() = SalaryBudget(units_[written], 100 + written);
      if (!stream->Write(request)) return;
    }
    stream->WritesDone();
  });

  EXPECT_TRUE(store_->AwaitReads(reads_before + kReadAhead, absl::Minutes(1)))
      << "the stream handed over " << store_->reads() - reads_before;
  // A stream that read past its bound would hand over the next budget as
  // soon as it arrives; the client is writing all of them.
  EXPECT_FALSE(
      store_->AwaitReads(reads_before + kReadAhead + 1, absl::Seconds(2)));
  EXPECT_EQ(store_->reads() - reads_before, kReadAhead);

  store_->ReleaseCommits();
  for (int i = 0; i < kBudgets; ++i) {
    SubmitBudgetResult result;
    if (!stream->Read(&result)) {
      ADD_FAILURE() << "stream ended before answer " << i;
      break;
    }
    EXPECT_EQ(result.request_id(), absl::StrCat("b", i));
    EXPECT_EQ(result.code(), grpc::StatusCode::OK) << i << result.message();
    // Decided, so stored, in the order written.
    EXPECT_EQ(result.response().consolidated_revision(), i + 1);
  }
  writer.join();
  EXPECT_EQ(written, kBudgets);
  SubmitBudgetResult extra;
  EXPECT_FALSE(stream->Read(&extra));
  grpc::Status finished = stream->Finish();
  EXPECT_TRUE(finished.ok()) << finished.error_message();
  absl::StatusOr<int64_t> stored = store_->ConsolidatedRevision();
  ASSERT_TRUE(stored.ok()) << stored.status();
  EXPECT_EQ(*stored, kBudgets);
}

}  // namespace
}  // namespace ingest_test
