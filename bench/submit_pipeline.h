// One SubmitBudgets stream that keeps up to `window` budgets in flight:
// the next budget is written as soon as the previous write completes (while
// fewer than `window` are unanswered), and answers are read continuously
// and matched to the budgets in order (the service answers in order). Many
// budgets per stream let the client and the server pay their per-call
// wake-ups once per batch rather than once per budget.
//
// Owns its gRPC call; gRPC's callback threads run it. `source` is called
// by one thread at a time, and so is `sink` (the two may run at once);
// Wait may be called from any thread.
#ifndef BENCH_SUBMIT_PIPELINE_H_
#define BENCH_SUBMIT_PIPELINE_H_

#include <deque>
#include <functional>
#include <memory>
#include <optional>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "budget/v1/ingest_service.pb.h"
#include "grpcpp/channel.h"
#include "grpcpp/support/byte_buffer.h"
#include "grpcpp/support/client_callback.h"

namespace bench {

class SubmitPipeline
    : public grpc::ClientBidiReactor<grpc::ByteBuffer, grpc::ByteBuffer> {
 public:
  // The next serialized SubmitBudgetRequest, or nullopt once there are no
  // more: the stream then half-closes when every budget sent is answered.
  using Source = std::function<std::optional<grpc::ByteBuffer>()>;
  // One answer, in the order the budgets were sent: when its budget's
  // write started, when the answer arrived, and the answer (nullptr when
  // it did not parse).
  using Sink = std::function<void(absl::Time sent, absl::Time answered,
                                  const budget::v1::SubmitBudgetResult*)>;

  // Starts the stream at once. `window` >= 1.
  SubmitPipeline(const std::shared_ptr<grpc::Channel>& channel, int window,
                 Source source, Sink sink);

  // Waits until the server ended the stream; its status. Budgets sent and
  // never answered (the stream broke) were not passed to the sink.
  grpc::Status Wait();

  void OnWriteDone(bool ok) override;
  void OnReadDone(bool ok) override;
  void OnWritesDoneDone(bool) override {}
  void OnDone(const grpc::Status& status) override;

 private:
  // Writes the next budget when the window has room, or half-closes once
  // the source is drained and every budget is answered.
  void Pump();

  const int window_;
  Source source_;
  Sink sink_;
  grpc::ClientContext context_;
  grpc::ByteBuffer request_;   // Owned by the outstanding write.
  grpc::ByteBuffer response_;  // Owned by the outstanding read.
  absl::Mutex mu_;
  bool writing_ ABSL_GUARDED_BY(mu_) = false;  // Or asking the source.
  bool drained_ ABSL_GUARDED_BY(mu_) = false;  // The source had no more.
  bool closed_ ABSL_GUARDED_BY(mu_) = false;   // Half-closed or broken.
  // When each unanswered budget's write started, oldest first.
  std::deque<absl::Time> sent_ ABSL_GUARDED_BY(mu_);
  grpc::Status status_;
  absl::Notification done_;
};

}  // namespace bench

#endif  // BENCH_SUBMIT_PIPELINE_H_
