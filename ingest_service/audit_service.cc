#include "ingest_service/audit_service.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "ingest_service/page_bytes.h"
#include "server_common/call_log.h"
#include "server_common/status_translation.h"
#include "server_common/unary_bytes.h"

namespace ingest {
namespace {

using budget::v1::ListAuditRecordsRequest;
using budget::v1::ListAuditRecordsResponse;
using budget::v1::VerifyAuditTrailRequest;
using budget::v1::VerifyAuditTrailResponse;
using server_common::Logged;
using server_common::ServeUnaryBytes;

constexpr int kDefaultPageSize = 100;
constexpr int kMaxPageSize = 10000;

}  // namespace

grpc::ServerUnaryReactor* AuditService::ListAuditRecords(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
    grpc::ByteBuffer* response) {
  return ServeUnaryBytes<ListAuditRecordsRequest, ListAuditRecordsResponse>(
      context, *request, response, "ListAuditRecords", max_request_messages_,
      [this, context](const ListAuditRecordsRequest& typed,
                      ListAuditRecordsResponse* out) {
        return DoListAuditRecords(*context, typed, out);
      });
}

grpc::ServerUnaryReactor* AuditService::VerifyAuditTrail(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
    grpc::ByteBuffer* response) {
  return ServeUnaryBytes<VerifyAuditTrailRequest, VerifyAuditTrailResponse>(
      context, *request, response, "VerifyAuditTrail", max_request_messages_,
      [this, context](const VerifyAuditTrailRequest&,
                      VerifyAuditTrailResponse* out) {
        return DoVerifyAuditTrail(*context, out);
      });
}

grpc::Status AuditService::DoListAuditRecords(
    const grpc::CallbackServerContext& context,
    const ListAuditRecordsRequest& request,
    ListAuditRecordsResponse* response) {
  server_common::CallLog log("ListAuditRecords");
  grpc::Status status =
      gate_->Check(context, auth::Method::kListAuditRecords, {}, {}).status;
  if (!status.ok()) return Logged(log, status);
  if (request.page_size() < 0 || request.page_size() > kMaxPageSize) {
    return Logged(
        log, grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                          absl::StrCat("page_size: ", request.page_size(),
                                       " given; expected 0 (", kDefaultPageSize,
                                       ") to ", kMaxPageSize)));
  }
  if (request.after_sequence() < 0) {
    return Logged(
        log,
        grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                     absl::StrCat("after_sequence: ", request.after_sequence(),
                                  " given; expected 0 or more")));
  }
  const int page_size =
      request.page_size() > 0 ? request.page_size() : kDefaultPageSize;
  absl::StatusOr<std::vector<budget::v1::AuditRecord>> records =
      trail_->List(request.after_sequence(), page_size);
  if (!records.ok()) {
    return Logged(log, server_common::ToGrpcStatus(records.status()));
  }
  // A page also ends once it holds kPageBytes, so that it fits a client's
  // default 4 MB receive limit (grpcurl's).
  size_t bytes = 0;
  for (budget::v1::AuditRecord& record : *records) {
    if (response->records_size() > 0 && bytes >= kPageBytes) break;
    bytes += record.ByteSizeLong();
    *response->add_records() = std::move(record);
  }
  if (response->records_size() < static_cast<int>(records->size()) ||
      static_cast<int>(records->size()) == page_size) {
    response->set_next_after_sequence(
        response->records(response->records_size() - 1).sequence());
  }
  return Logged(log, grpc::Status::OK);
}

grpc::Status AuditService::DoVerifyAuditTrail(
    const grpc::CallbackServerContext& context,
    VerifyAuditTrailResponse* response) {
  server_common::CallLog log("VerifyAuditTrail");
  grpc::Status status =
      gate_->Check(context, auth::Method::kVerifyAuditTrail, {}, {}).status;
  if (!status.ok()) return Logged(log, status);
  absl::StatusOr<auth::ChainCheck> check = trail_->Verify();
  if (check.ok()) {
    response->set_intact(check->first_bad_sequence == 0);
    response->set_record_count(check->record_count);
    response->set_first_bad_sequence(check->first_bad_sequence);
    response->set_damage(check->damage);
  }
  return Logged(log, server_common::ToGrpcStatus(check.status()));
}

}  // namespace ingest
