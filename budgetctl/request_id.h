// Request ids that make `budgetctl submit` idempotent: derived from the
// budget itself, so that a retry, or running the same submit again, sends
// the same id and the ingest service answers with the first result instead
// of storing a second revision.
//
// Pure function; thread-safe.
#ifndef BUDGETCTL_REQUEST_ID_H_
#define BUDGETCTL_REQUEST_ID_H_

#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"
#include "budget/v1/budget.pb.h"

namespace budgetctl {

// "budgetctl-UNIT-YEAR-HASH", HASH being 16 hex digits of a 64-bit FNV-1a
// hash of the serialized `budget`. UnitBudget holds no map fields, so its
// serialization, and hence the id, is the same on every machine and run.
std::string SubmitRequestId(const budget::v1::UnitBudget& budget);

// Going back: a write under `id` was replayed, so it was stored once, but
// another record, `latest_id` at `latest_position`, is in force now (A,
// then B, then A again). The id to send it again under: the latest
// record's own when that is this write already (sent again before, as its
// id shows, or `same_content`), so that its answer is replayed; otherwise
// `id` naming the record it follows, which a re-run replays.
std::string ResendId(absl::string_view id, absl::string_view latest_id,
                     bool same_content, int64_t latest_position);

}  // namespace budgetctl

#endif  // BUDGETCTL_REQUEST_ID_H_
