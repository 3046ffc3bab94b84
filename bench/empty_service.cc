#include "bench/empty_service.h"

namespace bench {

grpc::Status EmptyService::Ping(grpc::ServerContext* context,
                                const google::protobuf::Empty* request,
                                google::protobuf::Empty* response) {
  return grpc::Status::OK;
}

}  // namespace bench
