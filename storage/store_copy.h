// Copies a SQLite store into an empty PostgreSQL store row for row: the
// registry (with its registration order), every revision with its exact
// payload bytes, request id and first answer, the node totals, reviews
// (with their ids), year locks, writer-independent audit records and the
// audit head anchor, so that the audit chain verifies on the copy and the
// query service serves the same tables from it. See storage/README.md,
// "Moving a store".
//
// Reads the source in one read transaction (a consistent snapshot, though
// the ingest service should be stopped so that nothing is acknowledged
// after it) and writes the target in one transaction: all or nothing.
// Thread-compatible.
#ifndef STORAGE_STORE_COPY_H_
#define STORAGE_STORE_COPY_H_

#include <cstdint>
#include <map>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace storage {

// Rows copied, by table.
using CopiedRows = std::map<std::string, int64_t>;

// `from`: "sqlite:PATH" of an existing store; `to`: a PostgreSQL URI. The
// target's schema is migrated first; FAILED_PRECONDITION when it already
// holds any row (a copy never merges into a store), NOT_FOUND when the
// source file does not exist.
absl::StatusOr<CopiedRows> CopySqliteToPostgres(absl::string_view from,
                                                absl::string_view to);

}  // namespace storage

#endif  // STORAGE_STORE_COPY_H_
