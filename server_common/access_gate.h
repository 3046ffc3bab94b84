// Where the services learn who calls and whether they may: the caller's
// identity (a bearer token in the `authorization` metadata, or the subject
// CN / a SAN of a verified client certificate) is looked up in the
// principals, auth::Authorize decides, and the verdict becomes a
// grpc::Status here and nowhere else. Denied calls and every write are
// appended to the audit trail.
//
// Borrows the registry, which must outlive it. Thread-safe.
#ifndef SERVER_COMMON_ACCESS_GATE_H_
#define SERVER_COMMON_ACCESS_GATE_H_

#include <cstdint>
#include <functional>
#include <string>

#include "absl/strings/string_view.h"
#include "auth/authorization.h"
#include "auth/principal_registry.h"
#include "budget/v1/audit.pb.h"
#include "grpcpp/server_context.h"
#include "grpcpp/support/status.h"

namespace server_common {

// What a call is about, for the audit trail.
struct CallSubject {
  absl::string_view node_code;
  int32_t fiscal_year = 0;
  absl::string_view request_id;
};

class AccessGate {
 public:
  using AuditSink = std::function<void(budget::v1::AuditRecord)>;

  AccessGate(const auth::PrincipalRegistry* registry, auth::AccessPolicy policy,
             AuditSink audit);

  struct Access {
    grpc::Status status;    // OK, UNAUTHENTICATED or PERMISSION_DENIED.
    std::string principal;  // Name for records: "anonymous" when none.
    bool cleared = false;
    // The caller proved a name from the principals file; writes record
    // that name rather than the one the request claims.
    bool authenticated = false;

    // Who a write is recorded as: the proven name, else `claimed`.
    std::string Attribution(absl::string_view claimed) const {
      return authenticated ? principal : std::string(claimed);
    }
  };

  // Decides; a refusal is audited before it is returned. The message of a
  // refusal never says whether the node exists.
  Access Check(const grpc::ServerContextBase& context, auth::Method method,
               const auth::Target& target, const CallSubject& subject) const;

  // Audits a write's outcome.
  void RecordWrite(const Access& access, auth::Method method,
                   const CallSubject& subject,
                   const grpc::Status& outcome) const;

 private:
  void Audit(absl::string_view principal, auth::Method method,
             const CallSubject& subject, const grpc::Status& outcome) const;

  const auth::PrincipalRegistry* const registry_;
  const auth::AccessPolicy policy_;
  const AuditSink audit_;
};

}  // namespace server_common

#endif  // SERVER_COMMON_ACCESS_GATE_H_
