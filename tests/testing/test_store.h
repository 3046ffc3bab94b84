// The store the end-to-end tests run their services on, by the path of a
// SQLite file in the test's scratch directory: that file, or with
// BUDGET_TEST_STORE=postgresql (the *_pg copies of the e2e suites, see
// postgres.cmake) a database on the PostgreSQL test cluster named after the
// path, migrated. So the same test runs on either backend unchanged.
//
// Thread-compatible; failures are ADD_FAILUREs of the running test.
#ifndef TESTS_TESTING_TEST_STORE_H_
#define TESTS_TESTING_TEST_STORE_H_

#include <cstdint>
#include <memory>
#include <string>

#include "storage/budget_store.h"

namespace e2e_testing {

// The --store value for `path`: "sqlite:PATH", or the URI of the database
// named after `path` (created and migrated on first use, the same one
// after).
std::string StoreSpec(const std::string& path);

// The store at `path` opened in the test process, e.g. to check what a
// stopped service left.
std::unique_ptr<storage::BudgetStore> OpenTestStore(const std::string& path);

// A new, empty store for the running test on `backend`, "sqlite" (a file
// in its scratch directory) or "postgresql" (a fresh database, migrated):
// the spec to open it with; "" after ADD_FAILURE. For tests run once per
// backend.
std::string FreshStoreSpec(const std::string& backend);

// Runs one SQL statement on the store at `path` behind the services' backs
// (as someone with write access to the file or database could) and returns
// the number of rows it changed; -1 after ADD_FAILURE.
int64_t ExecOnTestStore(const std::string& path, const std::string& sql);

}  // namespace e2e_testing

#endif  // TESTS_TESTING_TEST_STORE_H_
