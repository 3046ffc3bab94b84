// Where the services learn who calls and whether they may: the caller's
// identity (a bearer token in the `authorization` metadata, or the subject
// CN / a SAN of a verified client certificate) is looked up in the
// principals, auth::Authorize decides, and the verdict becomes a
// grpc::Status here and nowhere else. Denied calls and every write are
// appended to the audit trail.
//
// Refusals cost the trail a bounded amount, whoever calls: the values a
// caller chose (node code, request id) are kept to kMaxRefusedValueBytes
// in a refusal's record, and past a peer address's budget of records per
// interval (RefusalBudget) its refusals are counted, each count recorded
// once its interval has ended as a record of method kRefusalsCounted. A
// thread of the gate records the counts of ended intervals; Close records
// the rest.
//
// Borrows the registry, which must outlive it. Thread-safe.
#ifndef SERVER_COMMON_ACCESS_GATE_H_
#define SERVER_COMMON_ACCESS_GATE_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "auth/authorization.h"
#include "auth/failure_limiter.h"
#include "auth/principal_registry.h"
#include "budget/v1/audit.pb.h"
#include "grpcpp/server_context.h"
#include "grpcpp/support/status.h"
#include "server_common/refusal_budget.h"

namespace server_common {

// What a call is about, for the audit trail.
struct CallSubject {
  absl::string_view node_code;
  int32_t fiscal_year = 0;
  absl::string_view request_id;
};

// Bytes of a caller's node code or request id a refusal's record keeps
// (registry codes are far shorter); a longer value is clipped at a
// character and its length said: "0210…(4096 bytes)".
inline constexpr size_t kMaxRefusedValueBytes = 64;

// The method of a record that counts refusals not recorded one by one:
// principal and outcome are theirs, request_id says how many, from which
// peer address and in which interval.
inline constexpr char kRefusalsCounted[] = "(refusals counted)";

class AccessGate {
 public:
  // Appends records to the audit trail, all in one durable write, before
  // it returns.
  using AuditSink = std::function<void(std::vector<budget::v1::AuditRecord>)>;

  // Failed authentications are limited per peer address by `failures`,
  // records of refusals by `refusals`.
  AccessGate(const auth::PrincipalRegistry* registry, auth::AccessPolicy policy,
             AuditSink audit, auth::FailureLimiter::Limits failures = {},
             RefusalBudget::Limits refusals = {});
  // Closes.
  ~AccessGate();

  // Stops the thread that records counts and records the refusals counted
  // so far: once the server serves no more calls, before the sink goes
  // away. Idempotent.
  void Close();

  // Refusals counted rather than recorded one by one, since the start.
  int64_t counted_refusals() const { return refusals_.counted_total(); }

  struct Access {
    // OK, UNAUTHENTICATED, PERMISSION_DENIED or RESOURCE_EXHAUSTED.
    grpc::Status status;
    std::string principal;  // Name for records: "anonymous" when none.
    bool cleared = false;
    // The caller proved a name from the principals file; writes record
    // that name rather than the one the request claims.
    bool authenticated = false;
    // Who was admitted (null: no identity), for Permits; keeps the
    // principals snapshot it comes from alive.
    std::shared_ptr<const auth::Principal> caller;

    // Who a write is recorded as: the proven name, else `claimed`.
    std::string Attribution(absl::string_view claimed) const {
      return authenticated ? principal : std::string(claimed);
    }
  };

  // Decides; a refusal is audited before it is returned. The message of a
  // refusal never says whether the node exists. A peer that failed to
  // authenticate too often is refused RESOURCE_EXHAUSTED before its
  // credentials are checked.
  Access Check(const grpc::ServerContextBase& context, auth::Method method,
               const auth::Target& target, const CallSubject& subject) const;

  // Whether the caller `access` admitted may also make `method` on
  // `target`, for what the answer of an admitted call may include (the
  // totals of a submission's ancestors, a summary's implicit prior year).
  // Not audited: nothing is refused, something is left out.
  bool Permits(const Access& access, auth::Method method,
               const auth::Target& target) const;

  // The PERMISSION_DENIED of every refusal of a known caller: the same
  // message whether or not the node exists.
  static grpc::Status Denied();

  // Refuses, PERMISSION_DENIED, a call `access` admitted that turned out
  // to touch a node outside the caller's scope besides the one it was
  // checked on (`subject`); audited as Check's refusals are.
  grpc::Status Refuse(const grpc::ServerContextBase& context,
                      const Access& access, auth::Method method,
                      const CallSubject& subject) const;

  // Audits a write's outcome.
  void RecordWrite(const Access& access, auth::Method method,
                   const CallSubject& subject,
                   const grpc::Status& outcome) const;

  // The record RecordWrite would append, for RecordAll: many writes
  // audited in one durable write of the trail.
  budget::v1::AuditRecord WriteRecord(const Access& access, auth::Method method,
                                      const CallSubject& subject,
                                      const grpc::Status& outcome) const;
  // Appends `records` in one durable write.
  void RecordAll(std::vector<budget::v1::AuditRecord> records) const;

  // Told how many records a store appended itself, in the transaction of
  // the write they audit (storage::BudgetStore::AppendsAuditRecords), so
  // that they are counted as the sink's appends are. Set before the gate
  // is shared between threads.
  using StoredCounter = std::function<void(size_t count)>;
  void set_stored_counter(StoredCounter counter) {
    stored_counter_ = std::move(counter);
  }
  // `count` records of writes were stored with those writes.
  void CountStored(size_t count) const {
    if (stored_counter_) stored_counter_(count);
  }

 private:
  void Audit(absl::string_view principal, auth::Method method,
             const CallSubject& subject, const grpc::Status& outcome) const;
  // Audits a refusal Check made, within the peer's budget.
  void AuditRefusal(const grpc::ServerContextBase& context,
                    absl::string_view principal, auth::Method method,
                    const CallSubject& subject,
                    const grpc::Status& outcome) const;
  // Appends a record for each of `counted`, if any.
  void RecordCounts(const std::vector<RefusalBudget::Counted>& counted) const;
  static std::vector<budget::v1::AuditRecord> CountRecords(
      const std::vector<RefusalBudget::Counted>& counted);
  static budget::v1::AuditRecord Record(absl::string_view principal,
                                        auth::Method method,
                                        const CallSubject& subject,
                                        const grpc::Status& outcome);

  const auth::PrincipalRegistry* const registry_;
  const auth::AccessPolicy policy_;
  const AuditSink audit_;
  StoredCounter stored_counter_;
  mutable auth::FailureLimiter failures_;
  mutable RefusalBudget refusals_;

  absl::Mutex close_mu_;
  bool closed_ ABSL_GUARDED_BY(close_mu_) = false;
  std::thread count_recorder_;
};

}  // namespace server_common

#endif  // SERVER_COMMON_ACCESS_GATE_H_
