// The principals file the operator writes: one principal a line,
//
//   # name        credentials                      roles
//   office-021001 token=pbkdf2-sha256$100000$…$…   submitter@021001
//   bureau-021    cert                             reviewer@021
//   audit-office  cert,token=pbkdf2-sha256$…       auditor
//   portal        token=pbkdf2-sha256$…            public
//
// Credentials: `cert` (a verified client certificate whose subject CN or a
// SAN is the name) and/or `token=HASH` (token_hash.h), comma-separated.
// Roles: submitter@SCOPE, reviewer@SCOPE (SCOPE a node code or *), auditor,
// public. Blank lines and lines starting with # are ignored.
//
// Principals is immutable once built, apart from the tokens it has verified
// (verified_tokens.h), which it remembers; thread-safe.
#ifndef AUTH_PRINCIPALS_FILE_H_
#define AUTH_PRINCIPALS_FILE_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "auth/principal.h"
#include "auth/verified_tokens.h"

namespace auth {

class Principals {
 public:
  Principals() : Principals(std::vector<Principal>()) {}
  explicit Principals(std::vector<Principal> principals);

  // The principal a verified certificate with these names (CN and SANs)
  // identifies, or null.
  const Principal* FindByCertificate(
      const std::vector<std::string>& names) const;
  // The principal whose token hash `token` matches, or null. Costs one
  // key derivation per token hash on file, the first time a token matches.
  const Principal* FindByToken(absl::string_view token) const;

  const std::vector<Principal>& all() const { return principals_; }

 private:
  std::vector<Principal> principals_;
  std::unique_ptr<VerifiedTokens> verified_tokens_;
};

// Every malformed line is reported at once, as "FILE:LINE: problem (given:
// X; expected: Y)", in one INVALID_ARGUMENT.
absl::StatusOr<Principals> ParsePrincipals(absl::string_view text,
                                           absl::string_view file_name);

// Reads and parses `path`; NOT_FOUND when it cannot be read.
absl::StatusOr<Principals> LoadPrincipalsFile(const std::string& path);

}  // namespace auth

#endif  // AUTH_PRINCIPALS_FILE_H_
