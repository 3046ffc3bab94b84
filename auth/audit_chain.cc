#include "auth/audit_chain.h"

#include <openssl/sha.h>

#include "absl/strings/str_cat.h"

namespace auth {
namespace {

using budget::v1::AuditRecord;

void AppendField(std::string& out, absl::string_view field) {
  absl::StrAppend(&out, field.size(), ":", field, ";");
}

ChainCheck Damaged(ChainCheck check, int64_t sequence,
                   budget::v1::AuditDamage damage) {
  check.first_bad_sequence = sequence;
  check.damage = damage;
  return check;
}

}  // namespace

std::string GenesisHash() { return std::string(SHA256_DIGEST_LENGTH, '\0'); }

std::string AuditHash(const AuditRecord& record) {
  std::string bytes;
  AppendField(bytes, record.previous_hash());
  AppendField(bytes, absl::StrCat(record.sequence()));
  AppendField(bytes, record.principal());
  AppendField(bytes, record.method());
  AppendField(bytes, record.node_code());
  AppendField(bytes, absl::StrCat(record.fiscal_year()));
  AppendField(bytes, record.request_id());
  AppendField(bytes, record.outcome());
  AppendField(
      bytes, absl::StrCat(record.time().seconds(), ".", record.time().nanos()));
  std::string digest(SHA256_DIGEST_LENGTH, '\0');
  SHA256(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(),
         reinterpret_cast<unsigned char*>(digest.data()));
  return digest;
}

ChainCheck VerifyAuditChain(const std::vector<AuditRecord>& records,
                            const std::optional<ChainHead>& head) {
  ChainCheck check;
  check.record_count = static_cast<int64_t>(records.size());
  std::string previous = GenesisHash();
  int64_t expected_sequence = 1;
  for (const AuditRecord& record : records) {
    if (record.sequence() != expected_sequence) {
      return Damaged(check, expected_sequence,
                     budget::v1::AUDIT_DAMAGE_REMOVED);
    }
    if (record.previous_hash() != previous ||
        AuditHash(record) != record.hash()) {
      return Damaged(check, record.sequence(), budget::v1::AUDIT_DAMAGE_EDITED);
    }
    previous = record.hash();
    ++expected_sequence;
  }
  const int64_t last = expected_sequence - 1;
  if (head.has_value() && head->sequence > last) {
    return Damaged(check, last + 1, budget::v1::AUDIT_DAMAGE_REMOVED);
  }
  if (head.has_value() && head->sequence == last && last > 0 &&
      head->hash != previous) {
    return Damaged(check, last, budget::v1::AUDIT_DAMAGE_EDITED);
  }
  return check;
}

}  // namespace auth
