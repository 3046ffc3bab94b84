// The one place where domain and storage results (absl::Status,
// budget.v1.ValidationReport) become gRPC statuses, so every service
// reports errors the same way.
//
// Pure functions; thread-safe.
#ifndef SERVER_COMMON_STATUS_TRANSLATION_H_
#define SERVER_COMMON_STATUS_TRANSLATION_H_

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "budget/v1/budget.pb.h"
#include "grpcpp/support/status.h"

namespace server_common {

// The most bytes of a status message. It travels percent-encoded in the
// trailers (a Chinese character takes 9 bytes there), which gRPC clients
// limit to 8 KB by default: a longer message, one echoing a long value a
// caller sent, reached the client as RESOURCE_EXHAUSTED instead of its code.
inline constexpr size_t kMaxStatusMessageBytes = 2048;

// Same code (the numbering is shared), same message, clipped to
// kMaxStatusMessageBytes at a character with its length said.
grpc::Status ToGrpcStatus(const absl::Status& status);

// "[BGT-E012] message (given: X; expected: Y)": the rule id first, so that
// a reader of grpcurl's output sees which rule broke.
std::string DescribeViolation(const budget::v1::Violation& violation);

// The most bytes of status details a rejection carries. Details travel in
// the trailers, which gRPC clients limit to 8 KB by default (base64 makes
// 4 KB of details about 5.5 KB), whatever the size of the report.
inline constexpr size_t kMaxStatusDetailsBytes = 4096;

// INVALID_ARGUMENT carrying, as google.rpc.Status details, a
// google.rpc.BadRequest with one field violation per listed fatal finding
// and the listed findings as a budget.v1.ValidationReport. Findings are
// listed in report order while they fit in kMaxStatusDetailsBytes (long
// texts clipped); the others are counted in the report's `omitted`, and a
// last field violation says how many more there are and where to get them.
// The message is "`what`: N rule(s) broken", `what` naming the thing
// refused ("budget rejected", "adjustment rejected").
grpc::Status RejectionStatus(const budget::v1::ValidationReport& report,
                             absl::string_view what);

}  // namespace server_common

#endif  // SERVER_COMMON_STATUS_TRANSLATION_H_
