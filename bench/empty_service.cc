#include "bench/empty_service.h"

namespace bench {
namespace {

grpc::ServerUnaryReactor* FinishOk(grpc::CallbackServerContext* context) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  reactor->Finish(grpc::Status::OK);
  return reactor;
}

}  // namespace

grpc::Status EmptyService::Ping(grpc::ServerContext* context,
                                const google::protobuf::Empty* request,
                                google::protobuf::Empty* response) {
  return grpc::Status::OK;
}

grpc::ServerUnaryReactor* CallbackEmptyService::Ping(
    grpc::CallbackServerContext* context,
    const google::protobuf::Empty* request, google::protobuf::Empty* response) {
  return FinishOk(context);
}

grpc::ServerUnaryReactor* RawEmptyService::Ping(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
    grpc::ByteBuffer* response) {
  // gRPC refuses to send a buffer that holds no slice at all.
  grpc::Slice nothing;
  *response = grpc::ByteBuffer(&nothing, 1);
  return FinishOk(context);
}

}  // namespace bench
