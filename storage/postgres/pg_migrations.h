// The versioned schema of a PostgreSQL store (storage/README.md,
// "PostgreSQL"): numbered migrations kept in code, each applied in its own
// transaction together with its row in table schema_version, applied only
// when asked (`ingest_service --migrate`), never as a side effect of
// starting a service. Services check the version at start and refuse a
// store whose schema they do not know, naming the versions and the command.
//
// Stateless functions over a borrowed connection; thread-compatible.
#ifndef STORAGE_POSTGRES_PG_MIGRATIONS_H_
#define STORAGE_POSTGRES_PG_MIGRATIONS_H_

#include <cstdint>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "storage/postgres/pg_connection.h"

namespace storage {

// The schema version this build reads and writes: the last migration's.
int64_t PostgresSchemaVersion();

// The store's schema version: 0 when no migration was applied.
absl::StatusOr<int64_t> StoredSchemaVersion(PgConnection& conn);

// Applies every migration after the stored version, oldest first, each in
// one transaction holding an advisory lock (so two concurrent --migrate
// runs apply each once). Returns the number applied (0 when current).
// FAILED_PRECONDITION when the store is newer than this build.
absl::StatusOr<int> MigratePostgres(PgConnection& conn);

// OK when the store's schema is exactly PostgresSchemaVersion();
// FAILED_PRECONDITION otherwise, saying what to run.
absl::Status CheckPostgresSchema(PgConnection& conn);

}  // namespace storage

#endif  // STORAGE_POSTGRES_PG_MIGRATIONS_H_
