#include "server_common/served_protos.h"

#include <memory>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "google/protobuf/descriptor.pb.h"
#include "google/protobuf/text_format.h"
#include "gtest/gtest.h"

namespace server_common {
namespace {

using google::protobuf::FileDescriptor;
using google::protobuf::FileDescriptorProto;
using google::protobuf::FileDescriptorSet;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

const ServedProtos& Embedded() {
  absl::StatusOr<const ServedProtos*> protos = ServedProtos::Embedded();
  EXPECT_TRUE(protos.ok()) << protos.status();
  return **protos;
}

// The name of the file defining `symbol`, "" when none does.
std::string FileOf(const ServedProtos& protos, const std::string& symbol) {
  const FileDescriptor* file = protos.FindFileContainingSymbol(symbol);
  return file == nullptr ? "" : file->name();
}

TEST(ServedProtosTest, TheEmbeddedSetHoldsWhatTheServersServe) {
  const ServedProtos& protos = Embedded();
  for (const std::string name :
       {"budget/v1/ingest_service.proto", "budget/v1/query_service.proto",
        "budget/v1/audit_service.proto", "budget/v1/budget.proto",
        "budget/bench/v1/empty_service.proto", "grpc/health/v1/health.proto",
        "grpc/reflection/v1alpha/reflection.proto",
        "grpc/reflection/v1/reflection.proto", "google/rpc/status.proto",
        "google/rpc/error_details.proto", "google/protobuf/timestamp.proto"}) {
    EXPECT_NE(protos.FindFile(name), nullptr) << name;
  }
  EXPECT_EQ(protos.FindFile("budget/v1/no_such.proto"), nullptr);
}

// What protoc's generated code leaves out, and the reason for all this.
TEST(ServedProtosTest, FilesKeepTheirComments) {
  const ServedProtos& protos = Embedded();
  const FileDescriptor* file = protos.FindFile("budget/v1/query_service.proto");
  ASSERT_NE(file, nullptr);
  FileDescriptorProto served;
  ASSERT_TRUE(served.ParseFromString(protos.SerializedFile(*file)));
  EXPECT_EQ(served.name(), file->name());
  std::string comments;
  for (const auto& location : served.source_code_info().location()) {
    comments += location.leading_comments();
  }
  // Copied from the comment on QueryService.
  EXPECT_THAT(comments, HasSubstr(" Answers aggregated reads over "
                                  "consolidated budgets."));
}

TEST(ServedProtosTest, FindsTheFileOfEveryKindOfName) {
  const ServedProtos& protos = Embedded();
  EXPECT_EQ(FileOf(protos, "budget.v1.QueryService"),
            "budget/v1/query_service.proto");
  EXPECT_EQ(FileOf(protos, "budget.v1.QueryService.GetDisclosureTable"),
            "budget/v1/query_service.proto");
  EXPECT_EQ(FileOf(protos, "budget.v1.UnitBudget"), "budget/v1/budget.proto");
  EXPECT_EQ(FileOf(protos, "budget.v1.UnitBudget.unit_code"),
            "budget/v1/budget.proto");
  EXPECT_EQ(FileOf(protos, "budget.v1.Dimension"),
            "budget/v1/query_service.proto");
  EXPECT_EQ(FileOf(protos, "google.rpc.BadRequest.FieldViolation"),
            "google/rpc/error_details.proto");
  EXPECT_EQ(FileOf(protos, "grpc.health.v1.HealthCheckResponse.ServingStatus"),
            "grpc/health/v1/health.proto");
  // Enum values are named in the scope of their enum's parent.
  EXPECT_EQ(FileOf(protos, "grpc.health.v1.HealthCheckResponse.SERVING"),
            "grpc/health/v1/health.proto");
  for (const std::string unknown :
       {"budget.v1.NoSuchService", "budget.v1.QueryService.NoSuchMethod",
        "budget.v1.UnitBudget.no_such_field", "", "."}) {
    EXPECT_EQ(FileOf(protos, unknown), "") << unknown;
  }
}

TEST(ServedProtosTest, TheServedProtosDeclareNoExtensions) {
  const ServedProtos& protos = Embedded();
  std::vector<int> numbers = {1};
  EXPECT_TRUE(protos.FindExtensionNumbers("budget.v1.UnitBudget", &numbers));
  EXPECT_TRUE(numbers.empty());
  EXPECT_FALSE(protos.FindExtensionNumbers("budget.v1.NoSuch", &numbers));
  EXPECT_EQ(protos.FindFileContainingExtension("budget.v1.UnitBudget", 100),
            nullptr);
}

// A set with an extension, which the served protos lack.
constexpr char kExtendedSet[] = R"pb(
  file {
    name: "ext/base.proto"
    package: "ext"
    syntax: "proto2"
    message_type {
      name: "Base"
      extension_range { start: 100 end: 200 }
    }
  }
  file {
    name: "ext/more.proto"
    package: "ext"
    dependency: "ext/base.proto"
    syntax: "proto2"
    extension {
      name: "more"
      number: 101
      label: LABEL_OPTIONAL
      type: TYPE_INT32
      extendee: ".ext.Base"
    }
  }
)pb";

std::string SerializedSet(const char* text) {
  FileDescriptorSet set;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(text, &set));
  return set.SerializeAsString();
}

TEST(ServedProtosTest, FindsExtensionsByTypeAndNumber) {
  absl::StatusOr<std::unique_ptr<ServedProtos>> protos =
      ServedProtos::Parse(SerializedSet(kExtendedSet));
  ASSERT_TRUE(protos.ok()) << protos.status();
  const FileDescriptor* file =
      (*protos)->FindFileContainingExtension("ext.Base", 101);
  ASSERT_NE(file, nullptr);
  EXPECT_EQ(file->name(), "ext/more.proto");
  EXPECT_EQ((*protos)->FindFileContainingExtension("ext.Base", 102), nullptr);
  EXPECT_EQ((*protos)->FindFileContainingExtension("ext.None", 101), nullptr);
  std::vector<int> numbers;
  ASSERT_TRUE((*protos)->FindExtensionNumbers("ext.Base", &numbers));
  EXPECT_THAT(numbers, ElementsAre(101));
}

TEST(ServedProtosTest, RefusesASetThatDoesNotBuild) {
  EXPECT_EQ(ServedProtos::Parse("\xff\xff garbage").status().code(),
            absl::StatusCode::kInvalidArgument);
  // The file that imports before the file it imports.
  FileDescriptorSet set;
  ASSERT_TRUE(
      google::protobuf::TextFormat::ParseFromString(kExtendedSet, &set));
  set.mutable_file()->SwapElements(0, 1);
  absl::StatusOr<std::unique_ptr<ServedProtos>> protos =
      ServedProtos::Parse(set.SerializeAsString());
  EXPECT_EQ(protos.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(protos.status().message(), HasSubstr("ext/more.proto"));
}

}  // namespace
}  // namespace server_common
