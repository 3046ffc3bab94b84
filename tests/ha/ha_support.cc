#include "tests/ha/ha_support.h"

#include <algorithm>
#include <chrono>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "grpcpp/client_context.h"
#include "gtest/gtest.h"
#include "storage/open_store.h"
#include "storage/postgres/pg_connection.h"
#include "tests/ingest/test_budgets.h"

namespace ha_test {

std::vector<budget::v1::Unit> UnitsBelowDepartment(int count) {
  std::vector<budget::v1::Unit> units;
  for (int u = 1; u <= count; ++u) {
    units.push_back(ingest_test::UnitBelowDepartment(absl::StrCat("02100", u),
                                                     absl::StrCat("单位", u)));
  }
  return units;
}
namespace {

using grpc::health::v1::HealthCheckRequest;
using grpc::health::v1::HealthCheckResponse;

constexpr auto kCallDeadline = std::chrono::seconds(10);

void SetDeadline(grpc::ClientContext& context) {
  context.set_deadline(std::chrono::system_clock::now() + kCallDeadline);
}

}  // namespace

ServingStatus Health(const std::shared_ptr<grpc::Channel>& channel) {
  auto stub = grpc::health::v1::Health::NewStub(channel);
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::seconds(2));
  HealthCheckResponse response;
  if (!stub->Check(&context, HealthCheckRequest(), &response).ok()) {
    return HealthCheckResponse::UNKNOWN;
  }
  return response.status();
}

bool AwaitHealth(const std::shared_ptr<grpc::Channel>& channel,
                 ServingStatus want, absl::Duration limit) {
  const absl::Time end = absl::Now() + limit;
  while (Health(channel) != want) {
    if (absl::Now() > end) return false;
    absl::SleepFor(absl::Milliseconds(50));
  }
  return true;
}

grpc::Status RegisterUnits(const std::shared_ptr<grpc::Channel>& channel,
                           const std::vector<budget::v1::Unit>& units) {
  auto stub = budget::v1::IngestService::NewStub(channel);
  std::vector<budget::v1::Unit> registry = {ingest_test::Department()};
  registry.insert(registry.end(), units.begin(), units.end());
  for (const budget::v1::Unit& unit : registry) {
    grpc::ClientContext context;
    SetDeadline(context);
    budget::v1::RegisterUnitRequest request;
    *request.mutable_unit() = unit;
    budget::v1::RegisterUnitResponse response;
    grpc::Status status = stub->RegisterUnit(&context, request, &response);
    if (!status.ok()) return status;
  }
  return grpc::Status::OK;
}

SubmissionLoad::SubmissionLoad(
    std::vector<std::shared_ptr<grpc::Channel>> ingests,
    std::vector<budget::v1::Unit> units, int clients)
    : ingests_(std::move(ingests)),
      units_(std::move(units)),
      clients_(clients) {}

SubmissionLoad::~SubmissionLoad() { Stop(); }

void SubmissionLoad::Start() {
  for (int c = 0; c < clients_; ++c) {
    threads_.emplace_back([this, c] { RunClient(c); });
  }
}

void SubmissionLoad::Stop() {
  stop_ = true;
  for (std::thread& thread : threads_) thread.join();
  threads_.clear();
}

void SubmissionLoad::RunClient(int client) {
  std::vector<std::unique_ptr<budget::v1::IngestService::Stub>> stubs;
  for (const auto& channel : ingests_) {
    stubs.push_back(budget::v1::IngestService::NewStub(channel));
  }
  size_t target = 0;
  for (int seq = 0; !stop_; ++seq) {
    const budget::v1::Unit& unit = units_[(client + seq) % units_.size()];
    budget::v1::SubmitBudgetRequest request;
    request.set_request_id(absl::StrCat("ha-c", client, "-", seq));
    request.set_submitted_by("ha-test");
    // Distinct amounts, so that a revision stored under the wrong request
    // cannot pass for the right one.
    *request.mutable_budget() =
        ingest_test::SalaryBudget(unit, 1 + int64_t{client} * 1'000'000 + seq);
    {
      absl::MutexLock lock(&mu_);
      sent_[request.request_id()] = request.budget().SerializeAsString();
    }
    // The same request until it is answered, failing over on UNAVAILABLE
    // and on deadlines (the writer may have died mid-call).
    while (!stop_) {
      grpc::ClientContext context;
      SetDeadline(context);
      budget::v1::SubmitBudgetResponse response;
      grpc::Status status =
          stubs[target]->SubmitBudget(&context, request, &response);
      {
        absl::MutexLock lock(&mu_);
        ++outcomes_[status.error_code()];
        if (status.ok()) {
          acked_.push_back({request.request_id(), unit.code(),
                            response.revision(),
                            response.consolidated_revision()});
          break;
        }
        if (status.error_code() != grpc::StatusCode::UNAVAILABLE &&
            status.error_code() != grpc::StatusCode::DEADLINE_EXCEEDED) {
          unexpected_.push_back(absl::StrCat(request.request_id(), ": ",
                                             status.error_code(), " ",
                                             status.error_message()));
          return;
        }
      }
      target = (target + 1) % stubs.size();
      absl::SleepFor(absl::Milliseconds(50));
    }
  }
}

bool SubmissionLoad::AwaitMoreAcks(int count, absl::Duration limit) {
  absl::MutexLock lock(&mu_);
  const size_t want = acked_.size() + count;
  auto enough = [this, want]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return acked_.size() >= want || !unexpected_.empty();
  };
  return mu_.AwaitWithTimeout(absl::Condition(&enough), limit) &&
         acked_.size() >= want;
}

std::vector<Acknowledged> SubmissionLoad::acked() const {
  absl::MutexLock lock(&mu_);
  return acked_;
}

std::map<std::string, std::string> SubmissionLoad::sent() const {
  absl::MutexLock lock(&mu_);
  return sent_;
}

std::map<grpc::StatusCode, int> SubmissionLoad::outcomes() const {
  absl::MutexLock lock(&mu_);
  return outcomes_;
}

std::vector<std::string> SubmissionLoad::unexpected() const {
  absl::MutexLock lock(&mu_);
  return unexpected_;
}

int64_t SubmissionLoad::max_consolidated_revision() const {
  absl::MutexLock lock(&mu_);
  int64_t max = 0;
  for (const Acknowledged& ack : acked_) {
    max = std::max(max, ack.consolidated_revision);
  }
  return max;
}

int64_t SettleStore(const std::shared_ptr<grpc::Channel>& ingest,
                    const budget::v1::Unit& unit) {
  auto stub = budget::v1::IngestService::NewStub(ingest);
  grpc::ClientContext context;
  SetDeadline(context);
  budget::v1::SubmitBudgetRequest request;
  request.set_request_id("ha-settle");
  *request.mutable_budget() = ingest_test::SalaryBudget(unit, 999'999'999);
  budget::v1::SubmitBudgetResponse response;
  grpc::Status status = stub->SubmitBudget(&context, request, &response);
  if (!status.ok()) {
    ADD_FAILURE() << "settling submission: " << status.error_message();
    return 0;
  }
  return response.consolidated_revision();
}

grpc::Status TableAt(const std::shared_ptr<grpc::Channel>& channel,
                     const std::string& table_id, int64_t min_revision,
                     budget::v1::DisclosureTable* table) {
  auto stub = budget::v1::QueryService::NewStub(channel);
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::seconds(60));
  budget::v1::GetDisclosureTableRequest request;
  request.set_node_code(ingest_test::kDepartment);
  request.set_fiscal_year(ingest_test::kYear);
  request.set_table_id(table_id);
  request.mutable_read()->set_min_revision(min_revision);
  return stub->GetDisclosureTable(&context, request, table);
}

TestDatabase MigratedDatabase(const std::string& uri) {
  if (uri.empty()) return {};
  if (absl::StatusOr<std::string> migrated = storage::MigrateStore(uri);
      !migrated.ok()) {
    ADD_FAILURE() << migrated.status();
    return {};
  }
  absl::StatusOr<std::unique_ptr<storage::PgConnection>> admin =
      storage::PgConnection::Connect(uri);
  if (!admin.ok()) {
    ADD_FAILURE() << admin.status();
    return {};
  }
  // Roles belong to the cluster; tests running side by side may create
  // this one at once.
  absl::Status granted = (*admin)->Exec(
      "DO $$ BEGIN CREATE ROLE budget_test_reader LOGIN; "
      "EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$; "
      "GRANT SELECT ON ALL TABLES IN SCHEMA public TO budget_test_reader");
  if (!granted.ok() || uri.find("user=postgres") == std::string::npos) {
    ADD_FAILURE() << "read-only role: " << granted << " on " << uri;
    return {};
  }
  return {uri, absl::StrReplaceAll(
                   uri, {{"user=postgres", "user=budget_test_reader"}})};
}

std::vector<std::string> MissingAcknowledged(
    const std::shared_ptr<grpc::Channel>& channel,
    const std::vector<Acknowledged>& acked,
    const std::map<std::string, std::string>& sent) {
  auto stub = budget::v1::IngestService::NewStub(channel);
  std::vector<std::string> wrong;
  for (const Acknowledged& ack : acked) {
    grpc::ClientContext context;
    SetDeadline(context);
    budget::v1::GetSubmissionRequest request;
    request.set_unit_code(ack.unit_code);
    request.set_fiscal_year(ingest_test::kYear);
    request.set_revision(ack.revision);
    budget::v1::Submission stored;
    grpc::Status status = stub->GetSubmission(&context, request, &stored);
    const std::string what =
        absl::StrCat(ack.request_id, " acknowledged as ", ack.unit_code,
                     " revision ", ack.revision, ": ");
    if (!status.ok()) {
      wrong.push_back(absl::StrCat(what, status.error_message()));
    } else if (stored.request_id() != ack.request_id ||
               stored.budget().SerializeAsString() != sent.at(ack.request_id)) {
      wrong.push_back(absl::StrCat(what, "stored as ", stored.request_id()));
    }
  }
  return wrong;
}

}  // namespace ha_test
