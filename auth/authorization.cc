#include "auth/authorization.h"

#include <algorithm>

namespace auth {
namespace {

// The reads a public caller may make, on published targets.
bool IsPublicRead(Method method) {
  switch (method) {
    case Method::kGetDisclosureTable:
    case Method::kAggregate:
    case Method::kGetSummary:
    case Method::kListMembers:
    case Method::kWatch:
    case Method::kExportBudget:
      return true;
    default:
      return false;
  }
}

// Reads of one subtree's budgets (submissions or consolidated figures).
bool IsScopedRead(Method method) {
  return IsPublicRead(method) || method == Method::kListUnits ||
         method == Method::kGetSubmission ||
         method == Method::kListSubmissions ||
         method == Method::kListCycleRecords;
}

bool InScope(const Grant& grant, const Target& target) {
  return grant.scope == kEveryNode ||
         std::find(target.lineage.begin(), target.lineage.end(), grant.scope) !=
             target.lineage.end();
}

bool RoleAllows(Role role, Method method) {
  switch (role) {
    case Role::kSubmitter:
      return method == Method::kSubmitBudget || IsScopedRead(method);
    case Role::kReviewer:
      return method == Method::kReviewSubmission ||
             method == Method::kLockYear || method == Method::kRegisterUnit ||
             method == Method::kIssueControlFigures ||
             method == Method::kApproveBudget ||
             method == Method::kAdjustBudget || IsScopedRead(method);
    case Role::kAuditor:
      return IsScopedRead(method) || method == Method::kListAuditRecords ||
             method == Method::kVerifyAuditTrail;
    case Role::kPublic:
      return false;  // Decided by PublicDecision.
  }
  return false;
}

Decision PublicDecision(Method method, const Target& target) {
  if (IsPublicRead(method) && target.published) {
    return {Verdict::kAllow, false};
  }
  return {Verdict::kPermissionDenied, false};
}

}  // namespace

std::vector<Method> AllMethods() {
  std::vector<Method> methods;
  for (int m = static_cast<int>(Method::kRegisterUnit);
       m <= static_cast<int>(Method::kVerifyAuditTrail); ++m) {
    methods.push_back(static_cast<Method>(m));
  }
  return methods;
}

absl::string_view MethodName(Method method) {
  switch (method) {
    case Method::kRegisterUnit:
      return "RegisterUnit";
    case Method::kListUnits:
      return "ListUnits";
    case Method::kSubmitBudget:
      return "SubmitBudget";
    case Method::kGetSubmission:
      return "GetSubmission";
    case Method::kListSubmissions:
      return "ListSubmissions";
    case Method::kReviewSubmission:
      return "ReviewSubmission";
    case Method::kLockYear:
      return "LockYear";
    case Method::kIssueControlFigures:
      return "IssueControlFigures";
    case Method::kApproveBudget:
      return "ApproveBudget";
    case Method::kAdjustBudget:
      return "AdjustBudget";
    case Method::kListCycleRecords:
      return "ListCycleRecords";
    case Method::kGetDisclosureTable:
      return "GetDisclosureTable";
    case Method::kAggregate:
      return "Aggregate";
    case Method::kGetSummary:
      return "GetSummary";
    case Method::kListMembers:
      return "ListMembers";
    case Method::kWatch:
      return "Watch";
    case Method::kExportBudget:
      return "ExportBudget";
    case Method::kListAuditRecords:
      return "ListAuditRecords";
    case Method::kVerifyAuditTrail:
      return "VerifyAuditTrail";
  }
  return "unknown";
}

Decision Authorize(const Principal* caller, const AccessPolicy& policy,
                   Method method, const Target& target) {
  if (caller == nullptr) {
    if (policy.allow_anonymous_reads && IsPublicRead(method)) {
      return PublicDecision(method, target);
    }
    return {Verdict::kUnauthenticated, false};
  }
  Decision decision{Verdict::kPermissionDenied, false};
  bool is_public = false;
  for (const Grant& grant : caller->grants) {
    if (grant.role == Role::kPublic) {
      is_public = true;
      continue;
    }
    bool everywhere = grant.role == Role::kAuditor;
    if (!RoleAllows(grant.role, method)) continue;
    if (!everywhere && !InScope(grant, target)) continue;
    decision.verdict = Verdict::kAllow;
    decision.cleared = decision.cleared || grant.role == Role::kAuditor;
  }
  if (decision.verdict == Verdict::kAllow || !is_public) return decision;
  return PublicDecision(method, target);
}

}  // namespace auth
