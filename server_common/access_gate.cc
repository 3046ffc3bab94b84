#include "server_common/access_gate.h"

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "budget/utf8.h"
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
                       auth::FailureLimiter::Limits failures,
                       RefusalBudget::Limits refusals)
    : registry_(registry),
      policy_(policy),
      audit_(std::move(audit)),
      failures_(failures),
      refusals_(refusals) {
  if (refusals.per_peer <= 0) return;  // Nothing is ever counted.
  count_recorder_ = std::thread([this] {
    absl::MutexLock lock(&close_mu_);
    for (;;) {
      if (close_mu_.AwaitWithDeadline(absl::Condition(&closed_),
                                      refusals_.IntervalEnd(absl::Now()))) {
        return;
      }
      close_mu_.Unlock();
      RecordCounts(refusals_.TakeEnded(absl::Now()));
      close_mu_.Lock();
    }
  });
}

AccessGate::~AccessGate() { Close(); }

void AccessGate::Close() {
  {
    absl::MutexLock lock(&close_mu_);
    if (closed_) return;
    closed_ = true;
  }
  if (count_recorder_.joinable()) count_recorder_.join();
  RecordCounts(refusals_.TakeEnded(absl::InfiniteFuture()));
}

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
      AuditRefusal(context, access.principal, method, subject, access.status);
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
      AuditRefusal(context, access.principal, method, subject, access.status);
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
      access.status = Denied();
      break;
  }
  AuditRefusal(context, access.principal, method, subject, access.status);
  return access;
}

bool AccessGate::Permits(const Access& access, auth::Method method,
                         const auth::Target& target) const {
  return access.status.ok() &&
         auth::Authorize(access.caller.get(), policy_, method, target)
                 .verdict == auth::Verdict::kAllow;
}

grpc::Status AccessGate::Denied() {
  return grpc::Status(grpc::StatusCode::PERMISSION_DENIED,
                      "not permitted for this caller on this node and year");
}

grpc::Status AccessGate::Refuse(const grpc::ServerContextBase& context,
                                const Access& access, auth::Method method,
                                const CallSubject& subject) const {
  grpc::Status denied = Denied();
  AuditRefusal(context, access.principal, method, subject, denied);
  return denied;
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

void AccessGate::AuditRefusal(const grpc::ServerContextBase& context,
                              absl::string_view principal, auth::Method method,
                              const CallSubject& subject,
                              const grpc::Status& outcome) const {
  std::vector<RefusalBudget::Counted> ended;
  const bool recorded =
      refusals_.Admits(auth::PeerAddress(context.peer()), principal,
                       CodeName(outcome.error_code()), absl::Now(), &ended);
  // The counts of an interval that just ended, and this refusal, in one
  // durable write.
  std::vector<budget::v1::AuditRecord> records = CountRecords(ended);
  if (recorded) {
    const std::string node_code =
        budget::ClipText(subject.node_code, kMaxRefusedValueBytes);
    const std::string request_id =
        budget::ClipText(subject.request_id, kMaxRefusedValueBytes);
    records.push_back(Record(principal, method,
                             {node_code, subject.fiscal_year, request_id},
                             outcome));
  }
  if (!records.empty()) audit_(std::move(records));
}

void AccessGate::RecordCounts(
    const std::vector<RefusalBudget::Counted>& counted) const {
  if (!counted.empty()) audit_(CountRecords(counted));
}

std::vector<budget::v1::AuditRecord> AccessGate::CountRecords(
    const std::vector<RefusalBudget::Counted>& counted) {
  std::vector<budget::v1::AuditRecord> records;
  for (const RefusalBudget::Counted& count : counted) {
    budget::v1::AuditRecord& record = records.emplace_back();
    record.set_principal(count.principal);
    record.set_method(kRefusalsCounted);
    record.set_request_id(absl::StrCat(
        count.count, " refused calls from ", count.peer, " from ",
        absl::FormatTime(absl::RFC3339_sec, count.from, absl::UTCTimeZone()),
        " to ",
        absl::FormatTime(absl::RFC3339_sec, count.to, absl::UTCTimeZone()),
        " over its budget of records; not recorded one by one"));
    record.set_outcome(count.outcome);
  }
  return records;
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
