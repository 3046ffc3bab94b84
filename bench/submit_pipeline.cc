#include "bench/submit_pipeline.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "budget/v1/ingest_service.grpc.pb.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/support/proto_buffer_reader.h"

namespace bench {

SubmitPipeline::SubmitPipeline(const std::shared_ptr<grpc::Channel>& channel,
                               int window, Source source, Sink sink)
    : window_(window), source_(std::move(source)), sink_(std::move(sink)) {
  grpc::GenericStub(channel).PrepareBidiStreamingCall(
      &context_,
      absl::StrCat("/", budget::v1::IngestService::service_full_name(),
                   "/SubmitBudgets"),
      grpc::StubOptions(), this);
  // A read is outstanding from the start until the server ends the call,
  // so the call cannot end (OnDone) while Pump may still start a write.
  StartRead(&response_);
  StartCall();
  Pump();
}

void SubmitPipeline::Pump() {
  bool half_close = false;
  {
    absl::MutexLock lock(&mu_);
    if (writing_ || closed_) return;
    if (drained_) {
      if (!sent_.empty()) return;
      closed_ = half_close = true;
    } else if (static_cast<int>(sent_.size()) >= window_) {
      return;
    } else {
      writing_ = true;  // Claims the write while the source is asked.
    }
  }
  if (half_close) {
    StartWritesDone();
    return;
  }
  std::optional<grpc::ByteBuffer> next = source_();
  {
    absl::MutexLock lock(&mu_);
    if (!next.has_value()) {
      writing_ = false;
      drained_ = true;
    } else {
      sent_.push_back(absl::Now());
    }
  }
  if (!next.has_value()) {
    Pump();  // Half-closes if every budget is answered already.
    return;
  }
  request_ = *std::move(next);
  StartWrite(&request_);
}

void SubmitPipeline::OnWriteDone(bool ok) {
  {
    absl::MutexLock lock(&mu_);
    writing_ = false;
    // A failed write means the call is over; OnDone reports why.
    if (!ok) closed_ = true;
  }
  Pump();
}

void SubmitPipeline::OnReadDone(bool ok) {
  if (!ok) {
    absl::MutexLock lock(&mu_);
    closed_ = true;
    return;
  }
  const absl::Time answered = absl::Now();
  absl::Time sent;
  {
    absl::MutexLock lock(&mu_);
    if (sent_.empty()) {  // An answer to nothing sent: not this service.
      closed_ = true;
      context_.TryCancel();
      return;
    }
    sent = sent_.front();
    sent_.pop_front();
  }
  budget::v1::SubmitBudgetResult result;
  const bool parsed =
      grpc::SerializationTraits<budget::v1::SubmitBudgetResult>::Deserialize(
          &response_, &result)
          .ok();
  sink_(sent, answered, parsed ? &result : nullptr);
  StartRead(&response_);
  Pump();
}

void SubmitPipeline::OnDone(const grpc::Status& status) {
  status_ = status;
  done_.Notify();
}

grpc::Status SubmitPipeline::Wait() {
  done_.WaitForNotification();
  return status_;
}

}  // namespace bench
