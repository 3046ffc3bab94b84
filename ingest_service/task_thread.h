// Runs tasks one after another, in the order they were posted, on a thread
// of its own. The Ingestor's commit thread posts the answers of each group
// commit here, so that writing them back to the callers (each a serialized
// reply, a call-log line and a gRPC write) overlaps the next group's
// commit instead of delaying its start.
//
// Thread-safe. Stop (and the destructor) runs every task posted before it,
// then joins the thread; nothing may be posted after Stop.
#ifndef INGEST_SERVICE_TASK_THREAD_H_
#define INGEST_SERVICE_TASK_THREAD_H_

#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/functional/any_invocable.h"
#include "absl/synchronization/mutex.h"

namespace ingest {

class TaskThread {
 public:
  using Task = absl::AnyInvocable<void() &&>;

  TaskThread();
  ~TaskThread();  // Stops.

  TaskThread(const TaskThread&) = delete;
  TaskThread& operator=(const TaskThread&) = delete;

  void Post(Task task) ABSL_LOCKS_EXCLUDED(mu_);
  // Runs what was posted, then joins. Idempotent.
  void Stop() ABSL_LOCKS_EXCLUDED(mu_);

 private:
  void Run() ABSL_LOCKS_EXCLUDED(mu_);

  absl::Mutex mu_;
  std::vector<Task> tasks_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace ingest

#endif  // INGEST_SERVICE_TASK_THREAD_H_
