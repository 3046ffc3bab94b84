// The crash loop: the real ingest_service is killed with SIGKILL while
// several clients submit concurrently, and restarted on the same store, over
// several cycles. Afterwards every revision it acknowledged must be stored
// exactly as sent under the revision it was acknowledged with, each unit's
// revisions must run from 1 without gaps (a submission in flight at the kill
// may or may not be stored, but only whole and only as sent), and SQLite's
// integrity check must pass.
//
// CI runs a few cycles; BUDGET_CRASH_CYCLES=200 runs the long version
// (docs/fuzzing.md).
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>

#include <chrono>
#include <cstdlib>
#include <functional>
#include <iostream>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "budget/v1/ingest_service.grpc.pb.h"
#include "grpcpp/client_context.h"
#include "gtest/gtest.h"
#include "tests/ingest/test_budgets.h"
#include "tests/testing/scratch_dir.h"
#include "tests/testing/service_process.h"

namespace ingest_test {
namespace {

using budget::v1::IngestService;
using budget::v1::Unit;

constexpr int kUnits = 4;
constexpr int kClients = 4;
constexpr int kDefaultCycles = 4;

int Cycles() {
  int cycles = kDefaultCycles;
  const char* env = std::getenv("BUDGET_CRASH_CYCLES");
  if (env != nullptr && !absl::SimpleAtoi(env, &cycles)) {
    ADD_FAILURE() << "BUDGET_CRASH_CYCLES=" << env << " is not a number";
  }
  return cycles;
}

// A revision the service acknowledged.
struct Acknowledged {
  std::string unit_code;
  int64_t revision = 0;
  std::string request_id;
};

// What the clients of all cycles sent and were told, shared between them.
class Ledger {
 public:
  // Records a request about to be sent.
  void Sent(const std::string& request_id, const std::string& budget) {
    absl::MutexLock lock(&mu_);
    sent_[request_id] = budget;
  }
  void Acked(Acknowledged ack) {
    absl::MutexLock lock(&mu_);
    acked_.push_back(std::move(ack));
    ++acked_this_cycle_;
  }
  // A client stopped: the service went away, or it failed before the kill.
  void ClientDone(bool failed_before_kill) {
    absl::MutexLock lock(&mu_);
    --running_;
    if (failed_before_kill && !killed_) ++failures_before_kill_;
  }

  void StartCycle() {
    absl::MutexLock lock(&mu_);
    acked_this_cycle_ = 0;
    running_ = kClients;
    killed_ = false;
  }
  // Blocks until `acks` submissions of this cycle are acknowledged (or no
  // client is left), then marks the service as being killed.
  void AwaitAcksThenKill(int acks) {
    absl::MutexLock lock(&mu_);
    kill_after_ = acks;
    mu_.Await(absl::Condition(this, &Ledger::ReadyToKill));
    killed_ = true;
  }
  bool killed() {
    absl::MutexLock lock(&mu_);
    return killed_;
  }
  // Whether a client stops after the call `what` answered `status`: any
  // failure (the service went away); one before the kill fails the test.
  bool StopsAfter(const grpc::Status& status, const std::string& what) {
    if (status.ok()) return false;
    const bool was_killed = killed();
    if (!was_killed) {
      ADD_FAILURE() << what << " before the kill: " << status.error_code()
                    << " " << status.error_message();
    }
    ClientDone(!was_killed);
    return true;
  }

  // Read once the clients have stopped.
  const std::map<std::string, std::string>& sent() const { return sent_; }
  const std::vector<Acknowledged>& acked() const { return acked_; }
  int failures_before_kill() const { return failures_before_kill_; }

 private:
  bool ReadyToKill() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return acked_this_cycle_ >= kill_after_ || running_ == 0;
  }

  mutable absl::Mutex mu_;
  std::map<std::string, std::string> sent_ ABSL_GUARDED_BY(mu_);
  std::vector<Acknowledged> acked_ ABSL_GUARDED_BY(mu_);
  int acked_this_cycle_ ABSL_GUARDED_BY(mu_) = 0;
  int kill_after_ ABSL_GUARDED_BY(mu_) = 0;
  int running_ ABSL_GUARDED_BY(mu_) = 0;
  bool killed_ ABSL_GUARDED_BY(mu_) = false;
  int failures_before_kill_ ABSL_GUARDED_BY(mu_) = 0;
};

// Submits budgets to `address` until a call fails (the service was killed).
void RunClient(const std::shared_ptr<grpc::Channel>& channel, int cycle,
               int client, const std::vector<Unit>& units, Ledger* ledger) {
  auto stub = IngestService::NewStub(channel);
  for (int seq = 0;; ++seq) {
    const Unit& unit = units[(client + seq) % units.size()];
    budget::v1::SubmitBudgetRequest request;
    request.set_request_id(absl::StrCat("c", cycle, "-t", client, "-", seq));
    request.set_submitted_by("crash-loop");
    // Distinct amounts, so that a revision stored under the wrong request
    // cannot pass for the right one.
    *request.mutable_budget() = SalaryBudget(
        unit, 1 + int64_t{cycle} * 1'000'000 + client * 10'000 + seq);
    ledger->Sent(request.request_id(), request.budget().SerializeAsString());
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() +
                         std::chrono::seconds(60));
    budget::v1::SubmitBudgetResponse response;
    const grpc::Status status =
        stub->SubmitBudget(&context, request, &response);
    if (ledger->StopsAfter(status, request.request_id())) return;
    ledger->Acked({unit.code(), response.revision(), request.request_id()});
  }
}

// Registers new units below the department until a call fails (the
// service was killed); each acknowledged code goes to the ledger.
void RunRegistrar(const std::shared_ptr<grpc::Channel>& channel, int cycle,
                  int client, Ledger* ledger) {
  auto stub = IngestService::NewStub(channel);
  for (int seq = 0;; ++seq) {
    const std::string code =
        absl::StrCat("021", 1 + cycle, client, absl::Dec(seq, absl::kZeroPad4));
    budget::v1::RegisterUnitRequest request;
    *request.mutable_unit() = UnitBelowDepartment(code, "登记单位" + code);
    ledger->Sent(code, "");
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() +
                         std::chrono::seconds(60));
    budget::v1::RegisterUnitResponse response;
    const grpc::Status status =
        stub->RegisterUnit(&context, request, &response);
    if (ledger->StopsAfter(status, code)) return;
    ledger->Acked({code, 0, code});
  }
}

// The first column of every row `sql` selects from the SQLite store.
std::set<std::string> Column(const std::string& path, const char* sql) {
  sqlite3* db = nullptr;
  std::set<std::string> values;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) ==
      SQLITE_OK) {
    sqlite3_exec(
        db, sql,
        [](void* out, int, char** row, char**) {
          static_cast<std::set<std::string>*>(out)->insert(
              row[0] == nullptr ? "NULL" : row[0]);
          return 0;
        },
        &values, nullptr);
  }
  sqlite3_close(db);
  return values;
}

std::string IntegrityCheck(const std::string& path) {
  sqlite3* db = nullptr;
  std::string result;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) !=
      SQLITE_OK) {
    result = "cannot open";
  } else {
    sqlite3_exec(
        db, "PRAGMA integrity_check",
        [](void* out, int columns, char** values, char**) {
          for (int i = 0; i < columns; ++i) {
            absl::StrAppend(static_cast<std::string*>(out),
                            values[i] == nullptr ? "NULL" : values[i], "\n");
          }
          return 0;
        },
        &result, nullptr);
  }
  sqlite3_close(db);
  return result;
}

// Runs `cycles` cycles on `store`: starts the ingest service (registering
// `registry` in the first), runs kClients `client`s against it, and kills it
// with SIGKILL once `first_kill` + (cycle * 7) % 11 calls of the cycle are
// acknowledged, counted rather than timed, while the other clients' calls
// are in flight.
void RunKillCycles(
    const std::string& store, const std::vector<Unit>& registry, int first_kill,
    int cycles, Ledger* ledger,
    const std::function<void(const std::shared_ptr<grpc::Channel>&, int, int,
                             Ledger*)>& client) {
  for (int cycle = 0; cycle < cycles; ++cycle) {
    e2e_testing::ServiceProcess server(INGEST_SERVICE_BINARY,
                                       e2e_testing::StoreArgs(store));
    ASSERT_FALSE(server.address().empty()) << "cycle " << cycle;
    if (cycle == 0) {
      auto stub = IngestService::NewStub(server.Channel());
      for (const Unit& unit : registry) {
        grpc::ClientContext context;
        budget::v1::RegisterUnitRequest request;
        *request.mutable_unit() = unit;
        budget::v1::RegisterUnitResponse response;
        const grpc::Status status =
            stub->RegisterUnit(&context, request, &response);
        ASSERT_TRUE(status.ok()) << status.error_message();
      }
    }
    ledger->StartCycle();
    std::vector<std::thread> clients;
    for (int c = 0; c < kClients; ++c) {
      clients.emplace_back(client, server.Channel(), cycle, c, ledger);
    }
    ledger->AwaitAcksThenKill(first_kill + (cycle * 7) % 11);
    const int status = server.Stop(SIGKILL);
    for (std::thread& thread : clients) thread.join();
    ASSERT_TRUE(WIFSIGNALED(status)) << "cycle " << cycle << ": " << status;
    ASSERT_EQ(ledger->failures_before_kill(), 0) << "cycle " << cycle;
  }
}

TEST(IngestCrashLoopE2eTest, AcknowledgedRevisionsSurviveRepeatedSigkill) {
  const std::string store = (e2e_testing::MakeScratchDir() / "budget.db");
  std::vector<Unit> units;
  for (int u = 1; u <= kUnits; ++u) {
    units.push_back(
        UnitBelowDepartment(absl::StrCat("02100", u), absl::StrCat("单位", u)));
  }
  std::vector<Unit> registry = {Department()};
  registry.insert(registry.end(), units.begin(), units.end());
  Ledger ledger;
  const int cycles = Cycles();
  RunKillCycles(store, registry, 3, cycles, &ledger,
                [&units](const std::shared_ptr<grpc::Channel>& channel,
                         int cycle, int client, Ledger* ledger) {
                  RunClient(channel, cycle, client, units, ledger);
                });
  if (HasFatalFailure()) return;
  ASSERT_GE(ledger.acked().size(), static_cast<size_t>(3 * cycles));

  e2e_testing::ServiceProcess server(INGEST_SERVICE_BINARY,
                                     e2e_testing::StoreArgs(store));
  ASSERT_FALSE(server.address().empty());
  auto stub = IngestService::NewStub(server.Channel());
  auto get = [&](const std::string& unit, int64_t revision,
                 budget::v1::Submission* submission) {
    grpc::ClientContext context;
    budget::v1::GetSubmissionRequest request;
    request.set_unit_code(unit);
    request.set_fiscal_year(kYear);
    request.set_revision(revision);
    return stub->GetSubmission(&context, request, submission);
  };

  // Every acknowledged revision, under its number, as sent.
  for (const Acknowledged& ack : ledger.acked()) {
    budget::v1::Submission stored;
    const grpc::Status status = get(ack.unit_code, ack.revision, &stored);
    ASSERT_TRUE(status.ok())
        << ack.request_id << " acknowledged as " << ack.unit_code
        << " revision " << ack.revision << ": " << status.error_message();
    EXPECT_EQ(stored.request_id(), ack.request_id);
    EXPECT_EQ(stored.budget().SerializeAsString(),
              ledger.sent().at(ack.request_id))
        << ack.request_id;
  }
  // Each unit's revisions from 1 without a gap, each one a request sent.
  size_t stored_count = 0;
  for (const Unit& unit : units) {
    int64_t revision = 1;
    for (;; ++revision) {
      budget::v1::Submission stored;
      const grpc::Status status = get(unit.code(), revision, &stored);
      if (status.error_code() == grpc::StatusCode::NOT_FOUND) break;
      ASSERT_TRUE(status.ok()) << unit.code() << " revision " << revision
                               << ": " << status.error_message();
      auto sent = ledger.sent().find(stored.request_id());
      ASSERT_NE(sent, ledger.sent().end()) << stored.request_id();
      EXPECT_EQ(stored.budget().SerializeAsString(), sent->second)
          << stored.request_id();
      ++stored_count;
    }
    EXPECT_GT(revision, 1) << unit.code() << " has no revision";
  }

  // The requests in flight at each kill: sent, never acknowledged, some of
  // them stored all the same.
  std::cout << cycles << " kills: " << ledger.sent().size() << " sent, "
            << ledger.acked().size() << " acknowledged, " << stored_count
            << " stored\n";

  const int stopped = server.Stop(SIGTERM);
  EXPECT_TRUE(WIFEXITED(stopped) && WEXITSTATUS(stopped) == 0) << stopped;
  EXPECT_EQ(IntegrityCheck(store), "ok\n");
}

// Registrations in flight together at each kill: every acknowledged unit
// is stored, and every stored unit has the audit record of its call, in
// the same transaction (a kill between the two once left units without).
TEST(IngestCrashLoopE2eTest,
     RegisteredUnitsKeepTheirAuditRecordsAcrossSigkill) {
  const std::string store = (e2e_testing::MakeScratchDir() / "budget.db");
  Ledger ledger;
  const int cycles = Cycles();
  RunKillCycles(store, {Department()}, 5, cycles, &ledger, RunRegistrar);
  if (HasFatalFailure()) return;
  const std::set<std::string> units =
      Column(store, "SELECT code FROM units WHERE parent_code != ''");
  const std::set<std::string> recorded =
      Column(store,
             "SELECT node_code FROM audit_records WHERE method = "
             "'RegisterUnit' AND outcome = 'OK' AND node_code != '021'");
  for (const Acknowledged& ack : ledger.acked()) {
    EXPECT_EQ(units.count(ack.unit_code), 1u) << ack.unit_code;
  }
  EXPECT_EQ(recorded, units);
  std::cout << cycles << " kills: " << ledger.sent().size() << " sent, "
            << ledger.acked().size() << " acknowledged, " << units.size()
            << " stored\n";
  EXPECT_EQ(IntegrityCheck(store), "ok\n");
}

}  // namespace
}  // namespace ingest_test
