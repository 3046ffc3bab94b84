// Keeps a ConsolidatedView in step with the store: a thread that polls the
// store read-only (skipping reads while PRAGMA data_version is unchanged)
// and applies each new registry entry and submission. When the store file
// does not exist yet it waits for the ingest service to create it, saying
// so once on stderr.
//
// Owns its thread and the feed; borrows the view, which must outlive it.
// Start and Stop from one thread.
#ifndef QUERY_SERVICE_STORE_TAILER_H_
#define QUERY_SERVICE_STORE_TAILER_H_

#include <memory>
#include <string>
#include <thread>

#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "query_service/consolidated_view.h"
#include "storage/submission_feed.h"

namespace query {

class StoreTailer {
 public:
  StoreTailer(std::string store_spec, absl::Duration poll_interval,
              ConsolidatedView* view);
  ~StoreTailer();  // Stops.

  void Start();
  void Stop();

 private:
  void Run();
  // Reads and applies until caught up (nothing while the store is absent).
  void CatchUp();

  const std::string store_spec_;
  const absl::Duration poll_interval_;
  ConsolidatedView* const view_;
  std::unique_ptr<storage::SubmissionFeed> feed_;
  int64_t last_unit_seq_ = 0;
  int64_t last_revision_ = 0;
  int64_t data_version_ = -1;
  bool said_waiting_ = false;
  absl::Notification stop_;
  std::thread thread_;
};

}  // namespace query

#endif  // QUERY_SERVICE_STORE_TAILER_H_
