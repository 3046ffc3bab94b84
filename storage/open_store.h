// Opens the store a --store flag names, so that the services never name a
// backend: "sqlite:PATH", or a PostgreSQL connection URI
// ("postgresql://..." or "postgres://...").
// Thread-safe (no shared state).
#ifndef STORAGE_OPEN_STORE_H_
#define STORAGE_OPEN_STORE_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "storage/budget_store.h"

namespace storage {

// INVALID_ARGUMENT for an unknown scheme. For SQLite, creates the parent
// directory of PATH when missing (and the schema in a new file). For
// PostgreSQL, FAILED_PRECONDITION unless the schema was migrated to this
// build's version (MigrateStore).
absl::StatusOr<std::unique_ptr<BudgetStore>> OpenStore(absl::string_view spec);

// Brings the store's schema to this build's version and says what it did
// (for `ingest_service --migrate`). SQLite files make their schema when
// first opened, so for them this only opens the store.
absl::StatusOr<std::string> MigrateStore(absl::string_view spec);

// For a reader (the query service) at start: OK for SQLite (a missing file
// is waited for); for PostgreSQL, UNAVAILABLE when the server cannot be
// reached and FAILED_PRECONDITION unless the schema is this build's, saying
// what to run.
absl::Status CheckStoreSchema(absl::string_view spec);

}  // namespace storage

#endif  // STORAGE_OPEN_STORE_H_
