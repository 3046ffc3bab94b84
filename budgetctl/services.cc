#include "budgetctl/services.h"

#include "budgetctl/exit_code.h"
#include "google/rpc/status.pb.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"

namespace budgetctl {

Services::Services(ServiceOptions options) : options_(std::move(options)) {
  ingest_ = budget::v1::IngestService::NewStub(grpc::CreateChannel(
      options_.ingest_address, options_.credentials.channel));
  query_ = budget::v1::QueryService::NewStub(grpc::CreateChannel(
      options_.query_address, options_.credentials.channel));
}

std::optional<budget::v1::ValidationReport> RejectionReport(
    const grpc::Status& status) {
  google::rpc::Status details;
  if (status.error_details().empty() ||
      !details.ParseFromString(status.error_details())) {
    return std::nullopt;
  }
  for (const google::protobuf::Any& detail : details.details()) {
    budget::v1::ValidationReport report;
    if (detail.UnpackTo(&report)) return report;
  }
  return std::nullopt;
}

int ReportFailure(const grpc::Status& status, absl::string_view what,
                  absl::string_view address, std::ostream& err) {
  err << "budgetctl: " << what << " failed: " << status.error_message()
      << "\n  next: " << NextStep(status.error_code(), address) << "\n";
  return ExitCodeFor(status.error_code());
}

}  // namespace budgetctl
