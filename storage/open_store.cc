#include "storage/open_store.h"

#include <filesystem>
#include <string>
#include <system_error>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "storage/postgres/pg_connection.h"
#include "storage/postgres/pg_migrations.h"
#include "storage/postgres/postgres_store.h"
#include "storage/sqlite_store.h"

namespace storage {
namespace {

absl::StatusOr<std::unique_ptr<BudgetStore>> OpenSqlite(
    absl::string_view spec) {
  constexpr absl::string_view kSqlite = "sqlite:";
  if (!absl::StartsWith(spec, kSqlite) || spec.size() == kSqlite.size()) {
    return absl::InvalidArgumentError(
        absl::StrCat("store \"", spec,
                     "\" is not of the form sqlite:PATH or postgresql://..."));
  }
  std::filesystem::path path(std::string(spec.substr(kSqlite.size())));
  if (path.has_parent_path()) {
    std::error_code error;
    std::filesystem::create_directories(path.parent_path(), error);
    if (error) {
      return absl::UnavailableError(absl::StrCat("cannot create ",
                                                 path.parent_path().string(),
                                                 ": ", error.message()));
    }
  }
  absl::StatusOr<std::unique_ptr<SqliteStore>> store =
      SqliteStore::Open(path.string());
  if (!store.ok()) return store.status();
  return std::unique_ptr<BudgetStore>(std::move(*store));
}

}  // namespace

absl::StatusOr<std::unique_ptr<BudgetStore>> OpenStore(absl::string_view spec) {
  if (!IsPostgresUri(spec)) return OpenSqlite(spec);
  absl::StatusOr<std::unique_ptr<PostgresStore>> store =
      PostgresStore::Open(spec);
  if (!store.ok()) return store.status();
  return std::unique_ptr<BudgetStore>(std::move(*store));
}

absl::StatusOr<std::string> MigrateStore(absl::string_view spec) {
  if (!IsPostgresUri(spec)) {
    absl::StatusOr<std::unique_ptr<BudgetStore>> store = OpenSqlite(spec);
    if (!store.ok()) return store.status();
    return absl::StrCat(spec, ": SQLite schema is current");
  }
  absl::StatusOr<std::unique_ptr<PgConnection>> conn =
      PgConnection::Connect(spec);
  if (!conn.ok()) return conn.status();
  absl::StatusOr<int> applied = MigratePostgres(**conn);
  if (!applied.ok()) return applied.status();
  return absl::StrCat((*conn)->redacted_uri(), ": applied ", *applied,
                      " migration(s); schema version ",
                      PostgresSchemaVersion());
}

absl::Status CheckStoreSchema(absl::string_view spec) {
  if (!IsPostgresUri(spec)) return absl::OkStatus();
  absl::StatusOr<std::unique_ptr<PgConnection>> conn =
      PgConnection::Connect(spec);
  if (!conn.ok()) return conn.status();
  return CheckPostgresSchema(**conn);
}

}  // namespace storage
