// The ingest_service binary as a grpcurl user sees it: reflection, in both
// versions of the protocol, lists and describes its services with their
// proto comments (the public API docs), and the health service answers.
#include <signal.h>
#include <sys/wait.h>

#include <algorithm>
#include <filesystem>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <type_traits>
#include <vector>

#include "budget/v1/ingest_service.grpc.pb.h"
#include "google/protobuf/descriptor.pb.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpc/reflection/v1/reflection.grpc.pb.h"
#include "grpc/reflection/v1alpha/reflection.grpc.pb.h"
#include "grpcpp/client_context.h"
#include "gtest/gtest.h"
#include "tests/testing/scratch_dir.h"
#include "tests/testing/service_process.h"

namespace ingest_test {
namespace {

namespace reflection = grpc::reflection::v1alpha;
using google::protobuf::FileDescriptorProto;
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

// The two versions of the protocol: the same messages under two packages.
struct V1alpha {
  using Service = grpc::reflection::v1alpha::ServerReflection;
  using Request = grpc::reflection::v1alpha::ServerReflectionRequest;
  using Response = grpc::reflection::v1alpha::ServerReflectionResponse;
};
struct V1 {
  using Service = grpc::reflection::v1::ServerReflection;
  using Request = grpc::reflection::v1::ServerReflectionRequest;
  using Response = grpc::reflection::v1::ServerReflectionResponse;
};

template <typename Version>
class ReflectionVersionTest : public ReflectionE2eTest {
 protected:
  using Request = typename Version::Request;
  using Response = typename Version::Response;

  // Sends `requests` on one stream and returns the answers in order (fewer
  // when the stream ends early, which fails the test).
  std::vector<Response> Converse(const std::vector<Request>& requests) {
    auto stub = Version::Service::NewStub(server_->Channel());
    grpc::ClientContext context;
    auto stream = stub->ServerReflectionInfo(&context);
    std::vector<Response> answers;
    for (const Request& request : requests) {
      Response answer;
      if (!stream->Write(request) || !stream->Read(&answer)) break;
      answers.push_back(std::move(answer));
    }
    stream->WritesDone();
    grpc::Status status = stream->Finish();
    EXPECT_TRUE(status.ok()) << status.error_message();
    EXPECT_EQ(answers.size(), requests.size());
    return answers;
  }

  static Request BySymbol(const std::string& symbol) {
    Request request;
    request.set_file_containing_symbol(symbol);
    return request;
  }

  // The files answering file_containing_symbol `symbol`, the one defining
  // it first; none when the answer is an error, which fails the test.
  std::vector<FileDescriptorProto> FilesDefining(const std::string& symbol) {
    std::vector<Response> answers = Converse({BySymbol(symbol)});
    if (answers.size() != 1) return {};
    EXPECT_FALSE(answers[0].has_error_response())
        << symbol << ": " << answers[0].error_response().error_message();
    return Files(answers[0]);
  }

  // The files of `answer`, parsed.
  static std::vector<FileDescriptorProto> Files(const Response& answer) {
    std::vector<FileDescriptorProto> files;
    for (const std::string& bytes :
         answer.file_descriptor_response().file_descriptor_proto()) {
      EXPECT_TRUE(files.emplace_back().ParseFromString(bytes));
    }
    return files;
  }
};

// The leading comments of the element of `file` at `path` (a
// SourceCodeInfo path: 6, service, 2, method for a method), "" if none.
std::string LeadingComments(const FileDescriptorProto& file,
                            const std::vector<int>& path) {
  for (const auto& location : file.source_code_info().location()) {
    if (std::equal(location.path().begin(), location.path().end(), path.begin(),
                   path.end())) {
      return location.leading_comments();
    }
  }
  return "";
}

using Versions = ::testing::Types<V1alpha, V1>;
// ReflectionVersionTest/v1alpha.*, ReflectionVersionTest/v1.*
struct VersionName {
  template <typename Version>
  static std::string GetName(int) {
    return std::is_same_v<Version, V1> ? "v1" : "v1alpha";
  }
};
TYPED_TEST_SUITE(ReflectionVersionTest, Versions, VersionName);

TYPED_TEST(ReflectionVersionTest, ListsExactlyTheServedServices) {
  typename TestFixture::Request list;
  list.set_list_services("");
  auto answers = this->Converse({list});
  ASSERT_EQ(answers.size(), 1u);
  std::set<std::string> names;
  for (const auto& service : answers[0].list_services_response().service()) {
    names.insert(service.name());
  }
  EXPECT_EQ(names,
            (std::set<std::string>{
                "budget.v1.AuditService", "budget.v1.IngestService",
                "grpc.health.v1.Health", "grpc.reflection.v1.ServerReflection",
                "grpc.reflection.v1alpha.ServerReflection"}));
}

// The proto comments are the public API docs: the descriptors carry them
// (gRPC's own reflection plugin sent none).
TYPED_TEST(ReflectionVersionTest, DescriptorsCarryTheProtoComments) {
  std::vector<FileDescriptorProto> files =
      this->FilesDefining("budget.v1.IngestService.SubmitBudget");
  ASSERT_FALSE(files.empty());
  const FileDescriptorProto& file = files.front();  // The one asked for.
  ASSERT_EQ(file.name(), "budget/v1/ingest_service.proto");
  ASSERT_EQ(file.service_size(), 1);
  int method = 0;
  while (method < file.service(0).method_size() &&
         file.service(0).method(method).name() != "SubmitBudget") {
    ++method;
  }
  ASSERT_LT(method, file.service(0).method_size());
  // Copied from proto/budget/v1/ingest_service.proto.
  EXPECT_EQ(LeadingComments(file, {6, 0, 2, method}),
            " Validates and stores one unit's budget for one year as a new "
            "revision.\n");
  // Imports come along, with theirs.
  std::set<std::string> names;
  for (const FileDescriptorProto& sent : files) names.insert(sent.name());
  EXPECT_TRUE(names.count("budget/v1/budget.proto"));
  EXPECT_TRUE(names.count("google/protobuf/timestamp.proto"));
}

TYPED_TEST(ReflectionVersionTest, AnUnknownNameIsNotFoundAndTheStreamGoesOn) {
  typename TestFixture::Request unknown_file;
  unknown_file.set_file_by_filename("budget/v1/no_such.proto");
  auto answers =
      this->Converse({this->BySymbol("budget.v1.NoSuchService"), unknown_file,
                      this->BySymbol("budget.v1.IngestService.NoSuchMethod"),
                      this->BySymbol("grpc.health.v1.Health")});
  ASSERT_EQ(answers.size(), 4u);
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(answers[i].has_error_response()) << i;
    EXPECT_EQ(answers[i].error_response().error_code(),
              static_cast<int>(grpc::StatusCode::NOT_FOUND))
        << i;
  }
  EXPECT_FALSE(answers[3].has_error_response());
}

TYPED_TEST(ReflectionVersionTest, HealthIsDescribable) {
  std::vector<FileDescriptorProto> files =
      this->FilesDefining("grpc.health.v1.Health.Check");
  ASSERT_FALSE(files.empty());
  EXPECT_EQ(files.front().name(), "grpc/health/v1/health.proto");
  ASSERT_EQ(files.front().service_size(), 1);
  EXPECT_EQ(files.front().service(0).name(), "Health");
  EXPECT_NE(LeadingComments(files.front(), {6, 0, 2, 0}), "");
}

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
