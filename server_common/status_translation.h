// The one place where domain and storage results (absl::Status,
// budget.v1.ValidationReport) become gRPC statuses, so every service
// reports errors the same way.
//
// Pure functions; thread-safe.
#ifndef SERVER_COMMON_STATUS_TRANSLATION_H_
#define SERVER_COMMON_STATUS_TRANSLATION_H_

#include <string>

#include "absl/status/status.h"
#include "budget/v1/budget.pb.h"
#include "grpcpp/support/status.h"

namespace server_common {

// Same code (the numbering is shared), same message.
grpc::Status ToGrpcStatus(const absl::Status& status);

// "[BGT-E012] message (given: X; expected: Y)": the rule id first, so that
// a reader of grpcurl's output sees which rule broke.
std::string DescribeViolation(const budget::v1::Violation& violation);

// INVALID_ARGUMENT carrying, as google.rpc.Status details, a
// google.rpc.BadRequest with one field violation per fatal finding and the
// whole report as a budget.v1.ValidationReport.
grpc::Status RejectionStatus(const budget::v1::ValidationReport& report);

}  // namespace server_common

#endif  // SERVER_COMMON_STATUS_TRANSLATION_H_
