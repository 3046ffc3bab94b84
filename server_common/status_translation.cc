#include "server_common/status_translation.h"

#include "absl/strings/str_cat.h"
#include "budget/utf8.h"
#include "budget/validation/validator.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"

namespace server_common {

namespace {

// `text` cut to at most `max` bytes at a character boundary, marked "…".
std::string Clip(absl::string_view text, size_t max) {
  if (text.size() <= max) return std::string(text);
  return absl::StrCat(text.substr(0, budget::Utf8PrefixLength(text, max)), "…");
}

}  // namespace

grpc::Status ToGrpcStatus(const absl::Status& status) {
  return grpc::Status(
      static_cast<grpc::StatusCode>(status.code()),
      budget::ClipText(status.message(), kMaxStatusMessageBytes));
}

std::string DescribeViolation(const budget::v1::Violation& violation) {
  return absl::StrCat("[", violation.rule_id(), "] ", violation.message(),
                      " (given: ", budget::VisibleText(violation.given()),
                      "; expected: ", violation.expected(), ")");
}

namespace {

// A finding as it is listed in status details: texts clipped.
budget::v1::Violation Clipped(const budget::v1::Violation& violation) {
  constexpr size_t kMaxText = 160;
  budget::v1::Violation clipped = violation;
  clipped.set_field_path(Clip(violation.field_path(), kMaxText));
  clipped.set_given(Clip(violation.given(), kMaxText));
  clipped.set_expected(Clip(violation.expected(), kMaxText));
  clipped.set_message(Clip(violation.message(), kMaxText));
  return clipped;
}

}  // namespace

grpc::Status RejectionStatus(const budget::v1::ValidationReport& report,
                             absl::string_view what) {
  // Listed findings cost their BadRequest entry and their report entry;
  // a reserve is kept for the counts and the closing entry.
  constexpr size_t kReserve = 1024;
  budget::v1::ValidationReport listed;
  google::rpc::BadRequest bad_request;
  size_t bytes = 0;
  int64_t fatal = 0;
  for (const budget::v1::Violation& violation : report.violations()) {
    if (violation.severity() == budget::v1::SEVERITY_FATAL) ++fatal;
  }
  for (const budget::v1::OmittedFindings& omitted : report.omitted()) {
    if (omitted.severity() == budget::v1::SEVERITY_FATAL) {
      fatal += omitted.count();
    }
  }
  int listed_count = 0;
  for (const budget::v1::Violation& violation : report.violations()) {
    budget::v1::Violation clipped = Clipped(violation);
    google::rpc::BadRequest::FieldViolation field;
    field.set_field(clipped.field_path());
    field.set_description(DescribeViolation(clipped));
    const size_t cost = clipped.ByteSizeLong() + field.ByteSizeLong() + 8;
    if (bytes + cost + kReserve > kMaxStatusDetailsBytes) break;
    bytes += cost;
    ++listed_count;
    if (clipped.severity() == budget::v1::SEVERITY_FATAL) {
      *bad_request.add_field_violations() = std::move(field);
    }
  }
  // The window keeps the findings' whole texts; the budget above was
  // counted on the clipped ones.
  listed = budget::ReportWindow(report, 0, listed_count);
  for (budget::v1::Violation& violation : *listed.mutable_violations()) {
    violation = Clipped(violation);
  }
  int64_t more = 0;
  for (const budget::v1::OmittedFindings& omitted : listed.omitted()) {
    more += omitted.count();
  }
  if (more > 0) {
    google::rpc::BadRequest::FieldViolation* rest =
        bad_request.add_field_violations();
    rest->set_description(absl::StrCat(
        "… and ", more,
        " more finding(s), counted per rule in the "
        "budget.v1.ValidationReport detail; IngestService.ValidateBudget "
        "lists them all"));
  }
  std::string message = absl::StrCat(what, ": ", fatal, " rule(s) broken");
  google::rpc::Status details;
  details.set_code(grpc::StatusCode::INVALID_ARGUMENT);
  details.set_message(message);
  details.add_details()->PackFrom(bad_request);
  details.add_details()->PackFrom(listed);
  return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, message,
                      details.SerializeAsString());
}

}  // namespace server_common
