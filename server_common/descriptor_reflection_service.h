// gRPC server reflection (grpc.reflection.v1alpha.ServerReflection and
// grpc.reflection.v1.ServerReflection, the same protocol under two names)
// answered from ServedProtos: the descriptors it sends carry the proto
// comments, which gRPC 1.51's own reflection plugin cannot send (it serves
// protobuf's generated pool, compiled without source_code_info), and v1 is
// answered, which that plugin leaves UNIMPLEMENTED. grpcurl and other
// clients use either version.
//
// A ServerReflectionInfo stream answers each request in order, as gRPC's
// implementation does: list_services (the names given to
// SetServiceNames), file_by_filename, file_containing_symbol,
// file_containing_extension and all_extension_numbers_of_type; an unknown
// name is an error_response (NOT_FOUND), not the end of the stream. A file
// comes with the files it imports, directly or not, except those already
// sent on the stream (which the protocol allows), so that a client that
// asks about every type of a file pays for the imports once.
//
// What one stream may cost is bounded (docs/limits.md): requests are read
// with ParseRequestBytes (request_bytes.h), so a name longer than
// budget::kMaxTextBytes is refused INVALID_ARGUMENT before it is parsed;
// a stream answers at most kMaxRequestsPerStream requests and then ends
// RESOURCE_EXHAUSTED; it holds one request and one answer at a time.
//
// Callback API: no thread of its own, nothing for shutdown to wait for
// (a synchronous service's threads notice a shutdown only when their poll
// times out, server_runner.cc).
//
// Borrows the ServedProtos, which must outlive it; the service must
// outlive the server it is registered with. SetServiceNames before the
// server starts; thread-safe after that.
#ifndef SERVER_COMMON_DESCRIPTOR_REFLECTION_SERVICE_H_
#define SERVER_COMMON_DESCRIPTOR_REFLECTION_SERVICE_H_

#include <memory>
#include <string>
#include <vector>

#include "grpcpp/impl/service_type.h"
#include "server_common/served_protos.h"

namespace server_common {

class DescriptorReflectionService {
 public:
  // Requests one ServerReflectionInfo stream answers (grpcurl sends a few
  // per command); a client that needs more opens another stream.
  static constexpr int kMaxRequestsPerStream = 10'000;

  explicit DescriptorReflectionService(const ServedProtos* protos);
  ~DescriptorReflectionService();

  // The services list_services names (each registered service; the two
  // reflection services are added here, as gRPC lists its own).
  void SetServiceNames(std::vector<std::string> names);

  // The two services to register with a grpc::ServerBuilder.
  std::vector<grpc::Service*> services();

 private:
  class Answerer;
  template <typename Generated, typename Request, typename Response>
  class Version;

  std::unique_ptr<Answerer> answerer_;
  std::vector<std::unique_ptr<grpc::Service>> services_;
};

}  // namespace server_common

#endif  // SERVER_COMMON_DESCRIPTOR_REFLECTION_SERVICE_H_
