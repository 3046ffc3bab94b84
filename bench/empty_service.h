// The benchmark-only empty services: Ping answers at once, so that a load
// run against one measures the gRPC stack alone (see
// bench/proto/budget/bench/v1/empty_service.proto). One class per server
// API: EmptyService (synchronous), CallbackEmptyService (callback, typed)
// and RawEmptyService (callback, raw bytes).
//
// Stateless; thread-safe.
#ifndef BENCH_EMPTY_SERVICE_H_
#define BENCH_EMPTY_SERVICE_H_

#include "budget/bench/v1/empty_service.grpc.pb.h"

namespace bench {

class EmptyService final : public budget::bench::v1::EmptyService::Service {
 public:
  grpc::Status Ping(grpc::ServerContext* context,
                    const google::protobuf::Empty* request,
                    google::protobuf::Empty* response) override;
};

class CallbackEmptyService final
    : public budget::bench::v1::CallbackEmptyService::CallbackService {
 public:
  grpc::ServerUnaryReactor* Ping(grpc::CallbackServerContext* context,
                                 const google::protobuf::Empty* request,
                                 google::protobuf::Empty* response) override;
};

class RawEmptyService final
    : public budget::bench::v1::RawEmptyService::WithRawCallbackMethod_Ping<
          budget::bench::v1::RawEmptyService::Service> {
 public:
  // Answers zero bytes: an empty message.
  grpc::ServerUnaryReactor* Ping(grpc::CallbackServerContext* context,
                                 const grpc::ByteBuffer* request,
                                 grpc::ByteBuffer* response) override;
};

}  // namespace bench

#endif  // BENCH_EMPTY_SERVICE_H_
