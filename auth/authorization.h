// The authorization decision of both services: which role may call which
// RPC on which node. A pure function of the caller's grants, the method and
// facts about the target that the service looks up (the node's ancestry and
// whether the year is published), so it is tested without gRPC or storage.
//
// Thread-safe (no state).
#ifndef AUTH_AUTHORIZATION_H_
#define AUTH_AUTHORIZATION_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "auth/principal.h"

namespace auth {

// Every RPC of the services that needs a decision.
enum class Method {
  // budget.v1.IngestService
  kRegisterUnit,
  kListUnits,
  kSubmitBudget,  // Also each budget of SubmitBudgets.
  kGetSubmission,
  kListSubmissions,
  kReviewSubmission,
  kLockYear,
  // The budget cycle (cycle.proto). For control figures and approval the
  // target is the unit's parent's ancestry: they come from above the unit.
  kIssueControlFigures,
  kApproveBudget,
  kAdjustBudget,
  kListCycleRecords,
  // budget.v1.QueryService
  kGetDisclosureTable,
  kAggregate,
  kGetSummary,
  kListMembers,
  kWatch,
  kExportBudget,
  // budget.v1.AuditService
  kListAuditRecords,
  kVerifyAuditTrail,
};

// Every value, for tables that must cover each RPC.
std::vector<Method> AllMethods();

// The RPC's name as clients see it, e.g. "SubmitBudget".
absl::string_view MethodName(Method method);

// What the call is about.
struct Target {
  // The node, then its parent, up to the root. Empty when the request names
  // no node or one that is not registered: only grants on every node cover
  // it, so a scoped caller cannot tell an unknown node from a foreign one.
  // For RegisterUnit: the new unit's parent's ancestry.
  std::vector<std::string> lineage;
  // Public readers may see it: the year is locked (so approved) for the node
  // or an ancestor, or the read is of catalogs rather than budgets.
  bool published = false;
};

struct AccessPolicy {
  // Callers without identity read as public.
  bool allow_anonymous_reads = false;
};

enum class Verdict {
  kAllow,
  kUnauthenticated,   // No identity where one is required.
  kPermissionDenied,  // Identity known, not allowed on this target.
};

struct Decision {
  Verdict verdict = Verdict::kPermissionDenied;
  // The caller sees classified projects in clear.
  bool cleared = false;
};

// `caller` is null for a caller who presented no identity.
Decision Authorize(const Principal* caller, const AccessPolicy& policy,
                   Method method, const Target& target);

}  // namespace auth

#endif  // AUTH_AUTHORIZATION_H_
