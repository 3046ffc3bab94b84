// The classification catalogs a service checks and prints budgets with:
// the ones built into the binary (data/catalog/), or, with
// --catalog_dir=DIR, the same files read from DIR at start-up. A finance
// bureau holds the complete official lists of its editions (and each new
// year's edition before a new build ships it); loading them is what makes
// its budgets' codes known and their names printed.
#ifndef SERVER_COMMON_SERVED_CATALOG_H_
#define SERVER_COMMON_SERVED_CATALOG_H_

#include "absl/status/statusor.h"
#include "budget/catalog/catalog.h"

namespace server_common {

// The catalog --catalog_dir names, or the built-in one when it is empty.
// A loaded catalog lives as long as the process (services pass it to
// threads that run until exit). INVALID_ARGUMENT naming file:line for a
// malformed file, NOT_FOUND for a missing one. Thread-safe after return.
absl::StatusOr<const budget::Catalog*> ServedCatalog();

}  // namespace server_common

#endif  // SERVER_COMMON_SERVED_CATALOG_H_
