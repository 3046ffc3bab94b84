// query_service as a server among others: it waits for a store that does
// not exist yet without creating it, and it is describable (reflection) and
// answers health checks.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <vector>

#include "budget/v1/ingest_service.grpc.pb.h"
#include "budget/v1/query_service.grpc.pb.h"
#include "google/protobuf/descriptor.pb.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpc/reflection/v1alpha/reflection.grpc.pb.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "tests/ingest/test_budgets.h"
#include "tests/testing/scratch_dir.h"
#include "tests/testing/service_process.h"

namespace query_test {
namespace {

namespace fs = std::filesystem;
using e2e_testing::ServiceProcess;
namespace reflection = grpc::reflection::v1alpha;

class LifecycleE2eTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = e2e_testing::MakeScratchDir();
    store_ = "--store=sqlite:" + (dir_ / "budget.db").string();
  }
  void TearDown() override { fs::remove_all(dir_); }

  fs::path dir_;
  std::string store_;
};

TEST_F(LifecycleE2eTest, WaitsForAStoreWithoutCreatingIt) {
  ServiceProcess query(QUERY_SERVICE_BINARY, {store_, "--insecure"});
  auto stub = budget::v1::QueryService::NewStub(query.Channel());
  budget::v1::AggregateRequest request;
  request.set_node_code(ingest_test::kDepartment);
  request.set_fiscal_year(ingest_test::kYear);
  {
    grpc::ClientContext context;
    budget::v1::AggregateResponse response;
    grpc::Status status = stub->Aggregate(&context, request, &response);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
  }
  EXPECT_FALSE(fs::exists(dir_ / "budget.db"));

  ServiceProcess ingest(INGEST_SERVICE_BINARY, {store_, "--insecure"});
  auto ingest_stub = budget::v1::IngestService::NewStub(ingest.Channel());
  for (const budget::v1::Unit& unit :
       {ingest_test::Department(),
        ingest_test::UnitBelowDepartment("021001", "机关")}) {
    grpc::ClientContext context;
    budget::v1::RegisterUnitRequest register_request;
    *register_request.mutable_unit() = unit;
    budget::v1::RegisterUnitResponse registered;
    ASSERT_TRUE(
        ingest_stub->RegisterUnit(&context, register_request, &registered)
            .ok());
  }
  grpc::ClientContext submit_context;
  budget::v1::SubmitBudgetRequest submit;
  submit.set_request_id("first");
  *submit.mutable_budget() = ingest_test::SalaryBudget(
      ingest_test::UnitBelowDepartment("021001", "机关"), 700);
  budget::v1::SubmitBudgetResponse submitted;
  ASSERT_TRUE(
      ingest_stub->SubmitBudget(&submit_context, submit, &submitted).ok());

  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::seconds(10));
  request.mutable_read()->set_min_revision(submitted.consolidated_revision());
  budget::v1::AggregateResponse response;
  grpc::Status status = stub->Aggregate(&context, request, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(response.grand_total().amount_fen(), 700);
}

TEST_F(LifecycleE2eTest, DescribableAndHealthyUntilStopped) {
  ServiceProcess query(QUERY_SERVICE_BINARY, {store_, "--insecure"});
  auto health = grpc::health::v1::Health::NewStub(query.Channel());
  for (const std::string service : {"", "budget.v1.QueryService"}) {
    grpc::ClientContext context;
    grpc::health::v1::HealthCheckRequest request;
    request.set_service(service);
    grpc::health::v1::HealthCheckResponse response;
    ASSERT_TRUE(health->Check(&context, request, &response).ok());
    EXPECT_EQ(response.status(), grpc::health::v1::HealthCheckResponse::SERVING)
        << service;
  }

  auto stub = reflection::ServerReflection::NewStub(query.Channel());
  grpc::ClientContext context;
  auto stream = stub->ServerReflectionInfo(&context);
  reflection::ServerReflectionRequest describe;
  describe.set_file_containing_symbol("budget.v1.QueryService");
  ASSERT_TRUE(stream->Write(describe));
  reflection::ServerReflectionResponse described;
  ASSERT_TRUE(stream->Read(&described));
  bool declared = false;
  for (const std::string& bytes :
       described.file_descriptor_response().file_descriptor_proto()) {
    google::protobuf::FileDescriptorProto file;
    ASSERT_TRUE(file.ParseFromString(bytes));
    for (const auto& service : file.service()) {
      declared |= file.name() == "budget/v1/query_service.proto" &&
                  service.name() == "QueryService";
    }
  }
  EXPECT_TRUE(declared);
  stream->WritesDone();
  EXPECT_TRUE(stream->Finish().ok());

  int status = query.Stop(SIGINT);
  EXPECT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
}

}  // namespace
}  // namespace query_test
