#include "auth/verified_tokens.h"

#include <openssl/sha.h>

namespace auth {

std::string VerifiedTokens::Digest(absl::string_view token) {
  std::string digest(SHA256_DIGEST_LENGTH, '\0');
  SHA256(reinterpret_cast<const unsigned char*>(token.data()), token.size(),
         reinterpret_cast<unsigned char*>(digest.data()));
  return digest;
}

std::optional<size_t> VerifiedTokens::Find(const std::string& digest) const {
  absl::MutexLock lock(&mu_);
  auto found = principals_.find(digest);
  if (found == principals_.end()) return std::nullopt;
  return found->second;
}

void VerifiedTokens::Insert(const std::string& digest, size_t principal) {
  absl::MutexLock lock(&mu_);
  if (principals_.size() >= max_entries_ && !principals_.contains(digest)) {
    principals_.erase(principals_.begin());
  }
  principals_.insert_or_assign(digest, principal);
}

}  // namespace auth
