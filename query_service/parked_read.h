// A unary read that waits for the consolidated revision it names without
// holding a thread: it parks in the view's RevisionWaiters and answers on
// a gRPC thread once the revision is applied, or finishes with the wait's
// failure (DEADLINE_EXCEEDED, OUT_OF_RANGE, RESOURCE_EXHAUSTED); cancelling
// the call (client gone, server shutting down) ends the wait with
// CANCELLED. Writes the call's log line when it finishes.
//
// gRPC owns the reactor from Start until OnDone, when it deletes itself.
// Borrows the waiters, which must outlive it.
#ifndef QUERY_SERVICE_PARKED_READ_H_
#define QUERY_SERVICE_PARKED_READ_H_

#include <cstdint>

#include "absl/functional/any_invocable.h"
#include "absl/time/time.h"
#include "grpcpp/grpcpp.h"
#include "query_service/revision_waiters.h"
#include "server_common/call_log.h"

namespace query {

class ParkedRead : public grpc::ServerUnaryReactor {
 public:
  // Fills the response once the revision is applied; its status is the
  // call's.
  using Answer = absl::AnyInvocable<grpc::Status() &&>;

  // Waits for `revision` until `deadline`, then answers with `answer`.
  static ParkedRead* Start(RevisionWaiters* waiters, server_common::CallLog log,
                           int64_t revision, absl::Time deadline,
                           Answer answer);

  void OnCancel() override { waiters_->Cancel(wait_); }
  void OnDone() override { delete this; }

 private:
  ParkedRead(RevisionWaiters* waiters, server_common::CallLog log,
             Answer answer)
      : waiters_(waiters), log_(std::move(log)), answer_(std::move(answer)) {}

  RevisionWaiters* const waiters_;
  const server_common::CallLog log_;
  Answer answer_;
  int64_t wait_ = 0;  // Set before gRPC can call OnCancel.
};

}  // namespace query

#endif  // QUERY_SERVICE_PARKED_READ_H_
