// query_service as a server among others: it waits for a store that does
// not exist yet without creating it, it refuses a port another service
// listens on, and it is describable (reflection, in both versions, with the
// proto comments) and answers health checks.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "budget/v1/ingest_service.grpc.pb.h"
#include "budget/v1/query_service.grpc.pb.h"
#include "gmock/gmock.h"
#include "google/protobuf/descriptor.pb.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpc/reflection/v1/reflection.grpc.pb.h"
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
using ::testing::Contains;
using ::testing::HasSubstr;
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

TEST_F(LifecycleE2eTest, RefusesAPortAnotherServiceListensOn) {
  ServiceProcess first(QUERY_SERVICE_BINARY, {store_, "--insecure"});
  ASSERT_FALSE(first.address().empty());
  // Run to its end, or killed after 20 s if it wrongly listens too.
  const fs::path log = dir_ / "second.log";
  const std::string command = "timeout 20 " +
                              std::string(QUERY_SERVICE_BINARY) +
                              " --listen=" + first.address() + " " + store_ +
                              " --insecure >" + log.string() + " 2>&1";
  const int status = std::system(command.c_str());
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 1);
  std::stringstream output;
  output << std::ifstream(log).rdbuf();
  EXPECT_THAT(output.str(), HasSubstr("cannot listen on " + first.address()));
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
  std::string comments;  // Every leading comment of the service's file.
  for (const std::string& bytes :
       described.file_descriptor_response().file_descriptor_proto()) {
    google::protobuf::FileDescriptorProto file;
    ASSERT_TRUE(file.ParseFromString(bytes));
    if (file.name() != "budget/v1/query_service.proto") continue;
    for (const auto& service : file.service()) {
      declared |= service.name() == "QueryService";
    }
    for (const auto& location : file.source_code_info().location()) {
      comments += location.leading_comments();
    }
  }
  EXPECT_TRUE(declared);
  // The proto comments are the API docs grpcurl shows; copied from the
  // comment on GetDisclosureTable in proto/budget/v1/query_service.proto.
  EXPECT_THAT(comments, HasSubstr(" One of the thirteen disclosure tables of "
                                  "a node and year, in the\n published "
                                  "layout, as data.\n"));
  stream->WritesDone();
  EXPECT_TRUE(stream->Finish().ok());

  // The same through reflection's v1 name (gRPC 1.51's own served only
  // v1alpha).
  auto v1 = grpc::reflection::v1::ServerReflection::NewStub(query.Channel());
  grpc::ClientContext v1_context;
  auto v1_stream = v1->ServerReflectionInfo(&v1_context);
  grpc::reflection::v1::ServerReflectionRequest list;
  list.set_list_services("");
  ASSERT_TRUE(v1_stream->Write(list));
  grpc::reflection::v1::ServerReflectionResponse listed;
  ASSERT_TRUE(v1_stream->Read(&listed));
  std::vector<std::string> names;
  for (const auto& service : listed.list_services_response().service()) {
    names.push_back(service.name());
  }
  EXPECT_THAT(names, Contains("budget.v1.QueryService"));
  EXPECT_THAT(names, Contains("grpc.health.v1.Health"));
  v1_stream->WritesDone();
  EXPECT_TRUE(v1_stream->Finish().ok());

  int status = query.Stop(SIGINT);
  EXPECT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
}

}  // namespace
}  // namespace query_test
