// The security events both services count (metrics.h):
//
//   budget_principals_reloads_total{result}   ok | error (SIGHUP reloads;
//                                             on error the previous stay)
//   budget_audit_appends_total{result}        ok | error (records of
//                                             writes and denied calls)
//   budget_audit_refusals_counted_total       refused calls counted rather
//                                             than recorded one by one
//                                             (AccessGate)
//
// An audit append that fails is a record lost: alert on result="error".
// Registers its metrics in the registry it is given, which must outlive it.
// Thread-safe.
#ifndef SERVER_COMMON_SECURITY_METRICS_H_
#define SERVER_COMMON_SECURITY_METRICS_H_

#include "absl/status/status.h"
#include "prometheus/counter.h"
#include "prometheus/registry.h"
#include "server_common/access_gate.h"
#include "server_common/metrics.h"

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

// Exposes budget_audit_refusals_counted_total of `gate`, which must outlive
// `metrics`' serving.
void ExposeCountedRefusals(const AccessGate& gate, Metrics& metrics);

}  // namespace server_common

#endif  // SERVER_COMMON_SECURITY_METRICS_H_
