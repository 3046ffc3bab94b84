// Bearer tokens one Principals snapshot has already verified, so that a
// caller presenting the same token again costs a hash look-up instead of a
// PBKDF2 derivation per token hash on file (tens of milliseconds each).
//
// Keyed by the SHA-256 of the token, never the token itself, so the cache
// holds nothing a memory dump could replay. It belongs to its snapshot
// (principals_file.h): a reload builds a new snapshot with an empty cache,
// so a token the reload revokes is never accepted from here. Only matches
// are kept; at most `max_entries`, a full cache forgetting an arbitrary one.
//
// Thread-safe.
#ifndef AUTH_VERIFIED_TOKENS_H_
#define AUTH_VERIFIED_TOKENS_H_

#include <cstddef>
#include <optional>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"

namespace auth {

class VerifiedTokens {
 public:
  explicit VerifiedTokens(size_t max_entries) : max_entries_(max_entries) {}

  VerifiedTokens(const VerifiedTokens&) = delete;
  VerifiedTokens& operator=(const VerifiedTokens&) = delete;

  // The key a token is kept under: its SHA-256, 32 raw bytes.
  static std::string Digest(absl::string_view token);

  // The index of the principal the token with `digest` was verified for.
  std::optional<size_t> Find(const std::string& digest) const;
  void Insert(const std::string& digest, size_t principal);

 private:
  const size_t max_entries_;
  mutable absl::Mutex mu_;
  absl::flat_hash_map<std::string, size_t> principals_ ABSL_GUARDED_BY(mu_);
};

}  // namespace auth

#endif  // AUTH_VERIFIED_TOKENS_H_
