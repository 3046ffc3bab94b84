// Every method × every role × inside / outside its scope, plus the
// anonymous caller with and without --allow_anonymous_reads, against a
// table of expected verdicts written out by hand from issue 8's roles.
#include "auth/authorization.h"

#include <map>
#include <set>
#include <string>

#include "gtest/gtest.h"

namespace auth {
namespace {

using M = Method;

// The unit 021001 under department 021; the outsider 022001 under 022.
const Target kInside{{"021001", "021"}, false};
const Target kOutside{{"022001", "022"}, false};
const Target kInsidePublished{{"021001", "021"}, true};
const Target kUnknown{{}, false};

Principal WithGrant(Role role, std::string scope) {
  Principal principal;
  principal.name = "p";
  principal.grants = {{role, std::move(scope)}};
  return principal;
}

const std::set<Method> kQueryReads = {
    M::kGetDisclosureTable, M::kAggregate, M::kGetSummary,
    M::kListMembers,        M::kWatch,     M::kExportBudget};
const std::set<Method> kSubmissionReads = {M::kListUnits, M::kGetSubmission,
                                           M::kListSubmissions,
                                           M::kListCycleRecords};
// The cycle's writes: from reviewers above the unit (the service passes the
// parent's ancestry for control figures and approval).
const std::set<Method> kCycleWrites = {M::kIssueControlFigures,
                                       M::kApproveBudget, M::kAdjustBudget};

bool In(const std::set<Method>& set, Method method) {
  return set.count(method) > 0;
}

// What each role may do inside its scope.
bool ExpectedInside(Role role, Method method) {
  switch (role) {
    case Role::kSubmitter:
      return method == M::kSubmitBudget || In(kQueryReads, method) ||
             In(kSubmissionReads, method);
    case Role::kReviewer:
      return method == M::kReviewSubmission || method == M::kLockYear ||
             method == M::kRegisterUnit || In(kQueryReads, method) ||
             In(kSubmissionReads, method) || In(kCycleWrites, method);
    case Role::kAuditor:
      return In(kQueryReads, method) || In(kSubmissionReads, method) ||
             method == M::kListAuditRecords || method == M::kVerifyAuditTrail;
    case Role::kPublic:
      return false;  // Nothing unpublished.
  }
  return false;
}

TEST(AuthorizeTest, EveryMethodRoleAndScope) {
  AccessPolicy policy;
  for (Role role :
       {Role::kSubmitter, Role::kReviewer, Role::kAuditor, Role::kPublic}) {
    Principal caller = WithGrant(role, "021");
    for (Method method : AllMethods()) {
      SCOPED_TRACE(std::string(MethodName(method)) + " role " +
                   std::to_string(static_cast<int>(role)));
      bool inside = ExpectedInside(role, method);
      // Auditors read everywhere; everyone else only inside the scope.
      bool outside = role == Role::kAuditor && inside;
      Decision in = Authorize(&caller, policy, method, kInside);
      Decision out = Authorize(&caller, policy, method, kOutside);
      Decision unknown = Authorize(&caller, policy, method, kUnknown);
      EXPECT_EQ(in.verdict,
                inside ? Verdict::kAllow : Verdict::kPermissionDenied);
      EXPECT_EQ(out.verdict,
                outside ? Verdict::kAllow : Verdict::kPermissionDenied);
      // An unknown node looks exactly like a foreign one.
      EXPECT_EQ(unknown.verdict, out.verdict);
      EXPECT_EQ(in.cleared, role == Role::kAuditor && inside);
      // Published years open the query reads to the public, masked.
      Decision published = Authorize(&caller, policy, method, kInsidePublished);
      if (role == Role::kPublic) {
        EXPECT_EQ(published.verdict, In(kQueryReads, method)
                                         ? Verdict::kAllow
                                         : Verdict::kPermissionDenied);
        EXPECT_FALSE(published.cleared);
      }
    }
  }
}

TEST(AuthorizeTest, AnonymousCallers) {
  for (bool allow : {false, true}) {
    AccessPolicy policy{allow};
    for (Method method : AllMethods()) {
      SCOPED_TRACE(std::string(MethodName(method)) +
                   (allow ? " allowed" : " not allowed"));
      Decision unpublished = Authorize(nullptr, policy, method, kInside);
      Decision published = Authorize(nullptr, policy, method, kInsidePublished);
      if (!allow || !In(kQueryReads, method)) {
        EXPECT_EQ(unpublished.verdict, Verdict::kUnauthenticated);
        EXPECT_EQ(published.verdict, Verdict::kUnauthenticated);
      } else {
        EXPECT_EQ(unpublished.verdict, Verdict::kPermissionDenied);
        EXPECT_EQ(published.verdict, Verdict::kAllow);
        EXPECT_FALSE(published.cleared);
      }
    }
  }
}

TEST(AuthorizeTest, EveryNodeScopeAndDeeperUnits) {
  Principal everywhere = WithGrant(Role::kReviewer, kEveryNode);
  EXPECT_EQ(Authorize(&everywhere, {}, M::kLockYear, kOutside).verdict,
            Verdict::kAllow);
  // A root unit's registration has an empty lineage: only * covers it.
  EXPECT_EQ(Authorize(&everywhere, {}, M::kRegisterUnit, kUnknown).verdict,
            Verdict::kAllow);
  Principal unit_only = WithGrant(Role::kSubmitter, "021001");
  EXPECT_EQ(Authorize(&unit_only, {}, M::kSubmitBudget, kInside).verdict,
            Verdict::kAllow);
  // The department above its unit is outside a unit-scoped grant.
  EXPECT_EQ(
      Authorize(&unit_only, {}, M::kGetSummary, Target{{"021"}, false}).verdict,
      Verdict::kPermissionDenied);
}

}  // namespace
}  // namespace auth
