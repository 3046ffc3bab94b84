// Answers writes once their audit records are durable, many records to one
// write of the audit trail. The Ingestor settles a whole group commit at
// once; auditing each submission there in its own durable transaction cost
// one fsync per submission, one after another. Add queues
// a record with the answer that waits for it; a thread of this class
// appends everything queued in one AccessGate::RecordAll and then runs the
// answers, in the order added.
//
// Thread-safe. The destructor answers everything queued before it returns.
#ifndef INGEST_SERVICE_AUDITED_ANSWERS_H_
#define INGEST_SERVICE_AUDITED_ANSWERS_H_

#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/functional/any_invocable.h"
#include "absl/synchronization/mutex.h"
#include "budget/v1/audit.pb.h"
#include "server_common/access_gate.h"

namespace ingest {

class AuditedAnswers {
 public:
  // `gate` must outlive this.
  explicit AuditedAnswers(const server_common::AccessGate* gate);
  ~AuditedAnswers();

  AuditedAnswers(const AuditedAnswers&) = delete;
  AuditedAnswers& operator=(const AuditedAnswers&) = delete;

  // Runs `answer` once `record` is appended (durable, or its failure
  // logged by the gate's sink).
  void Add(budget::v1::AuditRecord record,
           absl::AnyInvocable<void() &&> answer);

 private:
  void Run();

  const server_common::AccessGate* const gate_;
  absl::Mutex mu_;
  std::vector<budget::v1::AuditRecord> records_ ABSL_GUARDED_BY(mu_);
  std::vector<absl::AnyInvocable<void() &&>> answers_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::thread writer_;
};

}  // namespace ingest

#endif  // INGEST_SERVICE_AUDITED_ANSWERS_H_
