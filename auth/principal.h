// Who a caller is to the services: a named principal with the roles the
// operator granted it, each scoped to a subtree of the unit registry, and
// the credentials that prove the name (a client certificate naming it, or
// a bearer token kept only as a salted hash).
//
// Plain values; thread-compatible.
#ifndef AUTH_PRINCIPAL_H_
#define AUTH_PRINCIPAL_H_

#include <string>
#include <vector>

namespace auth {

enum class Role {
  kSubmitter,  // Submits and reads the units of its scope.
  kReviewer,   // Reviews, locks and reads its scope; registers units in it.
  kAuditor,    // Reads everything, classified projects too, and the audit
               // trail.
  kPublic,     // Reads approved, locked years only, classified masked.
};

// Scope of every node of the registry.
inline constexpr char kEveryNode[] = "*";

struct Grant {
  Role role = Role::kPublic;
  // Root of the subtree the role applies to, or kEveryNode. Auditor and
  // public grants always apply everywhere.
  std::string scope = kEveryNode;
};

struct Principal {
  std::string name;
  std::vector<Grant> grants;
  // A verified client certificate whose subject CN or a SAN equals `name`
  // identifies this principal.
  bool accepts_certificate = false;
  // Encoded token hashes (see token_hash.h); any one matching identifies
  // this principal.
  std::vector<std::string> token_hashes;
};

}  // namespace auth

#endif  // AUTH_PRINCIPAL_H_
