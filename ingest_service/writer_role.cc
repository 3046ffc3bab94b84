#include "ingest_service/writer_role.h"

#include <cstdio>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace ingest {
namespace {

constexpr absl::string_view kStandby =
    "this ingest service is the standby: another ingest service holds the "
    "store's writer lease; send writes to the active one (it takes over "
    "here within seconds if the active one dies)";

}  // namespace

WriterRole::~WriterRole() { Stop(); }

absl::Status WriterRole::TakeOverIfFree() {
  absl::StatusOr<std::unique_ptr<storage::WriterLease>> lease =
      storage::OpenWriterLease(store_spec_);
  if (!lease.ok()) return lease.status();
  lease_ = *std::move(lease);
  absl::Status status = TryTakeOver();
  // A server that cannot be reached is the standby's problem too: it keeps
  // trying. Anything else (a bad store) stops the start.
  if (absl::IsUnavailable(status)) {
    StandBy(status);
    return absl::OkStatus();
  }
  if (status.ok() && !Current().ok()) {
    StandBy(absl::UnavailableError("another ingest service is the writer"));
  }
  return status;
}

void WriterRole::Start(Listener listener) {
  listener_ = std::move(listener);
  {
    absl::MutexLock lock(&mu_);
    listener_(term_ != nullptr);
  }
  thread_ = std::thread([this] { Run(); });
}

void WriterRole::Stop() {
  if (!thread_.joinable()) return;
  stop_.Notify();
  thread_.join();
}

absl::StatusOr<std::shared_ptr<Ingestor>> WriterRole::Current() const {
  absl::MutexLock lock(&mu_);
  if (term_ == nullptr) {
    return standby_reason_.ok() ? absl::UnavailableError(kStandby)
                                : standby_reason_;
  }
  return std::shared_ptr<Ingestor>(term_, term_->ingestor.get());
}

std::shared_ptr<Ingestor> WriterRole::Latest() const {
  absl::MutexLock lock(&mu_);
  if (latest_term_ == nullptr) return nullptr;
  return std::shared_ptr<Ingestor>(latest_term_, latest_term_->ingestor.get());
}

void WriterRole::Run() {
  for (;;) {
    bool writer;
    {
      absl::MutexLock lock(&mu_);
      writer = term_ != nullptr;
    }
    if (writer) {
      absl::Status held = lease_->HoldUntil(stop_);
      if (held.ok()) return;  // Stopping.
      SetStandbyReason(held);
      StandBy(held);
    }
    if (stop_.WaitForNotificationWithTimeout(retry_interval_)) return;
    if (absl::Status status = TryTakeOver(); !status.ok()) {
      Say(absl::StrCat("cannot take the writer role yet: ", status.ToString()));
    }
  }
}

absl::Status WriterRole::TryTakeOver() {
  absl::StatusOr<bool> taken = lease_->TryAcquire();
  if (!taken.ok()) {
    SetStandbyReason(taken.status());
    return taken.status();
  }
  if (!*taken) {  // Still the standby.
    SetStandbyReason(absl::OkStatus());
    return absl::OkStatus();
  }
  auto term = std::make_shared<Term>();
  absl::StatusOr<std::unique_ptr<storage::BudgetStore>> store =
      open_store_(store_spec_);
  if (!store.ok()) {
    lease_->Release();
    SetStandbyReason(store.status());
    return store.status();
  }
  term->store = *std::move(store);
  term->store->SetWriterEpoch(lease_->epoch());
  absl::StatusOr<std::unique_ptr<Ingestor>> ingestor =
      Ingestor::Create(term->store.get(), validation_);
  if (!ingestor.ok()) {
    lease_->Release();
    SetStandbyReason(ingestor.status());
    return ingestor.status();
  }
  term->ingestor = *std::move(ingestor);
  term->ingestor->set_observer(observer_);
  Say(absl::StrCat("the writer of the store (lease epoch ", lease_->epoch(),
                   "): registry, budgets and locks loaded"));
  absl::MutexLock lock(&mu_);
  term_ = term;
  latest_term_ = std::move(term);
  if (listener_) listener_(true);
  return absl::OkStatus();
}

void WriterRole::StandBy(const absl::Status& why) {
  lease_->Release();
  Say(absl::StrCat("standing by: ", why.message()));
  absl::MutexLock lock(&mu_);
  term_ = nullptr;
  if (listener_) listener_(false);
}

void WriterRole::SetStandbyReason(const absl::Status& failure) {
  absl::Status reason =
      failure.ok()
          ? absl::OkStatus()
          : absl::UnavailableError(absl::StrCat(
                "this ingest service is not the writer: it could not take "
                "over the store (",
                failure.message(), "); it tries again every ",
                absl::FormatDuration(retry_interval_), "; retry later"));
  absl::MutexLock lock(&mu_);
  standby_reason_ = std::move(reason);
}

void WriterRole::Say(const std::string& message) {
  if (message == last_said_) return;
  last_said_ = message;
  absl::FPrintF(stderr, "ingest_service: %s\n", message);
}

}  // namespace ingest
