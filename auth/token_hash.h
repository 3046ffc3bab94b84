// Bearer tokens as the principals file keeps them: never in clear, but as
// "pbkdf2-sha256$ITERATIONS$SALT_HEX$HASH_HEX" (PBKDF2-HMAC-SHA256 from
// OpenSSL's libcrypto, 32-byte derived key), compared in constant time.
//
// Pure functions; thread-safe.
#ifndef AUTH_TOKEN_HASH_H_
#define AUTH_TOKEN_HASH_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace auth {

// Enough to make guessing slow; each check costs tens of milliseconds.
inline constexpr int kDefaultTokenIterations = 100000;

// A fresh random salt (16 bytes) and the encoded hash of `token`.
absl::StatusOr<std::string> HashToken(absl::string_view token,
                                      int iterations = kDefaultTokenIterations);

// Same, with the salt given (bytes), for tests and reproducible files.
std::string HashTokenWithSalt(absl::string_view token, absl::string_view salt,
                              int iterations);

// INVALID_ARGUMENT when `encoded` is not of the form above.
absl::Status CheckTokenHashFormat(absl::string_view encoded);

// True when `token` hashes to `encoded`. False for a malformed `encoded`.
bool TokenMatches(absl::string_view token, absl::string_view encoded);

}  // namespace auth

#endif  // AUTH_TOKEN_HASH_H_
