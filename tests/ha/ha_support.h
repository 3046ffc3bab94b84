// Support for the high-availability end-to-end tests (issue 14): health
// probes with bounded waits, and a submission load that fails over between
// ingest services.
//
// The load's clients retry a request that answered UNAVAILABLE or
// DEADLINE_EXCEEDED with the same request id (submitting is idempotent) on
// the next ingest service, so a submission is either acknowledged once or
// still being retried; every acknowledgement is recorded with what was sent.
//
// SubmissionLoad is thread-safe; the probes are thread-compatible.
#ifndef TESTS_HA_HA_SUPPORT_H_
#define TESTS_HA_HA_SUPPORT_H_

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "budget/v1/budget.pb.h"
#include "budget/v1/ingest_service.grpc.pb.h"
#include "budget/v1/query_service.grpc.pb.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/channel.h"

namespace ha_test {

using ServingStatus = grpc::health::v1::HealthCheckResponse::ServingStatus;

// The whole server's health status; UNKNOWN when the call fails.
// Units 021001..02100`count` (count <= 9) below the department 021,
// named 单位1...
std::vector<budget::v1::Unit> UnitsBelowDepartment(int count);

ServingStatus Health(const std::shared_ptr<grpc::Channel>& channel);
// Waits, at most `limit`, until the health status is `want`.
bool AwaitHealth(const std::shared_ptr<grpc::Channel>& channel,
                 ServingStatus want, absl::Duration limit);

// Registers the department 021 and `units` below it through `channel`;
// returns the first failure.
grpc::Status RegisterUnits(const std::shared_ptr<grpc::Channel>& channel,
                           const std::vector<budget::v1::Unit>& units);

// A revision an ingest service acknowledged.
struct Acknowledged {
  std::string request_id;
  std::string unit_code;
  int64_t revision = 0;
  int64_t consolidated_revision = 0;
};

class SubmissionLoad {
 public:
  // `clients` threads submit salary budgets of `units` (distinct amounts),
  // each to `ingests[0]` first.
  SubmissionLoad(std::vector<std::shared_ptr<grpc::Channel>> ingests,
                 std::vector<budget::v1::Unit> units, int clients);
  ~SubmissionLoad();  // Stops.

  void Start();
  // Lets each client finish (or give up on) its request in flight, then
  // joins them.
  void Stop();

  // Waits, at most `limit`, until `count` more acknowledgements than now
  // have arrived.
  bool AwaitMoreAcks(int count, absl::Duration limit);

  std::vector<Acknowledged> acked() const;
  // The serialized budget sent under each request id.
  std::map<std::string, std::string> sent() const;
  // How many calls ended with each status code.
  std::map<grpc::StatusCode, int> outcomes() const;
  // Calls that ended with a code other than OK, UNAVAILABLE or
  // DEADLINE_EXCEEDED, with their messages.
  std::vector<std::string> unexpected() const;
  int64_t max_consolidated_revision() const;

 private:
  void RunClient(int client);

  const std::vector<std::shared_ptr<grpc::Channel>> ingests_;
  const std::vector<budget::v1::Unit> units_;
  const int clients_;
  std::atomic<bool> stop_{false};
  std::vector<std::thread> threads_;

  mutable absl::Mutex mu_;
  std::vector<Acknowledged> acked_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, std::string> sent_ ABSL_GUARDED_BY(mu_);
  std::map<grpc::StatusCode, int> outcomes_ ABSL_GUARDED_BY(mu_);
  std::vector<std::string> unexpected_ ABSL_GUARDED_BY(mu_);
};

// The revision the store is at once `load` has stopped: a last submission
// through `ingest` (the writer), whose consolidated revision follows every
// commit before it, acknowledged or not; 0 after ADD_FAILURE.
int64_t SettleStore(const std::shared_ptr<grpc::Channel>& ingest,
                    const budget::v1::Unit& unit);

// Table `table_id` of the department 021 for 2024 as the query service
// behind `channel` serves it once it has applied `min_revision`.
grpc::Status TableAt(const std::shared_ptr<grpc::Channel>& channel,
                     const std::string& table_id, int64_t min_revision,
                     budget::v1::DisclosureTable* table);

// A fresh database on the test cluster, migrated: {the owner's URI, the
// URI of a read-only role (SELECT only) on it, for query services}; empty
// strings after ADD_FAILURE.
struct TestDatabase {
  std::string writer_uri;
  std::string reader_uri;
};
TestDatabase MigratedDatabase(const std::string& uri);

// Checks through `channel` that every acknowledged revision is stored under
// its number exactly as sent; returns what is wrong (empty: nothing).
std::vector<std::string> MissingAcknowledged(
    const std::shared_ptr<grpc::Channel>& channel,
    const std::vector<Acknowledged>& acked,
    const std::map<std::string, std::string>& sent);

}  // namespace ha_test

#endif  // TESTS_HA_HA_SUPPORT_H_
