#include "server_common/security_setup.h"

#include <cstdio>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/time.h"
#include "server_common/transport_security.h"

ABSL_FLAG(std::string, principals, "",
          "Principals file (auth/principals_file.h), reloaded on SIGHUP; "
          "required unless --insecure");
ABSL_FLAG(bool, allow_anonymous_reads, false,
          "Callers without identity read as public: published years only, "
          "classified projects masked");

ABSL_FLAG(int32_t, auth_failure_burst, 20,
          "Failed authentications one peer address may make at once before "
          "its calls are refused RESOURCE_EXHAUSTED unchecked; 0: no limit");
ABSL_FLAG(absl::Duration, auth_failure_refill, absl::Seconds(1),
          "After the burst, one more failed authentication per peer address "
          "is allowed per this interval");

ABSL_FLAG(int32_t, audit_refusals_per_peer, 20,
          "Refused calls of one peer address audited one by one per "
          "--audit_refusal_interval; the rest are counted, and each count "
          "is audited once when the interval ends; 0: every one audited");
ABSL_FLAG(absl::Duration, audit_refusal_interval, absl::Minutes(1),
          "The interval of --audit_refusals_per_peer");

namespace server_common {

absl::StatusOr<SecuritySetup> SecuritySetupFromFlags(
    const std::string& listen) {
  TransportOptions transport = TransportOptionsFromFlags();
  std::string principals = absl::GetFlag(FLAGS_principals);
  absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> credentials =
      MakeServerCredentials(transport, listen);
  if (principals.empty() &&
      (!transport.insecure || transport.insecure_any_address)) {
    return absl::InvalidArgumentError(absl::StrCat(
        credentials.ok() ? "" : credentials.status().message(),
        credentials.ok() ? "" : "; ",
        "--principals: none given; expected a principals file (only "
        "--insecure on loopback may run without one)"));
  }
  if (!credentials.ok()) return credentials.status();
  SecuritySetup setup;
  setup.credentials = *std::move(credentials);
  setup.registry = std::make_unique<auth::PrincipalRegistry>(principals);
  if (absl::Status loaded = setup.registry->Reload(); !loaded.ok()) {
    return loaded;
  }
  setup.policy.allow_anonymous_reads =
      absl::GetFlag(FLAGS_allow_anonymous_reads);
  setup.failure_limits.burst = absl::GetFlag(FLAGS_auth_failure_burst);
  setup.failure_limits.refill = absl::GetFlag(FLAGS_auth_failure_refill);
  setup.refusal_limits.per_peer = absl::GetFlag(FLAGS_audit_refusals_per_peer);
  setup.refusal_limits.interval = absl::GetFlag(FLAGS_audit_refusal_interval);
  if (setup.refusal_limits.interval < absl::Seconds(1)) {
    return absl::InvalidArgumentError(
        "--audit_refusal_interval: expected at least 1s");
  }
  return setup;
}

absl::Status ReloadPrincipals(const std::string& program,
                              auth::PrincipalRegistry& registry) {
  absl::Status reloaded = registry.Reload();
  if (reloaded.ok()) {
    absl::FPrintF(stderr, "%s: principals reloaded\n", program);
  } else {
    absl::FPrintF(stderr, "%s: principals not reloaded, previous kept: %s\n",
                  program, reloaded.ToString());
  }
  return reloaded;
}

}  // namespace server_common
