#include "ingest_service/known_requests.h"

#include "absl/hash/hash.h"

namespace ingest {

absl::Status KnownRequests::Load(storage::BudgetStore& store) {
  return store.VisitRequestIds([this](absl::string_view request_id) {
    Add(request_id);
    return absl::OkStatus();
  });
}

void KnownRequests::Add(absl::string_view request_id) {
  fingerprints_.insert(Fingerprint(request_id));
}

bool KnownRequests::MayBeStored(absl::string_view request_id) const {
  return fingerprints_.contains(Fingerprint(request_id));
}

uint64_t KnownRequests::Fingerprint(absl::string_view request_id) {
  // Seeded per process, which is all a set living in one process needs.
  return absl::Hash<absl::string_view>{}(request_id);
}

}  // namespace ingest
