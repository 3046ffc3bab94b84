#include "tests/cli/reflection_client.h"

#include <algorithm>
#include <condition_variable>
#include <mutex>

#include "absl/strings/str_cat.h"
#include "google/protobuf/dynamic_message.h"
#include "google/protobuf/util/json_util.h"
#include "grpc/reflection/v1alpha/reflection.grpc.pb.h"
#include "grpcpp/client_context.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/support/byte_buffer.h"

namespace cli_test {
namespace {

namespace reflection = grpc::reflection::v1alpha;

absl::Status FromGrpc(const grpc::Status& status) {
  return absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                      status.error_message());
}

absl::StatusOr<reflection::ServerReflectionResponse> Ask(
    const std::shared_ptr<grpc::Channel>& channel,
    const reflection::ServerReflectionRequest& ask) {
  auto stub = reflection::ServerReflection::NewStub(channel);
  grpc::ClientContext context;
  auto stream = stub->ServerReflectionInfo(&context);
  reflection::ServerReflectionResponse answer;
  bool answered = stream->Write(ask) && stream->Read(&answer);
  stream->WritesDone();
  grpc::Status status = stream->Finish();
  if (!status.ok()) return FromGrpc(status);
  if (!answered) return absl::UnavailableError("reflection did not answer");
  if (answer.has_error_response()) {
    return absl::NotFoundError(answer.error_response().error_message());
  }
  return answer;
}

}  // namespace

absl::StatusOr<std::vector<std::string>> ReflectionClient::ListServices() {
  reflection::ServerReflectionRequest ask;
  ask.set_list_services("");
  absl::StatusOr<reflection::ServerReflectionResponse> answer =
      Ask(channel_, ask);
  if (!answer.ok()) return answer.status();
  std::vector<std::string> names;
  for (const auto& service : answer->list_services_response().service()) {
    names.push_back(service.name());
  }
  std::sort(names.begin(), names.end());
  return names;
}

absl::StatusOr<std::vector<google::protobuf::FileDescriptorProto>>
ReflectionClient::Fetch(bool by_symbol, const std::string& name) {
  reflection::ServerReflectionRequest ask;
  if (by_symbol) {
    ask.set_file_containing_symbol(name);
  } else {
    ask.set_file_by_filename(name);
  }
  absl::StatusOr<reflection::ServerReflectionResponse> answer =
      Ask(channel_, ask);
  if (!answer.ok()) return answer.status();
  std::vector<google::protobuf::FileDescriptorProto> files;
  for (const std::string& bytes :
       answer->file_descriptor_response().file_descriptor_proto()) {
    if (!files.emplace_back().ParseFromString(bytes)) {
      return absl::DataLossError("unparsable FileDescriptorProto");
    }
  }
  return files;
}

absl::Status ReflectionClient::BuildFile(const std::string& name) {
  if (pool_.FindFileByName(name) != nullptr) return absl::OkStatus();
  if (fetched_.count(name) == 0) {
    absl::StatusOr<std::vector<google::protobuf::FileDescriptorProto>> files =
        Fetch(/*by_symbol=*/false, name);
    if (!files.ok()) return files.status();
    for (auto& file : *files) fetched_.emplace(file.name(), std::move(file));
    if (fetched_.count(name) == 0) {
      return absl::NotFoundError(absl::StrCat("no descriptor for ", name));
    }
  }
  const google::protobuf::FileDescriptorProto file = fetched_.at(name);
  for (const std::string& dependency : file.dependency()) {
    if (absl::Status status = BuildFile(dependency); !status.ok()) {
      return status;
    }
  }
  if (pool_.BuildFile(file) == nullptr) {
    return absl::InternalError(absl::StrCat("cannot build ", name));
  }
  return absl::OkStatus();
}

absl::Status ReflectionClient::LoadSymbol(const std::string& symbol) {
  if (pool_.FindServiceByName(symbol) != nullptr ||
      pool_.FindMessageTypeByName(symbol) != nullptr) {
    return absl::OkStatus();
  }
  absl::StatusOr<std::vector<google::protobuf::FileDescriptorProto>> files =
      Fetch(/*by_symbol=*/true, symbol);
  if (!files.ok()) return files.status();
  if (files->empty()) return absl::NotFoundError(symbol);
  std::string defining = files->front().name();
  for (auto& file : *files) fetched_.emplace(file.name(), std::move(file));
  return BuildFile(defining);
}

absl::StatusOr<std::string> ReflectionClient::Describe(
    const std::string& symbol) {
  if (absl::Status status = LoadSymbol(symbol); !status.ok()) return status;
  // As grpcurl: the definition with its comments, from the descriptors'
  // source_code_info (none when the server sends none).
  google::protobuf::DebugStringOptions options;
  options.include_comments = true;
  if (const auto* service = pool_.FindServiceByName(symbol)) {
    return absl::StrCat(symbol, " is a service:\n",
                        service->DebugStringWithOptions(options));
  }
  if (const auto* message = pool_.FindMessageTypeByName(symbol)) {
    return absl::StrCat(symbol, " is a message:\n",
                        message->DebugStringWithOptions(options));
  }
  return absl::NotFoundError(absl::StrCat(symbol, " is not described"));
}

absl::Status ReflectionClient::WithDetails(const grpc::Status& status) {
  if (status.error_details().empty()) return FromGrpc(status);
  // As grpcurl: google.rpc.Status, each detail's type resolved through
  // reflection, printed as JSON with "@type".
  constexpr absl::string_view kStatusType = "google.rpc.Status";
  std::string details;
  absl::Status loaded = LoadSymbol(std::string(kStatusType));
  const google::protobuf::Descriptor* type =
      pool_.FindMessageTypeByName(std::string(kStatusType));
  google::protobuf::DynamicMessageFactory factory(&pool_);
  std::unique_ptr<google::protobuf::Message> decoded;
  if (loaded.ok() && type != nullptr) {
    decoded.reset(factory.GetPrototype(type)->New());
  }
  if (decoded == nullptr || !decoded->ParseFromString(status.error_details())) {
    details =
        absl::StrCat(kStatusType, " is not recognized: ", loaded.message());
  } else {
    const google::protobuf::FieldDescriptor* any_field =
        type->FindFieldByName("details");
    const google::protobuf::Reflection* reflection = decoded->GetReflection();
    for (int i = 0; i < reflection->FieldSize(*decoded, any_field); ++i) {
      const google::protobuf::Message& any =
          reflection->GetRepeatedMessage(*decoded, any_field, i);
      const std::string url = any.GetReflection()->GetString(
          any, any.GetDescriptor()->FindFieldByName("type_url"));
      const std::string name = url.substr(url.rfind('/') + 1);
      if (absl::Status found = LoadSymbol(name); !found.ok()) {
        absl::StrAppend(&details, name, " is not recognized: ", found.message(),
                        "\n");
      }
    }
    std::string json;
    google::protobuf::util::JsonPrintOptions options;
    options.add_whitespace = true;
    if (google::protobuf::util::MessageToJsonString(*decoded, &json, options)
            .ok()) {
      absl::StrAppend(&details, json);
    }
  }
  return absl::Status(
      static_cast<absl::StatusCode>(status.error_code()),
      absl::StrCat(status.error_message(), "\nDetails:\n", details));
}

absl::StatusOr<std::string> ReflectionClient::Call(
    const std::string& method, const std::string& json_body) {
  size_t slash = method.find('/');
  if (slash == std::string::npos) {
    return absl::InvalidArgumentError("method must be Service/Method");
  }
  const std::string service_name = method.substr(0, slash);
  if (absl::Status status = LoadSymbol(service_name); !status.ok()) {
    return status;
  }
  const google::protobuf::MethodDescriptor* descriptor = pool_.FindMethodByName(
      absl::StrCat(service_name, ".", method.substr(slash + 1)));
  if (descriptor == nullptr) return absl::NotFoundError(method);

  google::protobuf::DynamicMessageFactory factory(&pool_);
  std::unique_ptr<google::protobuf::Message> request(
      factory.GetPrototype(descriptor->input_type())->New());
  if (auto parsed =
          google::protobuf::util::JsonStringToMessage(json_body, request.get());
      !parsed.ok()) {
    return absl::InvalidArgumentError(std::string(parsed.message()));
  }
  std::string request_bytes = request->SerializeAsString();
  grpc::Slice slice(request_bytes);
  grpc::ByteBuffer request_buffer(&slice, 1);
  grpc::ByteBuffer response_buffer;

  grpc::GenericStub stub(channel_);
  grpc::ClientContext context;
  std::mutex mutex;
  std::condition_variable done;
  bool finished = false;
  grpc::Status status;
  stub.UnaryCall(&context, absl::StrCat("/", method), grpc::StubOptions(),
                 &request_buffer, &response_buffer, [&](grpc::Status result) {
                   std::lock_guard<std::mutex> lock(mutex);
                   status = std::move(result);
                   finished = true;
                   done.notify_one();
                 });
  {
    std::unique_lock<std::mutex> lock(mutex);
    done.wait(lock, [&] { return finished; });
  }
  if (!status.ok()) return WithDetails(status);

  std::vector<grpc::Slice> slices;
  response_buffer.Dump(&slices);
  std::string response_bytes;
  for (const grpc::Slice& part : slices) {
    response_bytes.append(reinterpret_cast<const char*>(part.begin()),
                          part.size());
  }
  std::unique_ptr<google::protobuf::Message> response(
      factory.GetPrototype(descriptor->output_type())->New());
  if (!response->ParseFromString(response_bytes)) {
    return absl::DataLossError("unparsable reply");
  }
  std::string json;
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  if (!google::protobuf::util::MessageToJsonString(*response, &json, options)
           .ok()) {
    return absl::InternalError("reply does not print as JSON");
  }
  return json;
}

}  // namespace cli_test
