// The security events both services count (metrics.h):
//
//   budget_principals_reloads_total{result}   ok | error (SIGHUP reloads;
//                                             on error the previous stay)
//   budget_audit_appends_total{result}        ok | error (records of
//                                             writes and denied calls)
//
// An audit append that fails is a record lost: alert on result="error".
// Registers its metrics in the registry it is given, which must outlive it.
// Thread-safe.
#ifndef SERVER_COMMON_SECURITY_METRICS_H_
#define SERVER_COMMON_SECURITY_METRICS_H_

#include "absl/status/status.h"
#include "prometheus/counter.h"
#include "prometheus/registry.h"

namespace server_common {

class SecurityMetrics {
 public:
  explicit SecurityMetrics(prometheus::Registry& registry);

  void PrincipalsReloaded(const absl::Status& status);
  void AuditAppended(const absl::Status& status);

 private:
  prometheus::Counter& reloads_ok_;
  prometheus::Counter& reloads_failed_;
  prometheus::Counter& appends_ok_;
  prometheus::Counter& appends_failed_;
};

}  // namespace server_common

#endif  // SERVER_COMMON_SECURITY_METRICS_H_
