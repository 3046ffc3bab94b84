// Runs closures one after another, in the order added, on a thread of its
// own. The Ingestor's commit thread hands it each settled group commit's
// answers (the callers' replies, written to their sockets, and the freeing
// of the budgets the group replaced), so that the next group's transaction
// starts as soon as the last one is durable instead of after those
// replies: with 8 unary calls in flight, answering a group took about as
// long as committing it (docs/benchmarks.md, "Issue 17 item 2, SQLite,
// round 9").
//
// Thread-safe. The destructor runs everything added before it returns.
#ifndef INGEST_SERVICE_ANSWER_THREAD_H_
#define INGEST_SERVICE_ANSWER_THREAD_H_

#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/functional/any_invocable.h"
#include "absl/synchronization/mutex.h"

namespace ingest {

class AnswerThread {
 public:
  AnswerThread();
  ~AnswerThread();

  AnswerThread(const AnswerThread&) = delete;
  AnswerThread& operator=(const AnswerThread&) = delete;

  // Runs `answer` on the thread after everything added before it.
  void Add(absl::AnyInvocable<void() &&> answer);

 private:
  void Run();

  absl::Mutex mu_;
  std::vector<absl::AnyInvocable<void() &&>> queued_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace ingest

#endif  // INGEST_SERVICE_ANSWER_THREAD_H_
