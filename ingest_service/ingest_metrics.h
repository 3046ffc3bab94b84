// The ingest service's own Prometheus metrics, recorded as the Ingestor
// reports its work (ingest_observer.h):
//
//   budget_submissions_total{outcome}        accepted | rejected | failed
//   budget_submission_rejections_total{rule_id}
//       rejected submissions per fatal rule they broke (a submission
//       breaking three rules counts once under each)
//   budget_commit_batch_submissions          histogram: submissions per
//                                            store transaction (group commit)
//   budget_commit_duration_seconds           histogram: one transaction,
//                                            durable sync included
//   budget_commits_total{result}             ok | error
//
// Registers its metrics in the registry it is given, which must outlive it.
// Thread-safe.
#ifndef INGEST_SERVICE_INGEST_METRICS_H_
#define INGEST_SERVICE_INGEST_METRICS_H_

#include "ingest_service/ingest_observer.h"
#include "prometheus/counter.h"
#include "prometheus/family.h"
#include "prometheus/histogram.h"
#include "prometheus/registry.h"

namespace ingest {

class IngestMetrics : public IngestObserver {
 public:
  explicit IngestMetrics(prometheus::Registry& registry);

  void Submitted(const absl::Status& status,
                 const budget::v1::ValidationReport& report) override;
  void Committed(size_t submissions, absl::Duration latency,
                 const absl::Status& status) override;

 private:
  prometheus::Counter& accepted_;
  prometheus::Counter& rejected_;
  prometheus::Counter& failed_;
  prometheus::Family<prometheus::Counter>& rejections_;
  prometheus::Histogram& batch_submissions_;
  prometheus::Histogram& commit_seconds_;
  prometheus::Counter& commits_ok_;
  prometheus::Counter& commits_failed_;
};

}  // namespace ingest

#endif  // INGEST_SERVICE_INGEST_METRICS_H_
