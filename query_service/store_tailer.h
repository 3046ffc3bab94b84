// Keeps a ConsolidatedView in step with the store, read-only, on a thread
// of its own, applying each new registry entry, submission and lock.
//
// SQLite (same host): polls every `poll_interval`, skipping reads while
// PRAGMA data_version is unchanged. When the store file does not exist yet
// it waits for the ingest service to create it, saying so once on stderr.
//
// PostgreSQL (any host: a query replica): waits for the feed's change
// notifications (LISTEN on the channel the store NOTIFYs in each commit,
// storage/submission_feed.h) and reads only when told: in the steady state
// it waits on the connection's socket and reads nothing. A change is read
// at once unless the last read was less than `poll_interval` ago; then
// after it, with whatever else committed meanwhile. After (re)connecting
// it catches up by reading everything after the revision it applied, the
// LISTEN being in force first, so no commit goes unheard. While the server
// is away it retries every second; the view keeps serving the revision it
// has.
//
// Lag() says how far behind the store it is, for metrics.
//
// A cold backlog (a start-up, or a replica far behind) is read in batches,
// read and packed ahead on other threads (backlog_pipeline.h) while the
// tailing thread applies them; a few batches behind, it reads and applies
// them in turn.
//
// Owns its threads and the feed; borrows the view,
// which must outlive it. Start and Stop from one thread; Lag from any.
#ifndef QUERY_SERVICE_STORE_TAILER_H_
#define QUERY_SERVICE_STORE_TAILER_H_

#include <cstdint>
#include <memory>
#include <string>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "query_service/consolidated_view.h"
#include "storage/submission_feed.h"

namespace query {

// How far a tailer is behind the store.
struct ReplicaLag {
  // The newest consolidated revision the tailer has heard of (from a
  // notification or a read) minus the one applied; 0 when caught up. On
  // SQLite it reads what it learns of at once, so this stays 0.
  int64_t revisions = 0;
  // How long the tailer has been behind: since it first heard of a
  // revision newer than the one applied (the feed carries no commit time),
  // while it has not caught up, or since its reads of the store began to
  // fail, whichever is longer; zero when caught up.
  absl::Duration behind;
};

class StoreTailer {
 public:
  // How far behind the first batch of a catch-up the store's head must be
  // for the catch-up to load a cold backlog (see CatchUp): a start-up at M
  // is ~28,000 revisions, at L several times that; a live replica under
  // 2,000 submissions a second falls a few hundred behind.
  static constexpr int64_t kColdBacklogRevisions = 10000;

  StoreTailer(std::string store_spec, absl::Duration poll_interval,
              ConsolidatedView* view,
              int64_t cold_backlog_revisions = kColdBacklogRevisions);
  ~StoreTailer();  // Stops.

  void Start();
  void Stop();

  // Thread-safe.
  ReplicaLag Lag() const;
  // How many catch-ups loaded a cold backlog. Thread-safe.
  int64_t ColdBacklogs() const;
  // How many times it read the store because it may have changed (each
  // catch-up, however many batches it took). Thread-safe.
  int64_t CatchUps() const;

 private:
  void Poll();    // SQLite.
  void Listen();  // PostgreSQL.
  // Reads and applies until caught up (nothing while the store is absent);
  // false when a read failed (retried later). A catch-up whose first batch
  // is full and cold_backlog_revisions_ or more behind the store's head
  // loads a cold backlog: a pipeline reads ahead, the rollups are compacted
  // at the end (ConsolidatedView::Compactions::kAtEnd), the heap trimmed.
  bool CatchUp();
  // CatchUp's reads; sets `head` to the store's head revision as the last
  // batch read saw it.
  bool ReadToHead(int64_t& head);
  // The batch after `after_unit_seq` and `after_revision`, packed.
  absl::StatusOr<ConsolidatedView::PackedBatch> ReadPacked(
      int64_t after_unit_seq, int64_t after_revision);
  // Applies a batch read to the view, counting it as applied; `compactions`
  // as ConsolidatedView::Apply.
  void Apply(const ConsolidatedView::PackedBatch& batch,
             ConsolidatedView::Compactions compactions);
  // The store's head is at least `revision`.
  void Heard(int64_t revision);
  // Logs `message` unless it repeats the previous one.
  void Say(const std::string& message);

  const std::string store_spec_;
  const absl::Duration poll_interval_;
  ConsolidatedView* const view_;
  const int64_t cold_backlog_revisions_;
  std::unique_ptr<storage::SubmissionFeed> feed_;
  int64_t last_unit_seq_ = 0;
  int64_t data_version_ = -1;
  std::string last_said_;
  absl::Notification stop_;
  std::thread thread_;

  mutable absl::Mutex mu_;
  int64_t applied_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t heard_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t cold_backlogs_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t catch_ups_ ABSL_GUARDED_BY(mu_) = 0;
  absl::Time heard_unapplied_at_ ABSL_GUARDED_BY(mu_);
  // When reads of a store read before began to fail; InfiniteFuture while
  // they succeed.
  absl::Time unreachable_since_ ABSL_GUARDED_BY(mu_) = absl::InfiniteFuture();
  bool has_read_ = false;  // The tailer thread's.
};

}  // namespace query

#endif  // QUERY_SERVICE_STORE_TAILER_H_
