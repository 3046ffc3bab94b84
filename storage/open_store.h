// Opens the store a --store flag names, so that the services never name a
// backend: "sqlite:PATH" today; "postgres:..." can follow here alone.
// Thread-safe (no shared state).
#ifndef STORAGE_OPEN_STORE_H_
#define STORAGE_OPEN_STORE_H_

#include <memory>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "storage/budget_store.h"

namespace storage {

// INVALID_ARGUMENT for an unknown scheme. For SQLite, creates the parent
// directory of PATH when missing.
absl::StatusOr<std::unique_ptr<BudgetStore>> OpenStore(absl::string_view spec);

}  // namespace storage

#endif  // STORAGE_OPEN_STORE_H_
