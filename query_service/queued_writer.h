// A server-streaming reactor that writes what it is given, one message at a
// time and in order, and finishes once closed and drained; cancellation
// (client gone, server shutting down) drops what is queued and finishes.
// Writes the call's log line when done and deletes itself. It is a reactor
// of raw bytes (gRPC's raw callback methods), each message serialized as it
// is pushed, so that the streaming methods read their requests with
// ParseRequest (raw_messages.h) like the unary ones: a request that does not
// parse is closed INVALID_ARGUMENT at once.
//
// A writer may be watched for stalls (WatchForStalls, stall_watch.h): when
// a message handed to gRPC has waited for the client longer than the
// watch's limit, the call is cancelled, what is queued dropped, and the
// call logged DEADLINE_EXCEEDED. A writer with nothing to write is never
// stalled.
//
// Push and Close are thread-safe. gRPC owns the reactor until OnDone.
#ifndef QUERY_SERVICE_QUEUED_WRITER_H_
#define QUERY_SERVICE_QUEUED_WRITER_H_

#include <deque>
#include <optional>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "grpcpp/grpcpp.h"
#include "grpcpp/support/byte_buffer.h"
#include "query_service/stall_watch.h"
#include "server_common/call_log.h"

namespace query {

template <typename Message>
class QueuedWriter : public grpc::ServerWriteReactor<grpc::ByteBuffer>,
                     public StallWatch::Stream {
 public:
  // `max_queued` bounds the messages waiting for the client (0: none): a
  // stream fed by the view (Watch) would otherwise grow for as long as its
  // client does not read. Past it the stream ends RESOURCE_EXHAUSTED.
  explicit QueuedWriter(server_common::CallLog log, size_t max_queued = 0)
      : log_(std::move(log)), max_queued_(max_queued) {}

  // A writer that finishes with `status` and writes nothing: the answer to
  // a request refused before anything is streamed.
  static QueuedWriter* Closed(server_common::CallLog log, grpc::Status status) {
    auto* writer = new QueuedWriter(std::move(log));
    writer->Close(std::move(status));
    return writer;
  }

  // Has `watch` cancel the call of `context` (this writer's) once a message
  // has waited for the client longer than its limit. Called at most once,
  // before the writer is handed to gRPC; `watch` must outlive the writer.
  void WatchForStalls(StallWatch* watch, grpc::CallbackServerContext* context) {
    if (!watch->enabled()) return;
    stall_watch_ = watch;
    context_ = context;
    watch->Add(this);
  }

  void Push(const Message& message) {
    grpc::ByteBuffer bytes;
    bool own_buffer = false;
    grpc::SerializationTraits<Message>::Serialize(message, &bytes, &own_buffer);
    Advance([&] {
      if (closing_) return false;
      if (max_queued_ != 0 && queue_.size() >= max_queued_) {
        Abandon(grpc::Status(
            grpc::StatusCode::RESOURCE_EXHAUSTED,
            absl::StrCat("the client fell ", max_queued_,
                         " messages behind; read faster, or start again "
                         "after the last message read")));
      } else {
        queue_.push_back(std::move(bytes));
      }
      return true;
    });
  }

  // Keeps the call from finishing, even once closed or cancelled, until as
  // many Release calls: for a writer fed by a callback that may still run
  // after a cancellation (a read parked for its revision).
  void Hold() {
    absl::MutexLock lock(&mu_);
    ++holds_;
  }
  void Release() {
    Advance([&] {
      --holds_;
      return true;
    });
  }

  // Finishes with `status` after what is queued has been written.
  void Close(grpc::Status status) {
    Advance([&] {
      if (closing_) return false;
      closing_ = true;
      status_ = std::move(status);
      return true;
    });
  }

 protected:
  void OnWriteDone(bool ok) override {
    Advance([&] {
      writing_ = false;
      if (!ok) {
        Abandon(grpc::Status(grpc::StatusCode::UNAVAILABLE, "write failed"));
      }
      return true;
    });
  }

  void OnCancel() override {
    Advance([&] {
      Abandon(grpc::Status::CANCELLED);
      return true;
    });
  }

  void OnDone() override {
    if (stall_watch_ != nullptr) stall_watch_->Remove(this);
    log_.Write(status_);
    delete this;
  }

  // StallWatch::Stream: a write pending since before `cutoff` ends the
  // stream, whatever it was closed with; held until CancelStalled.
  bool StalledSince(absl::Time cutoff) override {
    absl::MutexLock lock(&mu_);
    if (!writing_ || finished_ || stalled_ || write_started_ > cutoff) {
      return false;
    }
    stalled_ = true;
    queue_.clear();
    closing_ = true;
    status_ = grpc::Status(
        grpc::StatusCode::DEADLINE_EXCEEDED,
        absl::StrCat("the client took no message for ",
                     absl::FormatDuration(stall_watch_->limit()),
                     " (--stream_write_stall); the stream is cancelled"));
    ++holds_;
    return true;
  }
  void CancelStalled() override {
    // Outside the lock: gRPC may call OnCancel before TryCancel returns.
    context_->TryCancel();
    Release();
  }

 private:
  void Abandon(grpc::Status status) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    queue_.clear();
    if (!closing_) status_ = std::move(status);
    closing_ = true;
  }

  // Runs `change` under mu_; unless it returns false (nothing changed),
  // then starts the next write, or finishes the call once it is done.
  // Finish is called after mu_ is released: gRPC may run OnDone, which
  // deletes this writer and its mutex, on another thread as soon as Finish
  // is called, while a lock held across the call would still be released
  // afterwards (a cancelled stall did that: "Mutex unlocked when
  // destroyed").
  template <typename Change>
  void Advance(Change change) ABSL_LOCKS_EXCLUDED(mu_) {
    std::optional<grpc::Status> finish;
    {
      absl::MutexLock lock(&mu_);
      if (!change()) return;
      finish = WriteNext();
    }
    if (finish.has_value()) this->Finish(*std::move(finish));
  }

  // Starts the next write; or, when the stream is done, returns the status
  // to finish it with (Advance finishes it, outside the lock).
  std::optional<grpc::Status> WriteNext() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    if (writing_ || finished_) return std::nullopt;
    if (!queue_.empty()) {
      current_ = std::move(queue_.front());
      queue_.pop_front();
      writing_ = true;
      write_started_ = absl::Now();
      this->StartWrite(&current_);
    } else if (closing_ && holds_ == 0) {
      finished_ = true;
      return status_;
    }
    return std::nullopt;
  }

  server_common::CallLog log_;
  const size_t max_queued_;
  absl::Mutex mu_;
  std::deque<grpc::ByteBuffer> queue_ ABSL_GUARDED_BY(mu_);
  grpc::ByteBuffer current_ ABSL_GUARDED_BY(mu_);  // Being written.
  bool writing_ ABSL_GUARDED_BY(mu_) = false;
  bool closing_ ABSL_GUARDED_BY(mu_) = false;
  bool finished_ ABSL_GUARDED_BY(mu_) = false;
  int holds_ ABSL_GUARDED_BY(mu_) = 0;
  grpc::Status status_ ABSL_GUARDED_BY(mu_);
  // When current_ was handed to gRPC, while writing_.
  absl::Time write_started_ ABSL_GUARDED_BY(mu_);
  bool stalled_ ABSL_GUARDED_BY(mu_) = false;
  // Set before gRPC has the reactor (WatchForStalls); null: not watched.
  StallWatch* stall_watch_ = nullptr;
  grpc::CallbackServerContext* context_ = nullptr;
};

}  // namespace query

#endif  // QUERY_SERVICE_QUEUED_WRITER_H_
