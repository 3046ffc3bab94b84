#include "tests/testing/test_store.h"

#include <sqlite3.h>

#include <utility>

#include "gtest/gtest.h"
#include "storage/open_store.h"
#include "storage/postgres/pg_connection.h"
#include "tests/testing/postgres_database.h"
#include "tests/testing/scratch_dir.h"

namespace e2e_testing {

std::string StoreSpec(const std::string& path) {
  if (!TestStoreIsPostgres()) return "sqlite:" + path;
  std::string uri = PostgresDatabase(path);
  if (uri.empty()) return uri;
  absl::StatusOr<std::string> migrated = storage::MigrateStore(uri);
  EXPECT_TRUE(migrated.ok()) << migrated.status();
  return uri;
}

std::string FreshStoreSpec(const std::string& backend) {
  if (backend == "sqlite") {
    return "sqlite:" + (MakeScratchDir() / "budget.db").string();
  }
  std::string uri = FreshPostgresDatabase();
  if (uri.empty()) return uri;
  absl::StatusOr<std::string> migrated = storage::MigrateStore(uri);
  if (!migrated.ok()) {
    ADD_FAILURE() << migrated.status();
    return "";
  }
  return uri;
}

std::unique_ptr<storage::BudgetStore> OpenTestStore(const std::string& path) {
  absl::StatusOr<std::unique_ptr<storage::BudgetStore>> store =
      storage::OpenStore(StoreSpec(path));
  EXPECT_TRUE(store.ok()) << store.status();
  return store.ok() ? *std::move(store) : nullptr;
}

int64_t ExecOnTestStore(const std::string& path, const std::string& sql) {
  if (TestStoreIsPostgres()) {
    absl::StatusOr<std::unique_ptr<storage::PgConnection>> conn =
        storage::PgConnection::Connect(StoreSpec(path));
    if (!conn.ok()) {
      ADD_FAILURE() << conn.status();
      return -1;
    }
    absl::StatusOr<storage::PgResult> result = (*conn)->Execute(sql);
    if (!result.ok()) {
      ADD_FAILURE() << sql << ": " << result.status();
      return -1;
    }
    return result->affected();
  }
  sqlite3* db = nullptr;
  if (sqlite3_open(path.c_str(), &db) != SQLITE_OK) {
    ADD_FAILURE() << "cannot open " << path;
    sqlite3_close(db);
    return -1;
  }
  sqlite3_busy_timeout(db, 5000);
  char* error = nullptr;
  int64_t changed = -1;
  if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error) == SQLITE_OK) {
    changed = sqlite3_changes(db);
  } else {
    ADD_FAILURE() << sql << ": " << (error ? error : "");
  }
  sqlite3_free(error);
  sqlite3_close(db);
  return changed;
}

}  // namespace e2e_testing
