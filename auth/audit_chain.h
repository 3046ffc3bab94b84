// The hash chain of the audit trail: each budget.v1.AuditRecord carries the
// SHA-256 of the record before it and its own SHA-256 over that and every
// field, so editing a record breaks its own hash (or, if the hash was
// recomputed, the next record's link) and removing one leaves a gap.
//
// Pure functions; thread-safe.
#ifndef AUTH_AUDIT_CHAIN_H_
#define AUTH_AUDIT_CHAIN_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "budget/v1/audit.pb.h"

namespace auth {

// previous_hash of the first record.
std::string GenesisHash();

// SHA-256 over previous_hash and every field but hash, each
// length-prefixed so that moving bytes between fields changes the hash.
std::string AuditHash(const budget::v1::AuditRecord& record);

struct ChainCheck {
  int64_t record_count = 0;
  // Sequence of the first edited or removed record; 0 when intact.
  int64_t first_bad_sequence = 0;
  budget::v1::AuditDamage damage = budget::v1::AUDIT_DAMAGE_NONE;
};

// The newest record as the store last wrote it, kept apart from the records
// so that removing the newest record (which leaves no gap behind) is found.
struct ChainHead {
  int64_t sequence = 0;
  std::string hash;
};

// Checks `records` (in sequence order, the whole trail from sequence 1)
// and, when given, that they end at `head`.
ChainCheck VerifyAuditChain(const std::vector<budget::v1::AuditRecord>& records,
                            const std::optional<ChainHead>& head);

}  // namespace auth

#endif  // AUTH_AUDIT_CHAIN_H_
