// What the Ingestor tells whoever watches it work (the service's metrics,
// ingest_metrics.h), so that the use cases need not know how it is counted
// or exported.
//
// Called from the threads serving calls, outside the Ingestor's lock;
// implementations must be thread-safe and cheap.
#ifndef INGEST_SERVICE_INGEST_OBSERVER_H_
#define INGEST_SERVICE_INGEST_OBSERVER_H_

#include <cstddef>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "budget/v1/budget.pb.h"

namespace ingest {

class IngestObserver {
 public:
  virtual ~IngestObserver() = default;

  // A submission to store (not a dry run) was answered: `status` OK means
  // stored durably; INVALID_ARGUMENT with findings in `report` means rules
  // broke.
  virtual void Submitted(const absl::Status& status,
                         const budget::v1::ValidationReport& report) = 0;
  // One store transaction of `submissions` queued submissions ended with
  // `status` after `latency`.
  virtual void Committed(size_t submissions, absl::Duration latency,
                         const absl::Status& status) = 0;
};

}  // namespace ingest

#endif  // INGEST_SERVICE_INGEST_OBSERVER_H_
