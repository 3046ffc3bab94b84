#include "query_service/parked_read.h"

#include <utility>

#include "server_common/status_translation.h"

namespace query {

ParkedRead* ParkedRead::Start(RevisionWaiters* waiters,
                              server_common::CallLog log, int64_t revision,
                              absl::Time deadline, Answer answer) {
  auto* read = new ParkedRead(waiters, std::move(log), std::move(answer));
  // Finishing before the reactor is returned to gRPC is allowed; gRPC
  // calls OnDone (which deletes it) only after the handler has returned.
  read->wait_ = waiters->Wait(
      "read.min_revision", revision, deadline, [read](absl::Status waited) {
        grpc::Status status = waited.ok() ? std::move(read->answer_)()
                                          : server_common::ToGrpcStatus(waited);
        read->log_.Write(status);
        read->Finish(status);
      });
  return read;
}

}  // namespace query
