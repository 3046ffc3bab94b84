#include "server_common/descriptor_reflection_service.h"

#include <memory>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "google/protobuf/descriptor.pb.h"
#include "grpc/reflection/v1/reflection.grpc.pb.h"
#include "grpc/reflection/v1alpha/reflection.grpc.pb.h"
#include "grpcpp/client_context.h"
#include "grpcpp/server.h"
#include "grpcpp/server_builder.h"
#include "gtest/gtest.h"

namespace server_common {
namespace {

namespace v1 = grpc::reflection::v1;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::UnorderedElementsAre;

using Stream = grpc::ClientReaderWriter<v1::ServerReflectionRequest,
                                        v1::ServerReflectionResponse>;

// The service in process, over the embedded protos, as a server naming one
// service of its own.
class DescriptorReflectionServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<const ServedProtos*> protos = ServedProtos::Embedded();
    ASSERT_TRUE(protos.ok()) << protos.status();
    reflection_ = std::make_unique<DescriptorReflectionService>(*protos);
    reflection_->SetServiceNames({"budget.v1.QueryService"});
    grpc::ServerBuilder builder;
    for (grpc::Service* service : reflection_->services()) {
      builder.RegisterService(service);
    }
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
    channel_ = server_->InProcessChannel(grpc::ChannelArguments());
    stub_ = v1::ServerReflection::NewStub(channel_);
  }

  void TearDown() override { server_->Shutdown(); }

  std::unique_ptr<Stream> Open(grpc::ClientContext* context) {
    return stub_->ServerReflectionInfo(context);
  }

  static v1::ServerReflectionRequest BySymbol(const std::string& symbol) {
    v1::ServerReflectionRequest request;
    request.set_file_containing_symbol(symbol);
    return request;
  }

  // The answer to `request` on `stream` (an empty one when none comes,
  // which fails the test).
  static v1::ServerReflectionResponse Ask(
      Stream& stream, const v1::ServerReflectionRequest& request) {
    v1::ServerReflectionResponse answer;
    EXPECT_TRUE(stream.Write(request) && stream.Read(&answer))
        << request.ShortDebugString();
    return answer;
  }

  // The names of the files of `answer`, in the order sent.
  static std::vector<std::string> FileNames(
      const v1::ServerReflectionResponse& answer) {
    std::vector<std::string> names;
    for (const std::string& bytes :
         answer.file_descriptor_response().file_descriptor_proto()) {
      google::protobuf::FileDescriptorProto file;
      EXPECT_TRUE(file.ParseFromString(bytes));
      names.push_back(file.name());
    }
    return names;
  }

  std::unique_ptr<DescriptorReflectionService> reflection_;
  std::unique_ptr<grpc::Server> server_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::ServerReflection::Stub> stub_;
};

TEST_F(DescriptorReflectionServiceTest, ListsTheGivenServicesAndItself) {
  grpc::ClientContext context;
  auto stream = Open(&context);
  v1::ServerReflectionRequest list;
  list.set_host("localhost:1");
  list.set_list_services("*");
  v1::ServerReflectionResponse answer = Ask(*stream, list);
  std::vector<std::string> names;
  for (const auto& service : answer.list_services_response().service()) {
    names.push_back(service.name());
  }
  EXPECT_THAT(names, ElementsAre("budget.v1.QueryService",
                                 "grpc.reflection.v1alpha.ServerReflection",
                                 "grpc.reflection.v1.ServerReflection"));
  // As gRPC's implementation: the request and host echoed.
  EXPECT_EQ(answer.valid_host(), "localhost:1");
  EXPECT_EQ(answer.original_request().list_services(), "*");
  stream->WritesDone();
  EXPECT_TRUE(stream->Finish().ok());
}

// Imports come with a file, but once per stream; the file asked for always
// comes, first.
TEST_F(DescriptorReflectionServiceTest, SendsEachImportOncePerStream) {
  grpc::ClientContext context;
  auto stream = Open(&context);
  EXPECT_THAT(FileNames(Ask(*stream, BySymbol("budget.v1.QueryService"))),
              ElementsAre("budget/v1/query_service.proto", ::testing::_,
                          ::testing::_, ::testing::_, ::testing::_));
  EXPECT_THAT(FileNames(Ask(*stream, BySymbol("budget.v1.QueryService"))),
              ElementsAre("budget/v1/query_service.proto"));
  // budget.proto, cycle.proto and timestamp.proto were sent already.
  EXPECT_THAT(FileNames(Ask(*stream, BySymbol("budget.v1.IngestService"))),
              ElementsAre("budget/v1/ingest_service.proto"));
  v1::ServerReflectionRequest by_name;
  by_name.set_file_by_filename("budget/v1/budget.proto");
  EXPECT_THAT(FileNames(Ask(*stream, by_name)),
              ElementsAre("budget/v1/budget.proto"));
  stream->WritesDone();
  EXPECT_TRUE(stream->Finish().ok());

  grpc::ClientContext other_context;
  auto other = Open(&other_context);
  EXPECT_THAT(FileNames(Ask(*other, BySymbol("budget.v1.QueryService"))),
              UnorderedElementsAre(
                  "budget/v1/query_service.proto", "budget/v1/budget.proto",
                  "budget/v1/cycle.proto", "budget/v1/tables.proto",
                  "google/protobuf/timestamp.proto"));
  other->WritesDone();
  EXPECT_TRUE(other->Finish().ok());
}

TEST_F(DescriptorReflectionServiceTest, AnswersNestedNamesFieldsAndValues) {
  grpc::ClientContext context;
  auto stream = Open(&context);
  const std::pair<std::string, std::string> symbols[] = {
      {"budget.v1.QueryService.GetDisclosureTable",
       "budget/v1/query_service.proto"},
      {"budget.v1.UnitBudget.unit_code", "budget/v1/budget.proto"},
      {"budget.v1.DIMENSION_UNIT", "budget/v1/query_service.proto"},
      {"google.rpc.BadRequest.FieldViolation",
       "google/rpc/error_details.proto"},
      {"grpc.health.v1.HealthCheckResponse.ServingStatus",
       "grpc/health/v1/health.proto"}};
  for (const auto& [symbol, file] : symbols) {
    v1::ServerReflectionResponse answer = Ask(*stream, BySymbol(symbol));
    EXPECT_FALSE(answer.has_error_response())
        << symbol << ": " << answer.error_response().error_message();
    std::vector<std::string> names = FileNames(answer);
    ASSERT_FALSE(names.empty()) << symbol;
    EXPECT_EQ(names.front(), file) << symbol;
  }
  stream->WritesDone();
  EXPECT_TRUE(stream->Finish().ok());
}

TEST_F(DescriptorReflectionServiceTest, UnknownNamesAreNotFound) {
  grpc::ClientContext context;
  auto stream = Open(&context);
  v1::ServerReflectionRequest file;
  file.set_file_by_filename("budget/v1/no_such.proto");
  v1::ServerReflectionRequest extension;
  extension.mutable_file_containing_extension()->set_containing_type(
      "budget.v1.UnitBudget");
  extension.mutable_file_containing_extension()->set_extension_number(100);
  v1::ServerReflectionRequest numbers_of_unknown;
  numbers_of_unknown.set_all_extension_numbers_of_type("budget.v1.NoSuch");
  for (const v1::ServerReflectionRequest& request :
       {BySymbol("budget.v1.NoSuchService"), file, extension,
        numbers_of_unknown}) {
    v1::ServerReflectionResponse answer = Ask(*stream, request);
    ASSERT_TRUE(answer.has_error_response()) << request.ShortDebugString();
    EXPECT_EQ(answer.error_response().error_code(),
              static_cast<int>(grpc::StatusCode::NOT_FOUND));
    EXPECT_EQ(answer.original_request().SerializeAsString(),
              request.SerializeAsString());
  }
  EXPECT_THAT(Ask(*stream, BySymbol("budget.v1.NoSuchService"))
                  .error_response()
                  .error_message(),
              HasSubstr("budget.v1.NoSuchService"));

  // A known type without extensions has none; a request of no kind is
  // answered UNIMPLEMENTED.
  v1::ServerReflectionRequest numbers;
  numbers.set_all_extension_numbers_of_type("budget.v1.UnitBudget");
  v1::ServerReflectionResponse answer = Ask(*stream, numbers);
  ASSERT_TRUE(answer.has_all_extension_numbers_response());
  EXPECT_EQ(answer.all_extension_numbers_response().base_type_name(),
            "budget.v1.UnitBudget");
  EXPECT_EQ(answer.all_extension_numbers_response().extension_number_size(), 0);
  EXPECT_EQ(
      Ask(*stream, v1::ServerReflectionRequest()).error_response().error_code(),
      static_cast<int>(grpc::StatusCode::UNIMPLEMENTED));
  stream->WritesDone();
  EXPECT_TRUE(stream->Finish().ok());
}

TEST_F(DescriptorReflectionServiceTest, ALongNameEndsTheStream) {
  grpc::ClientContext context;
  auto stream = Open(&context);
  ASSERT_TRUE(stream->Write(BySymbol(std::string(5000, 'x'))));
  v1::ServerReflectionResponse answer;
  EXPECT_FALSE(stream->Read(&answer));
  grpc::Status status = stream->Finish();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(),
              HasSubstr("file_containing_symbol: a string of 5000 bytes; "
                        "expected at most 4096"));
}

TEST_F(DescriptorReflectionServiceTest, AStreamAnswersAtMostItsLimit) {
  grpc::ClientContext context;
  auto stream = Open(&context);
  v1::ServerReflectionRequest list;
  list.set_list_services("");
  v1::ServerReflectionResponse answer;
  for (int i = 0; i < DescriptorReflectionService::kMaxRequestsPerStream; ++i) {
    ASSERT_TRUE(stream->Write(list) && stream->Read(&answer)) << i;
  }
  ASSERT_TRUE(stream->Write(list));
  EXPECT_FALSE(stream->Read(&answer));
  grpc::Status status = stream->Finish();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_THAT(status.error_message(), HasSubstr("at most 10000 requests"));
}

// The v1alpha name answers the same.
TEST_F(DescriptorReflectionServiceTest, V1alphaAnswersTheSame) {
  namespace v1alpha = grpc::reflection::v1alpha;
  auto stub = v1alpha::ServerReflection::NewStub(channel_);
  grpc::ClientContext context;
  auto stream = stub->ServerReflectionInfo(&context);
  v1alpha::ServerReflectionRequest request;
  request.set_file_containing_symbol("budget.v1.QueryService");
  v1alpha::ServerReflectionResponse answer;
  ASSERT_TRUE(stream->Write(request) && stream->Read(&answer));
  ASSERT_GT(answer.file_descriptor_response().file_descriptor_proto_size(), 0);
  google::protobuf::FileDescriptorProto file;
  ASSERT_TRUE(file.ParseFromString(
      answer.file_descriptor_response().file_descriptor_proto(0)));
  EXPECT_EQ(file.name(), "budget/v1/query_service.proto");
  EXPECT_TRUE(file.has_source_code_info());
  stream->WritesDone();
  EXPECT_TRUE(stream->Finish().ok());
}

}  // namespace
}  // namespace server_common
