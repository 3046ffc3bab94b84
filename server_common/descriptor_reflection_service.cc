#include "server_common/descriptor_reflection_service.h"

#include <cstdint>
#include <set>
#include <utility>

#include "absl/strings/str_cat.h"
#include "grpc/reflection/v1/reflection.grpc.pb.h"
#include "grpc/reflection/v1alpha/reflection.grpc.pb.h"
#include "grpcpp/support/byte_buffer.h"
#include "grpcpp/support/proto_buffer_writer.h"
#include "grpcpp/support/server_callback.h"
#include "server_common/request_bytes.h"

namespace server_common {
namespace {

using google::protobuf::FileDescriptor;

// A request holds at most one nested message (an ExtensionRequest).
constexpr int64_t kMaxRequestMessages = 1;

template <typename ErrorResponse>
void SetError(grpc::StatusCode code, std::string message,
              ErrorResponse* error) {
  error->set_error_code(static_cast<int32_t>(code));
  error->set_error_message(std::move(message));
}

}  // namespace

// Answers requests of either version: their messages are the same field
// for field, so one template serves both. Immutable once the server runs.
class DescriptorReflectionService::Answerer {
 public:
  explicit Answerer(const ServedProtos* protos) : protos_(protos) {}

  void set_service_names(std::vector<std::string> names) {
    service_names_ = std::move(names);
  }

  // Answers `request` into `response`. `sent` holds the names of the files
  // sent on the stream so far and gets those sent now.
  template <typename Request, typename Response>
  void Answer(const Request& request, Response* response,
              std::set<std::string>* sent) const {
    response->set_valid_host(request.host());
    *response->mutable_original_request() = request;
    switch (request.message_request_case()) {
      case Request::kListServices:
        for (const std::string& name : service_names_) {
          response->mutable_list_services_response()->add_service()->set_name(
              name);
        }
        return;
      case Request::kFileByFilename:
        return SendFile(
            protos_->FindFile(request.file_by_filename()),
            absl::StrCat("File not found: ", request.file_by_filename()),
            response, sent);
      case Request::kFileContainingSymbol:
        return SendFile(
            protos_->FindFileContainingSymbol(request.file_containing_symbol()),
            absl::StrCat("Symbol not found: ",
                         request.file_containing_symbol()),
            response, sent);
      case Request::kFileContainingExtension: {
        const auto& extension = request.file_containing_extension();
        return SendFile(
            protos_->FindFileContainingExtension(extension.containing_type(),
                                                 extension.extension_number()),
            absl::StrCat("Extension not found: ", extension.containing_type(),
                         " field ", extension.extension_number()),
            response, sent);
      }
      case Request::kAllExtensionNumbersOfType: {
        const std::string& type = request.all_extension_numbers_of_type();
        std::vector<int> numbers;
        if (!protos_->FindExtensionNumbers(type, &numbers)) {
          SetError(grpc::StatusCode::NOT_FOUND,
                   absl::StrCat("Type not found: ", type),
                   response->mutable_error_response());
          return;
        }
        auto* answer = response->mutable_all_extension_numbers_response();
        answer->set_base_type_name(type);
        for (int number : numbers) answer->add_extension_number(number);
        return;
      }
      default:
        SetError(grpc::StatusCode::UNIMPLEMENTED,
                 "no request of a kind this server knows",
                 response->mutable_error_response());
        return;
    }
  }

 private:
  // `file` and what it imports, directly or not, but not what `sent`
  // holds; `file` itself always, first, as clients take the first file as
  // the one asked for. NOT_FOUND with `not_found` when `file` is null.
  template <typename Response>
  void SendFile(const FileDescriptor* file, std::string not_found,
                Response* response, std::set<std::string>* sent) const {
    if (file == nullptr) {
      SetError(grpc::StatusCode::NOT_FOUND, std::move(not_found),
               response->mutable_error_response());
      return;
    }
    sent->insert(file->name());
    auto* files = response->mutable_file_descriptor_response();
    files->add_file_descriptor_proto(protos_->SerializedFile(*file));
    std::vector<const FileDescriptor*> unsent = {file};
    while (!unsent.empty()) {
      const FileDescriptor* next = unsent.back();
      unsent.pop_back();
      for (int i = 0; i < next->dependency_count(); ++i) {
        const FileDescriptor* dependency = next->dependency(i);
        if (!sent->insert(dependency->name()).second) continue;
        files->add_file_descriptor_proto(protos_->SerializedFile(*dependency));
        unsent.push_back(dependency);
      }
    }
  }

  const ServedProtos* const protos_;
  std::vector<std::string> service_names_;
};

// One version of the service, its stream taking raw bytes so that
// ParseRequestBytes bounds a request before it is parsed.
template <typename Generated, typename Request, typename Response>
class DescriptorReflectionService::Version final
    : public Generated::template WithRawCallbackMethod_ServerReflectionInfo<
          typename Generated::Service> {
 public:
  explicit Version(const Answerer* answerer) : answerer_(answerer) {}

  grpc::ServerBidiReactor<grpc::ByteBuffer, grpc::ByteBuffer>*
  ServerReflectionInfo(grpc::CallbackServerContext* context) override {
    return new Stream(answerer_);
  }

 private:
  // Reads a request, writes its answer, reads the next: one operation at
  // a time, so the callbacks never run concurrently. Deletes itself when
  // gRPC is done with it.
  class Stream
      : public grpc::ServerBidiReactor<grpc::ByteBuffer, grpc::ByteBuffer> {
   public:
    explicit Stream(const Answerer* answerer) : answerer_(answerer) {
      this->StartRead(&in_);
    }

    void OnReadDone(bool ok) override {
      if (!ok) {  // The client has closed its side, or is gone.
        this->Finish(grpc::Status::OK);
        return;
      }
      if (++requests_ > kMaxRequestsPerStream) {
        this->Finish(grpc::Status(
            grpc::StatusCode::RESOURCE_EXHAUSTED,
            absl::StrCat("a reflection stream answers at most ",
                         kMaxRequestsPerStream,
                         " requests; open another (docs/limits.md)")));
        return;
      }
      Request request;
      grpc::Status parsed =
          ParseRequestBytes(in_, &request, kMaxRequestMessages);
      if (!parsed.ok()) {
        this->Finish(parsed);
        return;
      }
      Response response;
      answerer_->Answer(request, &response, &sent_);
      out_.Clear();
      bool own_buffer = false;
      grpc::Status serialized = grpc::SerializationTraits<Response>::Serialize(
          response, &out_, &own_buffer);
      if (!serialized.ok()) {
        this->Finish(serialized);
        return;
      }
      this->StartWrite(&out_);
    }

    void OnWriteDone(bool ok) override {
      if (!ok) {
        this->Finish(grpc::Status(grpc::StatusCode::CANCELLED,
                                  "the answer could not be written"));
        return;
      }
      in_.Clear();
      this->StartRead(&in_);
    }

    void OnDone() override { delete this; }

   private:
    const Answerer* const answerer_;
    grpc::ByteBuffer in_;
    grpc::ByteBuffer out_;
    int requests_ = 0;
    std::set<std::string> sent_;  // Names of the files sent on the stream.
  };

  const Answerer* const answerer_;
};

DescriptorReflectionService::DescriptorReflectionService(
    const ServedProtos* protos)
    : answerer_(std::make_unique<Answerer>(protos)) {
  namespace v1alpha = grpc::reflection::v1alpha;
  namespace v1 = grpc::reflection::v1;
  services_.push_back(
      std::make_unique<
          Version<v1alpha::ServerReflection, v1alpha::ServerReflectionRequest,
                  v1alpha::ServerReflectionResponse>>(answerer_.get()));
  services_.push_back(std::make_unique<
                      Version<v1::ServerReflection, v1::ServerReflectionRequest,
                              v1::ServerReflectionResponse>>(answerer_.get()));
}

DescriptorReflectionService::~DescriptorReflectionService() = default;

void DescriptorReflectionService::SetServiceNames(
    std::vector<std::string> names) {
  names.push_back(
      grpc::reflection::v1alpha::ServerReflection::service_full_name());
  names.push_back(grpc::reflection::v1::ServerReflection::service_full_name());
  answerer_->set_service_names(std::move(names));
}

std::vector<grpc::Service*> DescriptorReflectionService::services() {
  std::vector<grpc::Service*> services;
  for (const auto& service : services_) services.push_back(service.get());
  return services;
}

}  // namespace server_common
