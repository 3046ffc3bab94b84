// The security a service starts with, from its flags: the transport
// (transport_security.h), the principals (--principals FILE, reloaded on
// SIGHUP) and whether callers without identity read as public
// (--allow_anonymous_reads), how often a peer may fail to authenticate
// (--auth_failure_burst, --auth_failure_refill), and how many of a peer's
// refused calls are audited one by one (--audit_refusals_per_peer,
// --audit_refusal_interval). Running without a principals
// file (every caller the local operator, auth/principal_registry.h) is allowed
// only with --insecure on loopback.
//
// Owns the registry. Thread-compatible: built and reloaded from main.
#ifndef SERVER_COMMON_SECURITY_SETUP_H_
#define SERVER_COMMON_SECURITY_SETUP_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "auth/authorization.h"
#include "auth/failure_limiter.h"
#include "auth/principal_registry.h"
#include "grpcpp/security/server_credentials.h"
#include "server_common/refusal_budget.h"

namespace server_common {

struct SecuritySetup {
  std::shared_ptr<grpc::ServerCredentials> credentials;
  std::unique_ptr<auth::PrincipalRegistry> registry;
  auth::AccessPolicy policy;
  // --auth_failure_burst, --auth_failure_refill.
  auth::FailureLimiter::Limits failure_limits;
  // --audit_refusals_per_peer, --audit_refusal_interval.
  RefusalBudget::Limits refusal_limits;
};

// Every problem with the flags at once, as INVALID_ARGUMENT.
absl::StatusOr<SecuritySetup> SecuritySetupFromFlags(const std::string& listen);

// Reloads the principals, saying on stderr whether it worked, prefixed by
// `program`; returns that too.
absl::Status ReloadPrincipals(const std::string& program,
                              auth::PrincipalRegistry& registry);

}  // namespace server_common

#endif  // SERVER_COMMON_SECURITY_SETUP_H_
