// Fresh PostgreSQL databases for tests, on the throwaway cluster that the
// ctest fixture `postgres_cluster` starts (tests/testing/pg_cluster.sh):
// its base_uri is in build/pg_test_cluster (BUDGET_TEST_PG_CLUSTER overrides).
// BUDGET_TEST_STORE=postgresql makes the end-to-end tests run their
// services on PostgreSQL instead of SQLite (see test_store.h).
//
// Thread-compatible; the functions fail the running test (ADD_FAILURE)
// when the cluster is not there.
#ifndef TESTS_TESTING_POSTGRES_DATABASE_H_
#define TESTS_TESTING_POSTGRES_DATABASE_H_

#include <string>

#include "absl/strings/string_view.h"

namespace e2e_testing {

// True when BUDGET_TEST_STORE=postgresql.
bool TestStoreIsPostgres();

// The URI of database `name` on the test cluster, created (empty) when it
// does not exist yet; "" after ADD_FAILURE when the cluster is not there.
// `name` is made a valid database name (lowercase, at most 63 bytes, a
// hash of the whole name keeping it unique).
std::string PostgresDatabase(absl::string_view name);

// A new empty database for the running test, dropped first if a previous
// run of the same test left one; named after the suite, test and process.
std::string FreshPostgresDatabase();

}  // namespace e2e_testing

#endif  // TESTS_TESTING_POSTGRES_DATABASE_H_
