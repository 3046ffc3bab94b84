#include "ingest_service/audit_queue_chainer.h"

#include <cstdio>
#include <utility>

#include "absl/strings/str_format.h"

namespace ingest {

AuditQueueChainer::AuditQueueChainer(storage::AuditTrail* trail,
                                     absl::Duration interval)
    : trail_(trail), interval_(interval), thread_([this] { Run(); }) {}

AuditQueueChainer::~AuditQueueChainer() { Stop(); }

void AuditQueueChainer::Stop() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  if (thread_.joinable()) thread_.join();
}

void AuditQueueChainer::Run() {
  absl::Status last;
  while (true) {
    {
      absl::MutexLock lock(&mu_);
      if (mu_.AwaitWithTimeout(absl::Condition(&stopping_), interval_)) return;
    }
    absl::Status chained = trail_->ChainQueued();
    if (!chained.ok() && chained != last) {
      absl::FPrintF(stderr, "ingest_service: queued audit records: %s\n",
                    chained.ToString());
    } else if (chained.ok() && !last.ok()) {
      absl::FPrintF(stderr,
                    "ingest_service: queued audit records chained again\n");
    }
    last = std::move(chained);
  }
}

}  // namespace ingest
