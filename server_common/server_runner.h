// Starts a gRPC server the way every service of the project runs: the
// project's own server reflection (descriptor_reflection_service.h, which
// serves the proto comments) and health service, a receive size limit
// (--max_message_bytes), a memory quota for the transport
// (--transport_memory_mb), and a line "listening on HOST:PORT" on stdout once
// bound (port 0 picks a free port, which tests read from that line); and stops
// it on request. The process's open-file limit is raised to its hard limit,
// and a listener that stops accepting stops the service for a restart
// (listener_guard.h).
//
// The services, the health service and the reflection service are
// borrowed and must outlive the server. Thread-compatible: called from
// main.
#ifndef SERVER_COMMON_SERVER_RUNNER_H_
#define SERVER_COMMON_SERVER_RUNNER_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/flags/declare.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server.h"
#include "server_common/call_metrics.h"
#include "server_common/descriptor_reflection_service.h"
#include "server_common/health_service.h"

// The largest request a service accepts, in bytes (--max_message_bytes,
// default 32 MB: a budget at every limit of budget/validation/limits.h
// fits); anything larger is refused with RESOURCE_EXHAUSTED once gRPC has
// received it, and --transport_memory_mb bounds what such requests hold
// together before that.
ABSL_DECLARE_FLAG(int32_t, max_message_bytes);
// The most objects one request may parse into (--max_request_messages;
// server_common/request_bytes.h).
ABSL_DECLARE_FLAG(int64_t, max_request_messages);

namespace server_common {

struct ServedService {
  std::string full_name;  // e.g. "budget.v1.IngestService", for health.
  grpc::Service* service;
};

// Binds `listen` (HOST:PORT) with `credentials`
// (transport_security.h), registers `services`, `health` and `reflection`
// (which lists them all), marks them SERVING and prints the bound address.
// UNAVAILABLE when binding fails. `interceptors` see every call
// (call_metrics.h).
absl::StatusOr<std::unique_ptr<grpc::Server>> StartServer(
    const std::string& listen,
    std::shared_ptr<grpc::ServerCredentials> credentials,
    const std::vector<ServedService>& services, HealthService& health,
    DescriptorReflectionService& reflection,
    InterceptorFactories interceptors = {});

// Health NOT_SERVING, then Shutdown letting calls in flight finish until
// `grace` has passed (later ones are cancelled), then waits for the server.
void StopServer(grpc::Server& server, HealthService& health,
                absl::Duration grace);

}  // namespace server_common

#endif  // SERVER_COMMON_SERVER_RUNNER_H_
