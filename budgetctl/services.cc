#include "budgetctl/services.h"

#include "budgetctl/exit_code.h"
#include "google/rpc/status.pb.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/support/channel_arguments.h"

namespace budgetctl {

namespace {

// Replies hold whatever the services stored: a budget as large as the
// services accept (--max_message_bytes, 32 MB by default) must come back,
// so the client takes more than gRPC's default 4 MB.
constexpr int kMaxReceiveBytes = 128 << 20;

std::shared_ptr<grpc::Channel> Channel(const std::string& address,
                                       const ServiceOptions& options) {
  grpc::ChannelArguments arguments;
  arguments.SetMaxReceiveMessageSize(kMaxReceiveBytes);
  return grpc::CreateCustomChannel(address, options.credentials.channel,
                                   arguments);
}

}  // namespace

Services::Services(ServiceOptions options) : options_(std::move(options)) {
  ingest_ = budget::v1::IngestService::NewStub(
      Channel(options_.ingest_address, options_));
  query_ = budget::v1::QueryService::NewStub(
      Channel(options_.query_address, options_));
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
