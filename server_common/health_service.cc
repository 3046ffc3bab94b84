#include "server_common/health_service.h"

#include <optional>

#include "absl/strings/str_cat.h"
#include "budget/utf8.h"
#include "budget/validation/limits.h"

namespace server_common {

using grpc::health::v1::HealthCheckRequest;
using grpc::health::v1::HealthCheckResponse;

namespace {

// Service names are short; a longer one is refused as any other text of a
// request is (request_bytes.h), rather than echoed whole or kept by a
// Watch for as long as it stays open.
grpc::Status CheckServiceName(const std::string& service) {
  if (service.size() <= budget::kMaxTextBytes) return grpc::Status::OK;
  return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                      absl::StrCat("service: a string of ", service.size(),
                                   " bytes; expected at most ",
                                   budget::kMaxTextBytes, " (docs/limits.md)"));
}

// How much of an unknown name the NOT_FOUND message shows.
constexpr size_t kShownNameBytes = 64;

// A Watch refused before it starts: finishes with its status at once.
class RefusedWatch : public grpc::ServerWriteReactor<HealthCheckResponse> {
 public:
  explicit RefusedWatch(const grpc::Status& status) { Finish(status); }
  void OnDone() override { delete this; }
};

}  // namespace

// One Watch stream: writes the current status, then every change, one write
// at a time; deletes itself when gRPC is done with it.
class HealthService::Watcher
    : public grpc::ServerWriteReactor<HealthCheckResponse> {
 public:
  Watcher(HealthService* owner, std::string service)
      : owner_(owner), service_(std::move(service)) {}

  // Queues `status` (only the newest unsent one matters); `last` ends the
  // stream after it is written.
  void Send(ServingStatus status, bool last) {
    absl::MutexLock lock(&mu_);
    if (finished_) return;
    pending_ = status;
    finish_after_ = finish_after_ || last;
    if (!writing_) WriteNextLocked();
  }

  void OnWriteDone(bool ok) override {
    absl::MutexLock lock(&mu_);
    writing_ = false;
    if (!ok) {
      FinishLocked(grpc::Status(grpc::StatusCode::CANCELLED, "write failed"));
    } else {
      WriteNextLocked();
    }
  }

  void OnCancel() override {
    absl::MutexLock lock(&mu_);
    FinishLocked(grpc::Status::CANCELLED);
  }

  void OnDone() override {
    owner_->Forget(this);
    delete this;
  }

  const std::string& service() const { return service_; }

 private:
  void WriteNextLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    if (finished_) return;
    if (!pending_.has_value()) {
      if (finish_after_) FinishLocked(grpc::Status::OK);
      return;
    }
    response_.set_status(*pending_);
    pending_.reset();
    writing_ = true;
    StartWrite(&response_);
  }

  void FinishLocked(const grpc::Status& status)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    if (finished_) return;
    finished_ = true;
    Finish(status);
  }

  HealthService* const owner_;
  const std::string service_;
  absl::Mutex mu_;
  HealthCheckResponse response_ ABSL_GUARDED_BY(mu_);
  std::optional<ServingStatus> pending_ ABSL_GUARDED_BY(mu_);
  bool writing_ ABSL_GUARDED_BY(mu_) = false;
  bool finish_after_ ABSL_GUARDED_BY(mu_) = false;
  bool finished_ ABSL_GUARDED_BY(mu_) = false;
};

void HealthService::SetServingStatus(const std::string& service,
                                     ServingStatus status) {
  absl::MutexLock lock(&mu_);
  if (shut_down_) return;
  statuses_[service] = status;
  for (Watcher* watcher : watchers_) {
    if (watcher->service() == service) watcher->Send(status, false);
  }
}

void HealthService::Shutdown() {
  absl::MutexLock lock(&mu_);
  shut_down_ = true;
  for (auto& [service, status] : statuses_) {
    status = HealthCheckResponse::NOT_SERVING;
  }
  for (Watcher* watcher : watchers_) {
    watcher->Send(StatusOf(watcher->service()), true);
  }
}

HealthService::ServingStatus HealthService::StatusOf(
    const std::string& service) const {
  auto it = statuses_.find(service);
  return it == statuses_.end() ? HealthCheckResponse::SERVICE_UNKNOWN
                               : it->second;
}

void HealthService::Forget(Watcher* watcher) {
  absl::MutexLock lock(&mu_);
  watchers_.erase(watcher);
}

grpc::ServerUnaryReactor* HealthService::Check(
    grpc::CallbackServerContext* context, const HealthCheckRequest* request,
    HealthCheckResponse* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  if (grpc::Status named = CheckServiceName(request->service()); !named.ok()) {
    reactor->Finish(named);
    return reactor;
  }
  absl::MutexLock lock(&mu_);
  ServingStatus status = StatusOf(request->service());
  if (status == HealthCheckResponse::SERVICE_UNKNOWN) {
    reactor->Finish(grpc::Status(
        grpc::StatusCode::NOT_FOUND,
        absl::StrCat("unknown service ",
                     budget::ClipText(request->service(), kShownNameBytes))));
  } else {
    response->set_status(status);
    reactor->Finish(grpc::Status::OK);
  }
  return reactor;
}

grpc::ServerWriteReactor<HealthCheckResponse>* HealthService::Watch(
    grpc::CallbackServerContext* context, const HealthCheckRequest* request) {
  if (grpc::Status named = CheckServiceName(request->service()); !named.ok()) {
    return new RefusedWatch(named);
  }
  auto* watcher = new Watcher(this, request->service());
  absl::MutexLock lock(&mu_);
  watchers_.insert(watcher);
  // The protocol sends SERVICE_UNKNOWN for an unknown name and keeps
  // watching, in case the service is registered later.
  watcher->Send(StatusOf(request->service()), shut_down_);
  return watcher;
}

}  // namespace server_common
