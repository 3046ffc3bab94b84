#include "server_common/access_gate.h"

#include <memory>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "server_common/call_log.h"

namespace server_common {
namespace {

constexpr char kBearer[] = "Bearer ";

// Who presented what, before the principals are consulted.
struct Presented {
  bool any = false;  // A token or a verified certificate.
  std::string token;
  std::vector<std::string> certificate_names;
};

Presented PresentedBy(const grpc::ServerContextBase& context) {
  Presented presented;
  const auto& metadata = context.client_metadata();
  auto header = metadata.find("authorization");
  // Two headers are refused, not read first-wins: which one a proxy or a
  // client library puts first is nobody's decision.
  if (metadata.count("authorization") > 1) {
    presented.any = true;
  } else if (header != metadata.end()) {
    absl::string_view value(header->second.data(), header->second.size());
    presented.any = true;
    if (absl::ConsumePrefix(&value, kBearer)) {
      presented.token = std::string(value);
    }
  }
  std::shared_ptr<const grpc::AuthContext> auth = context.auth_context();
  if (auth != nullptr && auth->IsPeerAuthenticated()) {
    for (const char* property :
         {"x509_common_name", "x509_subject_alternative_name"}) {
      for (const grpc::string_ref& name : auth->FindPropertyValues(property)) {
        presented.certificate_names.emplace_back(name.data(), name.size());
      }
    }
    presented.any = presented.any || !presented.certificate_names.empty();
  }
  return presented;
}

}  // namespace

AccessGate::AccessGate(const auth::PrincipalRegistry* registry,
                       auth::AccessPolicy policy, AuditSink audit,
                       auth::FailureLimiter::Limits failures)
    : registry_(registry),
      policy_(policy),
      audit_(std::move(audit)),
      failures_(failures) {}

AccessGate::Access AccessGate::Check(const grpc::ServerContextBase& context,
                                     auth::Method method,
                                     const auth::Target& target,
                                     const CallSubject& subject) const {
  Access access;
  const auth::Principal* caller = registry_->local_operator();
  std::shared_ptr<const auth::Principals> principals = registry_->Snapshot();
  Presented presented = PresentedBy(context);
  if (caller == nullptr && presented.any) {
    // A token verified before costs nothing to recognize: its caller is
    // served even while its address is over the failure limit.
    if (!presented.token.empty()) {
      caller = principals->FindVerifiedToken(presented.token);
    }
    const std::string peer(auth::PeerAddress(context.peer()));
    if (caller == nullptr && !failures_.Admits(peer, absl::Now())) {
      access.principal = "unknown";
      access.status = grpc::Status(
          grpc::StatusCode::RESOURCE_EXHAUSTED,
          "too many failed authentications from this address; retry later");
      Audit(access.principal, method, subject, access.status);
      return access;
    }
    if (caller == nullptr) {
      caller = !presented.token.empty()
                   ? principals->FindByToken(presented.token)
                   : principals->FindByCertificate(presented.certificate_names);
    }
    if (caller == nullptr) {
      failures_.Failed(peer, absl::Now());
      access.principal = "unknown";
      access.status = grpc::Status(grpc::StatusCode::UNAUTHENTICATED,
                                   "credentials not recognized");
      Audit(access.principal, method, subject, access.status);
      return access;
    }
    access.authenticated = true;
  }
  access.principal = caller != nullptr ? caller->name : "anonymous";
  // Aliasing: the principal lives as long as its snapshot.
  if (caller != nullptr) access.caller = {principals, caller};
  auth::Decision decision = auth::Authorize(caller, policy_, method, target);
  access.cleared = decision.cleared;
  switch (decision.verdict) {
    case auth::Verdict::kAllow:
      return access;
    case auth::Verdict::kUnauthenticated:
      access.status = grpc::Status(
          grpc::StatusCode::UNAUTHENTICATED,
          "identity required: a client certificate or a bearer token");
      break;
    case auth::Verdict::kPermissionDenied:
      access.status =
          grpc::Status(grpc::StatusCode::PERMISSION_DENIED,
                       "not permitted for this caller on this node and year");
      break;
  }
  Audit(access.principal, method, subject, access.status);
  return access;
}

bool AccessGate::Permits(const Access& access, auth::Method method,
                         const auth::Target& target) const {
  return access.status.ok() &&
         auth::Authorize(access.caller.get(), policy_, method, target)
                 .verdict == auth::Verdict::kAllow;
}

void AccessGate::RecordWrite(const Access& access, auth::Method method,
                             const CallSubject& subject,
                             const grpc::Status& outcome) const {
  Audit(access.principal, method, subject, outcome);
}

budget::v1::AuditRecord AccessGate::WriteRecord(
    const Access& access, auth::Method method, const CallSubject& subject,
    const grpc::Status& outcome) const {
  return Record(access.principal, method, subject, outcome);
}

void AccessGate::RecordAll(std::vector<budget::v1::AuditRecord> records) const {
  audit_(std::move(records));
}

void AccessGate::Audit(absl::string_view principal, auth::Method method,
                       const CallSubject& subject,
                       const grpc::Status& outcome) const {
  std::vector<budget::v1::AuditRecord> one;
  one.push_back(Record(principal, method, subject, outcome));
  audit_(std::move(one));
}

budget::v1::AuditRecord AccessGate::Record(absl::string_view principal,
                                           auth::Method method,
                                           const CallSubject& subject,
                                           const grpc::Status& outcome) {
  budget::v1::AuditRecord record;
  record.set_principal(std::string(principal));
  record.set_method(std::string(auth::MethodName(method)));
  record.set_node_code(std::string(subject.node_code));
  record.set_fiscal_year(subject.fiscal_year);
  record.set_request_id(std::string(subject.request_id));
  record.set_outcome(CodeName(outcome.error_code()));
  return record;
}

}  // namespace server_common
