#include "tests/testing/postgres_database.h"

#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <functional>
#include <memory>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_replace.h"
#include "gtest/gtest.h"
#include "storage/postgres/pg_connection.h"

namespace e2e_testing {
namespace {

// The cluster's maintenance database URI, "" when there is no cluster.
std::string BaseUri() {
  const char* cluster = std::getenv("BUDGET_TEST_PG_CLUSTER");
  if (cluster == nullptr) cluster = BUDGET_PG_CLUSTER_DIR;
  std::ifstream in(std::string(cluster) + "/base_uri");
  std::string uri;
  std::getline(in, uri);
  if (uri.empty()) {
    ADD_FAILURE() << "no test cluster running: " << cluster
                  << "/base_uri is missing; run the test through ctest, "
                     "whose fixture postgres_cluster starts it "
                     "(tests/testing/pg_cluster.sh)";
  }
  return uri;
}

// The base URI with its database ("postgres") replaced by `database`.
std::string UriOf(const std::string& base, const std::string& database) {
  return absl::StrReplaceAll(base,
                             {{":///postgres?", ":///" + database + "?"}});
}

std::string DatabaseName(absl::string_view name) {
  std::string clean = absl::AsciiStrToLower(name);
  for (char& c : clean) {
    if (!absl::ascii_isalnum(c)) c = '_';
  }
  std::string hash =
      absl::StrFormat("%016x", std::hash<std::string>()(std::string(name)));
  // 63 bytes at most: "t_" + up to 44 + "_" + 16.
  return absl::StrCat(
      "t_", clean.substr(clean.size() > 44 ? clean.size() - 44 : 0), "_", hash);
}

// Runs `sql` on the maintenance database; false after ADD_FAILURE.
bool RunOnCluster(const std::string& base, const std::string& sql) {
  absl::StatusOr<std::unique_ptr<storage::PgConnection>> conn =
      storage::PgConnection::Connect(base);
  if (!conn.ok()) {
    ADD_FAILURE() << conn.status();
    return false;
  }
  absl::Status done = (*conn)->Exec(sql);
  if (!done.ok()) ADD_FAILURE() << sql << ": " << done;
  return done.ok();
}

}  // namespace

bool TestStoreIsPostgres() {
  const char* store = std::getenv("BUDGET_TEST_STORE");
  return store != nullptr && std::string(store) == "postgresql";
}

std::string PostgresDatabase(absl::string_view name) {
  std::string base = BaseUri();
  if (base.empty()) return "";
  std::string database = DatabaseName(name);
  absl::StatusOr<std::unique_ptr<storage::PgConnection>> conn =
      storage::PgConnection::Connect(base);
  if (!conn.ok()) {
    ADD_FAILURE() << conn.status();
    return "";
  }
  storage::PgParams params;
  absl::StatusOr<storage::PgResult> found = (*conn)->Execute(
      "SELECT 1 FROM pg_database WHERE datname = $1", params.AddText(database));
  if (!found.ok()) {
    ADD_FAILURE() << found.status();
    return "";
  }
  if (found->rows() == 0 &&
      !RunOnCluster(base, absl::StrCat("CREATE DATABASE ", database))) {
    return "";
  }
  return UriOf(base, database);
}

std::string FreshPostgresDatabase() {
  const ::testing::TestInfo* info =
      ::testing::UnitTest::GetInstance()->current_test_info();
  std::string database = DatabaseName(
      absl::StrCat(info->test_suite_name(), "_", info->name(), "_", getpid()));
  std::string base = BaseUri();
  if (base.empty() ||
      !RunOnCluster(base, absl::StrCat("DROP DATABASE IF EXISTS ", database,
                                       " WITH (FORCE)")) ||
      !RunOnCluster(base, absl::StrCat("CREATE DATABASE ", database))) {
    return "";
  }
  return UriOf(base, database);
}

}  // namespace e2e_testing
