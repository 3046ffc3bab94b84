// The principals file the operator writes: one principal a line,
//
//   # name        credentials                      roles
//   office-021001 token=pbkdf2-sha256$100000$…$…   submitter@021001
//   bureau-021    cert                             reviewer@021
//   audit-office  cert,token=pbkdf2-sha256$…       auditor
//   portal        token=pbkdf2-sha256$…            public
//
// Credentials: `cert` (a verified client certificate whose subject CN or a
// SAN is the name) and/or `token=HASH` (token_hash.h), comma-separated. The
// salt of each token hash is its tokens' ID and must be unique in the file.
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

#include "absl/container/flat_hash_map.h"
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
  // The principal whose token hash the bearer token "ID.SECRET" matches,
  // or null. Costs at most one key derivation (of the hash with that ID),
  // none for a token without a known ID or already verified.
  const Principal* FindByToken(absl::string_view token) const;
  // The same for a token already verified, else null: never a derivation.
  const Principal* FindVerifiedToken(absl::string_view token) const;

  const std::vector<Principal>& all() const { return principals_; }

 private:
  struct HashRef {
    size_t principal;
    size_t hash;
  };
  std::vector<Principal> principals_;
  // By token ID (token_hash.h); with a repeated ID, the first.
  absl::flat_hash_map<std::string, HashRef> by_token_id_;
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
