// Thin client wrappers: the channels and stubs of the two services, every
// call's deadline, retries of unreachable services with backoff, and how a
// failed call is told to the user.
//
// Owns the channels. Thread-compatible (budgetctl is single-threaded).
#ifndef BUDGETCTL_SERVICES_H_
#define BUDGETCTL_SERVICES_H_

#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <thread>

#include "absl/strings/string_view.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "auth/client_credentials.h"
#include "budget/v1/ingest_service.grpc.pb.h"
#include "budget/v1/query_service.grpc.pb.h"
#include "grpcpp/client_context.h"

namespace budgetctl {

inline constexpr char kDefaultIngestAddress[] = "127.0.0.1:50051";
inline constexpr char kDefaultQueryAddress[] = "127.0.0.1:50052";

struct ServiceOptions {
  std::string ingest_address = kDefaultIngestAddress;
  std::string query_address = kDefaultQueryAddress;
  absl::Duration deadline = absl::Seconds(30);  // Of each unary attempt.
  int attempts = 4;                             // Tries while UNAVAILABLE.
  absl::Duration first_backoff = absl::Milliseconds(200);  // Doubles.
  // Channel credentials and bearer token (--tls-ca, --cert/--key, --token,
  // --token-file); plaintext without a token by default.
  auth::ClientCredentials credentials{grpc::InsecureChannelCredentials(), ""};
};

class Services {
 public:
  explicit Services(ServiceOptions options);

  budget::v1::IngestService::Stub& ingest() { return *ingest_; }
  budget::v1::QueryService::Stub& query() { return *query_; }
  const ServiceOptions& options() const { return options_; }

  // Calls `attempt(context)` with a fresh context carrying the deadline
  // until it returns anything but UNAVAILABLE, sleeping with doubling
  // backoff in between; returns the last status. Callers make retries safe
  // (submissions carry a request id derived from the budget).
  template <typename Attempt>
  grpc::Status Call(Attempt attempt) const {
    absl::Duration backoff = options_.first_backoff;
    grpc::Status status;
    for (int i = 0; i < options_.attempts; ++i) {
      if (i > 0) {
        absl::SleepFor(backoff);
        backoff *= 2;
      }
      grpc::ClientContext context;
      context.set_deadline(absl::ToChronoTime(absl::Now() + options_.deadline));
      options_.credentials.Attach(context);
      status = attempt(context);
      if (status.error_code() != grpc::StatusCode::UNAVAILABLE) break;
    }
    return status;
  }

 private:
  ServiceOptions options_;
  std::unique_ptr<budget::v1::IngestService::Stub> ingest_;
  std::unique_ptr<budget::v1::QueryService::Stub> query_;
};

// The budget.v1.ValidationReport a rejection carries in its details.
std::optional<budget::v1::ValidationReport> RejectionReport(
    const grpc::Status& status);

// Prints "budgetctl: WHAT failed: MESSAGE\n  next: ADVICE" to `err` and
// returns the exit code of `status`.
int ReportFailure(const grpc::Status& status, absl::string_view what,
                  absl::string_view address, std::ostream& err);

}  // namespace budgetctl

#endif  // BUDGETCTL_SERVICES_H_
