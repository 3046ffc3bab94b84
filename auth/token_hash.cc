#include "auth/token_hash.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <atomic>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace auth {
namespace {

constexpr char kScheme[] = "pbkdf2-sha256";
constexpr int kKeyBytes = 32;
constexpr int kSaltBytes = 16;

std::atomic<int64_t> derivations{0};

std::string Derive(absl::string_view token, absl::string_view salt,
                   int iterations) {
  derivations.fetch_add(1, std::memory_order_relaxed);
  std::string key(kKeyBytes, '\0');
  PKCS5_PBKDF2_HMAC(token.data(), static_cast<int>(token.size()),
                    reinterpret_cast<const unsigned char*>(salt.data()),
                    static_cast<int>(salt.size()), iterations, EVP_sha256(),
                    kKeyBytes, reinterpret_cast<unsigned char*>(key.data()));
  return key;
}

bool IsHex(absl::string_view text) {
  return !text.empty() && text.size() % 2 == 0 &&
         text.find_first_not_of("0123456789abcdefABCDEF") ==
             absl::string_view::npos;
}

struct Parsed {
  int iterations = 0;
  std::string salt;
  std::string key;
};

absl::StatusOr<Parsed> Parse(absl::string_view encoded) {
  std::vector<absl::string_view> parts = absl::StrSplit(encoded, '$');
  Parsed parsed;
  if (parts.size() != 4 || parts[0] != kScheme ||
      !absl::SimpleAtoi(parts[1], &parsed.iterations) ||
      parsed.iterations < 1 || !IsHex(parts[2]) || !IsHex(parts[3]) ||
      parts[3].size() != 2 * kKeyBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("token hash: '", encoded.substr(0, 16),
                     "...' given; expected pbkdf2-sha256$ITERATIONS$SALT_HEX$",
                     2 * kKeyBytes, "_HEX_DIGITS"));
  }
  parsed.salt = absl::HexStringToBytes(parts[2]);
  parsed.key = absl::HexStringToBytes(parts[3]);
  return parsed;
}

}  // namespace

absl::StatusOr<std::string> HashToken(absl::string_view token, int iterations) {
  std::string salt(kSaltBytes, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(salt.data()), kSaltBytes) !=
      1) {
    return absl::InternalError("no random bytes for a salt");
  }
  return HashTokenWithSalt(token, salt, iterations);
}

std::string HashTokenWithSalt(absl::string_view token, absl::string_view salt,
                              int iterations) {
  return absl::StrCat(kScheme, "$", iterations, "$",
                      absl::BytesToHexString(salt), "$",
                      absl::BytesToHexString(Derive(token, salt, iterations)));
}

absl::Status CheckTokenHashFormat(absl::string_view encoded) {
  return Parse(encoded).status();
}

bool TokenMatches(absl::string_view secret, absl::string_view encoded) {
  absl::StatusOr<Parsed> parsed = Parse(encoded);
  if (!parsed.ok()) return false;
  std::string key = Derive(secret, parsed->salt, parsed->iterations);
  return CRYPTO_memcmp(key.data(), parsed->key.data(), kKeyBytes) == 0;
}

std::string TokenId(absl::string_view encoded) {
  std::vector<absl::string_view> parts = absl::StrSplit(encoded, '$');
  return parts.size() == 4 ? absl::AsciiStrToLower(parts[2]) : std::string();
}

std::string MintToken(absl::string_view encoded, absl::string_view secret) {
  return absl::StrCat(TokenId(encoded), ".", secret);
}

std::optional<BearerToken> SplitToken(absl::string_view token) {
  const size_t dot = token.find('.');
  if (dot == absl::string_view::npos) return std::nullopt;
  return BearerToken{token.substr(0, dot), token.substr(dot + 1)};
}

int64_t KeyDerivations() { return derivations.load(std::memory_order_relaxed); }

}  // namespace auth
