// A test fixture running ingest_service and query_service on free loopback
// ports over one temporary SQLite file, with a client of each and helpers
// that fail the test when a registration or submission is refused.
//
// Not thread-safe except for the stubs, which gRPC makes thread-safe.
#ifndef TESTS_QUERY_TWO_SERVICES_H_
#define TESTS_QUERY_TWO_SERVICES_H_

#include <cstdint>
#include <memory>
#include <string>

#include "budget/v1/ingest_service.grpc.pb.h"
#include "budget/v1/query_service.grpc.pb.h"
#include "gtest/gtest.h"
#include "tests/testing/service_process.h"

namespace query_test {

using e2e_testing::ServiceProcess;

class TwoServices : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;

  void Register(const budget::v1::Unit& unit);
  // Returns the consolidated revision of the accepted budget.
  int64_t Submit(const budget::v1::UnitBudget& budget);
  // The store's path, for StoreArgs (tests/testing/service_process.h).
  std::string store_path() const { return dir_ + "/budget.db"; }

  std::unique_ptr<ServiceProcess> ingest_;
  std::unique_ptr<ServiceProcess> query_;
  std::unique_ptr<budget::v1::IngestService::Stub> ingest_stub_;
  std::unique_ptr<budget::v1::QueryService::Stub> query_stub_;

 private:
  std::string dir_;
  int requests_ = 0;
};

}  // namespace query_test

#endif  // TESTS_QUERY_TWO_SERVICES_H_
