#include "ingest_service/answer_thread.h"

#include <utility>

namespace ingest {

AnswerThread::AnswerThread() : thread_([this] { Run(); }) {}

AnswerThread::~AnswerThread() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  thread_.join();
}

void AnswerThread::Add(absl::AnyInvocable<void() &&> answer) {
  absl::MutexLock lock(&mu_);
  queued_.push_back(std::move(answer));
}

void AnswerThread::Run() {
  auto work = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return !queued_.empty() || stopping_;
  };
  for (;;) {
    std::vector<absl::AnyInvocable<void() &&>> answers;
    {
      absl::MutexLock lock(&mu_);
      mu_.Await(absl::Condition(&work));
      if (queued_.empty()) return;  // Stopping, and everything answered.
      answers = std::exchange(queued_, {});
    }
    for (absl::AnyInvocable<void() &&>& answer : answers) {
      std::move(answer)();
    }
  }
}

}  // namespace ingest
