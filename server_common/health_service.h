// grpc.health.v1.Health (Check and Watch), served by the project itself so
// that reflection can describe it: gRPC 1.51's built-in health service is
// listed by reflection but its descriptors are missing ("Symbol not found").
// Servers using this one call grpc::EnableDefaultHealthCheckService(false).
//
// The overall status is the entry for the empty service name. Shutdown()
// marks everything NOT_SERVING and ends open Watch streams so that server
// shutdown need not wait for them.
//
// Thread-safe. Must outlive the server it is registered with.
#ifndef SERVER_COMMON_HEALTH_SERVICE_H_
#define SERVER_COMMON_HEALTH_SERVICE_H_

#include <map>
#include <set>
#include <string>

#include "absl/synchronization/mutex.h"
#include "grpc/health/v1/health.grpc.pb.h"

namespace server_common {

class HealthService : public grpc::health::v1::Health::CallbackService {
 public:
  using ServingStatus = grpc::health::v1::HealthCheckResponse::ServingStatus;

  // Sets the status of `service` ("" for the whole server) and tells its
  // watchers.
  void SetServingStatus(const std::string& service, ServingStatus status);
  // Every known service NOT_SERVING; open watches get that and end.
  void Shutdown();

  grpc::ServerUnaryReactor* Check(
      grpc::CallbackServerContext* context,
      const grpc::health::v1::HealthCheckRequest* request,
      grpc::health::v1::HealthCheckResponse* response) override;
  grpc::ServerWriteReactor<grpc::health::v1::HealthCheckResponse>* Watch(
      grpc::CallbackServerContext* context,
      const grpc::health::v1::HealthCheckRequest* request) override;

 private:
  class Watcher;

  ServingStatus StatusOf(const std::string& service) const
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void Forget(Watcher* watcher);

  mutable absl::Mutex mu_;
  std::map<std::string, ServingStatus> statuses_ ABSL_GUARDED_BY(mu_);
  std::set<Watcher*> watchers_ ABSL_GUARDED_BY(mu_);
  bool shut_down_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace server_common

#endif  // SERVER_COMMON_HEALTH_SERVICE_H_
