#include "ingest_service/task_thread.h"

#include <utility>

namespace ingest {

TaskThread::TaskThread() : thread_([this] { Run(); }) {}

TaskThread::~TaskThread() { Stop(); }

void TaskThread::Post(Task task) {
  absl::MutexLock lock(&mu_);
  tasks_.push_back(std::move(task));
}

void TaskThread::Stop() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  if (thread_.joinable()) thread_.join();
}

void TaskThread::Run() {
  auto work = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return !tasks_.empty() || stopping_;
  };
  std::vector<Task> tasks;
  for (;;) {
    {
      absl::MutexLock lock(&mu_);
      mu_.Await(absl::Condition(&work));
      if (tasks_.empty()) return;  // Stopping, and everything ran.
      tasks.swap(tasks_);
    }
    for (Task& task : tasks) std::move(task)();
    tasks.clear();
  }
}

}  // namespace ingest
