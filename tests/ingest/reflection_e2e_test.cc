// The ingest_service binary as a grpcurl user sees it: reflection lists and
// describes both services, and the health service answers.
#include <signal.h>
#include <sys/wait.h>

#include <filesystem>
#include <memory>
#include <set>
#include <string>
#include <thread>

#include "budget/v1/ingest_service.grpc.pb.h"
#include "google/protobuf/descriptor.pb.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpc/reflection/v1alpha/reflection.grpc.pb.h"
#include "grpcpp/client_context.h"
#include "gtest/gtest.h"
#include "tests/testing/scratch_dir.h"
#include "tests/testing/service_process.h"

namespace ingest_test {
namespace {

namespace reflection = grpc::reflection::v1alpha;
using grpc::health::v1::HealthCheckRequest;
using grpc::health::v1::HealthCheckResponse;

class ReflectionE2eTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::filesystem::path dir = e2e_testing::MakeScratchDir();
    server_ = std::make_unique<e2e_testing::ServiceProcess>(
        INGEST_SERVICE_BINARY,
        e2e_testing::StoreArgs((dir / "budget.db").string()));
    ASSERT_FALSE(server_->address().empty());
  }

  std::unique_ptr<e2e_testing::ServiceProcess> server_;
};

TEST_F(ReflectionE2eTest, ListsAndDescribesBothServices) {
  auto stub = reflection::ServerReflection::NewStub(server_->Channel());
  grpc::ClientContext context;
  auto stream = stub->ServerReflectionInfo(&context);

  reflection::ServerReflectionRequest list;
  list.set_list_services("");
  ASSERT_TRUE(stream->Write(list));
  reflection::ServerReflectionResponse listed;
  ASSERT_TRUE(stream->Read(&listed));
  std::set<std::string> names;
  for (const auto& service : listed.list_services_response().service()) {
    names.insert(service.name());
  }
  EXPECT_TRUE(names.count("budget.v1.IngestService"));
  EXPECT_TRUE(names.count("grpc.health.v1.Health"));

  const std::pair<std::string, std::string> symbols[] = {
      {"budget.v1.IngestService", "budget/v1/ingest_service.proto"},
      {"grpc.health.v1.Health", "grpc/health/v1/health.proto"}};
  for (const auto& [symbol, file] : symbols) {
    reflection::ServerReflectionRequest describe;
    describe.set_file_containing_symbol(symbol);
    ASSERT_TRUE(stream->Write(describe));
    reflection::ServerReflectionResponse described;
    ASSERT_TRUE(stream->Read(&described));
    ASSERT_FALSE(described.has_error_response())
        << symbol << ": " << described.error_response().error_message();
    // The answer may carry other files of the stream too; the service must
    // be declared in the file named after it.
    bool declared = false;
    for (const std::string& bytes :
         described.file_descriptor_response().file_descriptor_proto()) {
      google::protobuf::FileDescriptorProto descriptor;
      ASSERT_TRUE(descriptor.ParseFromString(bytes));
      if (descriptor.name() != file) continue;
      for (const auto& service : descriptor.service()) {
        declared |= descriptor.package() + "." + service.name() == symbol;
      }
    }
    EXPECT_TRUE(declared) << symbol << " not described by " << file;
  }
  stream->WritesDone();
  EXPECT_TRUE(stream->Finish().ok());
}

TEST_F(ReflectionE2eTest, HealthAnswersServingThenStopsCleanly) {
  auto health = grpc::health::v1::Health::NewStub(server_->Channel());
  for (const std::string service : {"", "budget.v1.IngestService"}) {
    grpc::ClientContext context;
    HealthCheckRequest request;
    request.set_service(service);
    HealthCheckResponse response;
    grpc::Status status = health->Check(&context, request, &response);
    ASSERT_TRUE(status.ok()) << status.error_message();
    EXPECT_EQ(response.status(), HealthCheckResponse::SERVING) << service;
  }
  {
    grpc::ClientContext context;
    HealthCheckRequest request;
    request.set_service("no.such.Service");
    HealthCheckResponse response;
    EXPECT_EQ(health->Check(&context, request, &response).error_code(),
              grpc::StatusCode::NOT_FOUND);
  }

  // An open Watch sees SERVING, then NOT_SERVING when SIGTERM arrives, and
  // does not hold up the shutdown.
  grpc::ClientContext watch_context;
  HealthCheckRequest whole_server;
  auto watch = health->Watch(&watch_context, whole_server);
  HealthCheckResponse update;
  ASSERT_TRUE(watch->Read(&update));
  EXPECT_EQ(update.status(), HealthCheckResponse::SERVING);
  std::thread stopper([&] {
    int status = server_->Stop(SIGTERM);
    EXPECT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 0);
  });
  ASSERT_TRUE(watch->Read(&update));
  EXPECT_EQ(update.status(), HealthCheckResponse::NOT_SERVING);
  stopper.join();
}

}  // namespace
}  // namespace ingest_test
