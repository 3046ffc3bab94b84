// A QueuedWriter whose stream starts once the view has applied a revision
// the request names (ExportBudget's min_revision, Watch's after_revision):
// parked on RevisionWaiters meanwhile, holding no thread, as ParkedRead
// parks a unary read. A cancellation while parked ends the wait.
//
// Thread-safe as QueuedWriter. gRPC owns the reactor until OnDone; the
// waiters must outlive it.
#ifndef QUERY_SERVICE_PARKED_WRITER_H_
#define QUERY_SERVICE_PARKED_WRITER_H_

#include <cstdint>
#include <utility>

#include "absl/functional/any_invocable.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "query_service/queued_writer.h"
#include "query_service/revision_waiters.h"
#include "server_common/call_log.h"
#include "server_common/status_translation.h"

namespace query {

template <typename Message>
class ParkedWriter : public QueuedWriter<Message> {
 public:
  // Runs once the revision is applied; streams with Push and, when it is
  // done, Close (a stream that follows the view leaves it open).
  using Start = absl::AnyInvocable<void(ParkedWriter&) &&>;

  // `max_queued` as QueuedWriter's.
  ParkedWriter(server_common::CallLog log, RevisionWaiters* waiters,
               size_t max_queued = 0)
      : QueuedWriter<Message>(std::move(log), max_queued), waiters_(waiters) {}

  // Waits for `revision` (0: none), named by the request's `field`
  // (RevisionWaiters::Wait), until `deadline`, then runs `start`; a wait
  // that fails (deadline, revision too far ahead, too many waiting) closes
  // the stream with its status instead.
  void StartAfter(absl::string_view field, int64_t revision,
                  absl::Time deadline, Start start) {
    // Held so that a cancellation meanwhile cannot finish (and delete) the
    // writer before the wait's callback is done with it.
    this->Hold();
    wait_ = waiters_->Wait(
        field, revision, deadline,
        [this, start = std::move(start)](absl::Status waited) mutable {
          if (waited.ok()) {
            std::move(start)(*this);
          } else {
            this->Close(server_common::ToGrpcStatus(waited));
          }
          this->Release();
        });
  }

 protected:
  void OnCancel() override {
    waiters_->Cancel(wait_);
    QueuedWriter<Message>::OnCancel();
  }

 private:
  RevisionWaiters* const waiters_;
  int64_t wait_ = 0;  // Set before gRPC can call OnCancel.
};

}  // namespace query

#endif  // QUERY_SERVICE_PARKED_WRITER_H_
