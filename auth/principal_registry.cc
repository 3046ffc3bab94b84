#include "auth/principal_registry.h"

#include <utility>

namespace auth {
namespace {

Principal LocalOperator() {
  Principal local;
  local.name = "local-operator";
  local.grants = {{Role::kSubmitter, kEveryNode},
                  {Role::kReviewer, kEveryNode},
                  {Role::kAuditor, kEveryNode}};
  return local;
}

}  // namespace

PrincipalRegistry::PrincipalRegistry(std::string path)
    : path_(std::move(path)),
      local_operator_(LocalOperator()),
      principals_(std::make_shared<const Principals>()) {}

absl::Status PrincipalRegistry::Reload() {
  if (!has_file()) return absl::OkStatus();
  absl::StatusOr<Principals> loaded = LoadPrincipalsFile(path_);
  if (!loaded.ok()) return loaded.status();
  auto fresh = std::make_shared<const Principals>(*std::move(loaded));
  absl::MutexLock lock(&mu_);
  principals_ = std::move(fresh);
  return absl::OkStatus();
}

std::shared_ptr<const Principals> PrincipalRegistry::Snapshot() const {
  absl::MutexLock lock(&mu_);
  return principals_;
}

}  // namespace auth
