#include "server_common/security_metrics.h"

#include <vector>

#include "prometheus/family.h"

namespace server_common {
namespace {

prometheus::Family<prometheus::Counter>& Reloads(
    prometheus::Registry& registry) {
  return prometheus::BuildCounter()
      .Name("budget_principals_reloads_total")
      .Help("Reloads of the principals file (SIGHUP), by result")
      .Register(registry);
}

prometheus::Family<prometheus::Counter>& Appends(
    prometheus::Registry& registry) {
  return prometheus::BuildCounter()
      .Name("budget_audit_appends_total")
      .Help("Records appended to the audit trail, by result")
      .Register(registry);
}

}  // namespace

SecurityMetrics::SecurityMetrics(prometheus::Registry& registry)
    : reloads_ok_(Reloads(registry).Add({{"result", "ok"}})),
      reloads_failed_(Reloads(registry).Add({{"result", "error"}})),
      appends_ok_(Appends(registry).Add({{"result", "ok"}})),
      appends_failed_(Appends(registry).Add({{"result", "error"}})) {}

void SecurityMetrics::PrincipalsReloaded(const absl::Status& status) {
  (status.ok() ? reloads_ok_ : reloads_failed_).Increment();
}

void SecurityMetrics::AuditAppended(const absl::Status& status) {
  (status.ok() ? appends_ok_ : appends_failed_).Increment();
}

void ExposeCountedRefusals(const AccessGate& gate, Metrics& metrics) {
  metrics.AddCounterFunction(
      "budget_audit_refusals_counted_total",
      "Refused calls counted rather than audited one by one (over their "
      "peer's --audit_refusals_per_peer); each count is audited when its "
      "interval ends",
      {}, [&gate] {
        return std::vector<Metrics::Sample>{
            {{}, static_cast<double>(gate.counted_refusals())}};
      });
}

}  // namespace server_common
