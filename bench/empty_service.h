// The benchmark-only EmptyService: Ping answers at once, so that a load run
// against it measures the gRPC stack alone (see
// bench/proto/budget/bench/v1/empty_service.proto).
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

}  // namespace bench

#endif  // BENCH_EMPTY_SERVICE_H_
