#include "server_common/server_runner.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "grpcpp/health_check_service_interface.h"
#include "grpcpp/resource_quota.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server_builder.h"
#include "server_common/listener_guard.h"
#include "server_common/request_bytes.h"

ABSL_FLAG(int32_t, max_message_bytes, 32 << 20,
          "Largest request accepted, in bytes; larger ones are refused with "
          "RESOURCE_EXHAUSTED (docs/limits.md)");
ABSL_FLAG(int64_t, max_request_messages,
          server_common::kDefaultMaxRequestMessages,
          "Most objects one request may parse into: nested messages (lines, "
          "projects, indicators), elements of repeated texts and unknown "
          "fields; more are refused with RESOURCE_EXHAUSTED before parsing "
          "(docs/limits.md)");

ABSL_FLAG(int32_t, transport_memory_mb, 128,
          "Most memory gRPC's transport may hold for incoming data, all "
          "connections together, in MB (a gRPC ResourceQuota); past it the "
          "transport resets calls still receiving with RESOURCE_EXHAUSTED. "
          "gRPC reads a request whole before comparing it with "
          "--max_message_bytes, so this is what bounds oversized requests "
          "(docs/limits.md); keep it several times --max_message_bytes");

ABSL_FLAG(absl::Duration, handshake_timeout, absl::Seconds(10),
          "How long a new connection has to complete its TLS handshake and "
          "send its HTTP/2 preface and settings; a connection that has not "
          "is closed (gRPC's default is 2 minutes: thousands of half-open "
          "connections could hold file descriptors that long)");

ABSL_FLAG(int32_t, max_concurrent_streams, 256,
          "Most calls one connection may have open at once (HTTP/2 "
          "SETTINGS_MAX_CONCURRENT_STREAMS); a client queues the rest "
          "itself. Bounds what one connection's unread calls hold in the "
          "service (docs/limits.md)");

namespace server_common {
namespace {

constexpr int kSyncPollTimeoutMs = 100;

}  // namespace

absl::StatusOr<std::unique_ptr<grpc::Server>> StartServer(
    const std::string& listen,
    std::shared_ptr<grpc::ServerCredentials> credentials,
    const std::vector<ServedService>& services, HealthService& health,
    DescriptorReflectionService& reflection,
    InterceptorFactories interceptors) {
  // Debian's Abseil is built with mutex deadlock detection on, which
  // records every lock acquisition in a graph: a cost on every call that a
  // production server does not pay. Unit tests keep it.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  grpc::EnableDefaultHealthCheckService(false);
  RaiseOpenFileLimit();
  StopWhenListenerFails();
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort(listen, std::move(credentials), &port);
  builder.SetMaxReceiveMessageSize(absl::GetFlag(FLAGS_max_message_bytes));
  // gRPC 1.51 compares a request with the receive limit only once it holds
  // all of it, so the limit alone let three 200 MB requests take 735 MB.
  // The quota caps what the transport buffers: past it, gRPC resets
  // streams still receiving (RST_STREAM, ENHANCE_YOUR_CALM), which their
  // callers see as RESOURCE_EXHAUSTED. The builder keeps its own reference.
  grpc::ResourceQuota quota("transport");
  quota.Resize(
      static_cast<size_t>(std::max(absl::GetFlag(FLAGS_transport_memory_mb), 1))
      << 20);
  builder.SetResourceQuota(quota);
  // gRPC binds with SO_REUSEPORT by default: a second service started on a
  // port in use (a leftover process, a unit restarted before the old one
  // exited) would listen too and silently take half the connections.
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  builder.AddChannelArgument(
      GRPC_ARG_MAX_CONCURRENT_STREAMS,
      std::max(absl::GetFlag(FLAGS_max_concurrent_streams), 1));
  builder.AddChannelArgument(
      GRPC_ARG_SERVER_HANDSHAKE_TIMEOUT_MS,
      static_cast<int>(std::clamp<int64_t>(
          absl::ToInt64Milliseconds(absl::GetFlag(FLAGS_handshake_timeout)), 1,
          INT32_MAX)));
  // A synchronous service's threads (gRPC's reflection plugin, once; now
  // the bench's EmptyService) notice a shutdown only when their
  // completion-queue wait times out (10 s by default), so an idle service
  // took seconds to stop on SIGTERM.
  builder.SetSyncServerOption(
      grpc::ServerBuilder::SyncServerOption::CQ_TIMEOUT_MSEC,
      kSyncPollTimeoutMs);
  builder.experimental().SetInterceptorCreators(std::move(interceptors));
  builder.RegisterService(&health);
  std::vector<std::string> names = {
      grpc::health::v1::Health::service_full_name()};
  for (const ServedService& served : services) {
    builder.RegisterService(served.service);
    names.push_back(served.full_name);
  }
  reflection.SetServiceNames(std::move(names));
  for (grpc::Service* service : reflection.services()) {
    builder.RegisterService(service);
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
