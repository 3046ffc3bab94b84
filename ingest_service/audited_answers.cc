#include "ingest_service/audited_answers.h"

#include <utility>

namespace ingest {

AuditedAnswers::AuditedAnswers(const server_common::AccessGate* gate)
    : gate_(gate), writer_([this] { Run(); }) {}

AuditedAnswers::~AuditedAnswers() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  writer_.join();
}

void AuditedAnswers::Add(budget::v1::AuditRecord record,
                         absl::AnyInvocable<void() &&> answer) {
  absl::MutexLock lock(&mu_);
  records_.push_back(std::move(record));
  answers_.push_back(std::move(answer));
}

void AuditedAnswers::Run() {
  auto work = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return !records_.empty() || stopping_;
  };
  for (;;) {
    std::vector<budget::v1::AuditRecord> records;
    std::vector<absl::AnyInvocable<void() &&>> answers;
    {
      absl::MutexLock lock(&mu_);
      mu_.Await(absl::Condition(&work));
      if (records_.empty()) return;  // Stopping, nothing left to answer.
      records.swap(records_);
      answers.swap(answers_);
    }
    gate_->RecordAll(std::move(records));
    for (absl::AnyInvocable<void() &&>& answer : answers) {
      std::move(answer)();
    }
  }
}

}  // namespace ingest
