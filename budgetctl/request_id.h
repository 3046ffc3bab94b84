// Request ids that make `budgetctl submit` idempotent: derived from the
// budget itself, so that a retry, or running the same submit again, sends
// the same id and the ingest service answers with the first result instead
// of storing a second revision.
//
// Pure function; thread-safe.
#ifndef BUDGETCTL_REQUEST_ID_H_
#define BUDGETCTL_REQUEST_ID_H_

#include <string>

#include "budget/v1/budget.pb.h"

namespace budgetctl {

// "budgetctl-UNIT-YEAR-HASH", HASH being 16 hex digits of a 64-bit FNV-1a
// hash of the serialized `budget`. UnitBudget holds no map fields, so its
// serialization, and hence the id, is the same on every machine and run.
std::string SubmitRequestId(const budget::v1::UnitBudget& budget);

}  // namespace budgetctl

#endif  // BUDGETCTL_REQUEST_ID_H_
