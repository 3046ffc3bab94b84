#include "server_common/status_translation.h"

#include "absl/strings/str_cat.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"

namespace server_common {

grpc::Status ToGrpcStatus(const absl::Status& status) {
  return grpc::Status(static_cast<grpc::StatusCode>(status.code()),
                      std::string(status.message()));
}

std::string DescribeViolation(const budget::v1::Violation& violation) {
  return absl::StrCat("[", violation.rule_id(), "] ", violation.message(),
                      " (given: ", violation.given(),
                      "; expected: ", violation.expected(), ")");
}

grpc::Status RejectionStatus(const budget::v1::ValidationReport& report) {
  google::rpc::BadRequest bad_request;
  int fatal = 0;
  for (const budget::v1::Violation& violation : report.violations()) {
    if (violation.severity() != budget::v1::SEVERITY_FATAL) continue;
    ++fatal;
    google::rpc::BadRequest::FieldViolation* field =
        bad_request.add_field_violations();
    field->set_field(violation.field_path());
    field->set_description(DescribeViolation(violation));
  }
  std::string message =
      absl::StrCat("budget rejected: ", fatal, " rule(s) broken");
  google::rpc::Status details;
  details.set_code(grpc::StatusCode::INVALID_ARGUMENT);
  details.set_message(message);
  details.add_details()->PackFrom(bad_request);
  details.add_details()->PackFrom(report);
  return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, message,
                      details.SerializeAsString());
}

}  // namespace server_common
