// The request ids the store may hold, kept by the writer so that a
// submission under a new id needs no FindRequest (a round trip on
// PostgreSQL, otherwise made once per submission).
//
// Holds a 64-bit fingerprint of every id stored when it was loaded
// (BudgetStore::VisitRequestIds) and of every id added since: the Ingestor
// adds each id it hands the store, before the commit, whether or not that
// commit lands. So an id whose fingerprint is absent was never used; one
// present was used, may have been (a failed commit), or shares a
// fingerprint (odds about n / 2^64), and the caller asks the store. This
// holds while its Ingestor is the store's one writer (the writer lease: a
// new term builds a new Ingestor, which loads it again).
//
// About 16 bytes an id. Thread-compatible: the Ingestor guards it with
// its mutex.
#ifndef INGEST_SERVICE_KNOWN_REQUESTS_H_
#define INGEST_SERVICE_KNOWN_REQUESTS_H_

#include <cstdint>

#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "storage/budget_store.h"

namespace ingest {

class KnownRequests {
 public:
  // Adds every request id `store` holds.
  absl::Status Load(storage::BudgetStore& store);
  void Add(absl::string_view request_id);
  // False only when `request_id` was never handed to the store.
  bool MayBeStored(absl::string_view request_id) const;

 private:
  static uint64_t Fingerprint(absl::string_view request_id);

  absl::flat_hash_set<uint64_t> fingerprints_;
};

}  // namespace ingest

#endif  // INGEST_SERVICE_KNOWN_REQUESTS_H_
