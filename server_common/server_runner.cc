#include "server_common/server_runner.h"

#include <cstdio>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "grpcpp/ext/proto_server_reflection_plugin.h"
#include "grpcpp/health_check_service_interface.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server_builder.h"

namespace server_common {

absl::StatusOr<std::unique_ptr<grpc::Server>> StartServer(
    const std::string& listen,
    std::shared_ptr<grpc::ServerCredentials> credentials,
    const std::vector<ServedService>& services, HealthService& health) {
  // Debian's Abseil is built with mutex deadlock detection on, which
  // records every lock acquisition in a graph: a cost on every call that a
  // production server does not pay. Unit tests keep it.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  grpc::EnableDefaultHealthCheckService(false);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort(listen, std::move(credentials), &port);
  builder.SetMaxReceiveMessageSize(kMaxReceiveBytes);
  builder.RegisterService(&health);
  for (const ServedService& served : services) {
    builder.RegisterService(served.service);
  }
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (server == nullptr || port == 0) {
    return absl::UnavailableError(absl::StrCat("cannot listen on ", listen));
  }
  health.SetServingStatus("", grpc::health::v1::HealthCheckResponse::SERVING);
  for (const ServedService& served : services) {
    health.SetServingStatus(served.full_name,
                            grpc::health::v1::HealthCheckResponse::SERVING);
  }
  std::string host = listen.substr(0, listen.rfind(':'));
  absl::PrintF("listening on %s:%d\n", host, port);
  std::fflush(stdout);
  return server;
}

void StopServer(grpc::Server& server, HealthService& health,
                absl::Duration grace) {
  health.Shutdown();
  server.Shutdown(absl::ToChronoTime(absl::Now() + grace));
  server.Wait();
}

}  // namespace server_common
