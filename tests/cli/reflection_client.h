// A grpcurl-like client for the tests of the README's grpcurl recipes:
// knows no generated code; resolves services and methods through server
// reflection, builds requests as DynamicMessages from JSON with
// JsonStringToMessage, calls them through grpc::GenericStub and prints the
// reply as JSON. (grpcurl itself is not packaged for Debian 12.)
//
// Owns its descriptor pool; borrows the channel. Not thread-safe.
#ifndef TESTS_CLI_REFLECTION_CLIENT_H_
#define TESTS_CLI_REFLECTION_CLIENT_H_

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/descriptor.pb.h"
#include "grpcpp/channel.h"

namespace cli_test {

class ReflectionClient {
 public:
  explicit ReflectionClient(std::shared_ptr<grpc::Channel> channel)
      : channel_(std::move(channel)) {}

  // `grpcurl list`: the full names of the services, sorted.
  absl::StatusOr<std::vector<std::string>> ListServices();
  // `grpcurl describe SYMBOL`: "SYMBOL is a service:" (or "a message:")
  // and its definition, with its proto comments as `//` lines.
  absl::StatusOr<std::string> Describe(const std::string& symbol);
  // `grpcurl -d BODY ADDRESS METHOD` with METHOD as "pkg.Service/Method":
  // the reply as JSON, or the call's status as an error; as grpcurl, the
  // error's message is followed by "Details:" and its google.rpc.Status
  // details as JSON, each detail's type resolved through reflection (or
  // "TYPE is not recognized").
  absl::StatusOr<std::string> Call(const std::string& method,
                                   const std::string& json_body);

 private:
  // Fetches the file defining `symbol` (and its imports) into the pool.
  absl::Status LoadSymbol(const std::string& symbol);
  absl::Status BuildFile(const std::string& name);
  // `status` with its details decoded into the message.
  absl::Status WithDetails(const grpc::Status& status);
  // One reflection request on its own stream.
  absl::StatusOr<std::vector<google::protobuf::FileDescriptorProto>> Fetch(
      bool by_symbol, const std::string& name);

  std::shared_ptr<grpc::Channel> channel_;
  google::protobuf::DescriptorPool pool_;
  std::map<std::string, google::protobuf::FileDescriptorProto> fetched_;
};

}  // namespace cli_test

#endif  // TESTS_CLI_REFLECTION_CLIENT_H_
