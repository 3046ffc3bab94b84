// Bearer tokens as the principals file keeps them: never in clear, but as
// "pbkdf2-sha256$ITERATIONS$SALT_HEX$HASH_HEX" (PBKDF2-HMAC-SHA256 from
// OpenSSL's libcrypto, 32-byte derived key), compared in constant time.
//
// A bearer token is "ID.SECRET": ID is the SALT_HEX of its hash (public,
// unique in a principals file), SECRET what the hash is derived from. The
// ID tells the service which one hash to check, so a token costs at most
// one key derivation and an unknown one none, whatever the file's size.
// A secret minted before IDs existed keeps its hash: its token becomes
// SALT_HEX + "." + the old token (MintToken).
//
// Pure functions apart from the derivation counter; thread-safe.
#ifndef AUTH_TOKEN_HASH_H_
#define AUTH_TOKEN_HASH_H_

#include <cstdint>
#include <optional>
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

// True when `secret` hashes to `encoded`. False for a malformed `encoded`.
// One key derivation.
bool TokenMatches(absl::string_view secret, absl::string_view encoded);

// The ID of the tokens `encoded` (a well-formed hash) checks: its salt in
// lower-case hex.
std::string TokenId(absl::string_view encoded);

// The bearer token to hand out for `secret`, whose hash is `encoded`.
std::string MintToken(absl::string_view encoded, absl::string_view secret);

struct BearerToken {
  absl::string_view id;
  absl::string_view secret;
};
// Splits "ID.SECRET" at its first dot; nullopt without one.
std::optional<BearerToken> SplitToken(absl::string_view token);

// Key derivations this process has run (HashToken*, TokenMatches), so that
// tests can count what a check costs instead of timing it.
int64_t KeyDerivations();

}  // namespace auth

#endif  // AUTH_TOKEN_HASH_H_
