// Metrics of every RPC a server handles, recorded by one gRPC server
// interceptor so that no service method has to remember to count itself.
// Named and labelled as go-grpc-prometheus names them, so that existing
// dashboards and alerts fit:
//
//   grpc_server_started_total{grpc_type,grpc_service,grpc_method}
//   grpc_server_handled_total{grpc_type,grpc_service,grpc_method,grpc_code}
//   grpc_server_handling_seconds{grpc_type,grpc_service,grpc_method}
//       (histogram, from the call's start to its status being sent)
//
// grpc_code is the canonical name as grpcurl prints it ("OK",
// "PERMISSION_DENIED"); a call that ends without a status (the client went
// away) counts as CANCELLED.
//
// The interceptors borrow the metrics' registry, which must outlive the
// server. Thread-safe.
#ifndef SERVER_COMMON_CALL_METRICS_H_
#define SERVER_COMMON_CALL_METRICS_H_

#include <memory>
#include <vector>

#include "grpcpp/support/server_interceptor.h"
#include "server_common/metrics.h"

namespace server_common {

using InterceptorFactories = std::vector<
    std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>>;

// The interceptor factory recording the call metrics into `metrics`; none
// when metrics are not enabled (no cost per call then).
InterceptorFactories CallMetricsInterceptors(Metrics& metrics);

}  // namespace server_common

#endif  // SERVER_COMMON_CALL_METRICS_H_
