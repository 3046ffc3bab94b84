// Reads a backlog (a cold start's catch-up) ahead of the thread applying
// it: one reader thread reads the feed's batches in order, a fixed pool of
// packing threads packs them (ConsolidatedView::Pack, the parse and intern
// of every budget), and Next hands them out in the order read.
//
// Why a pool and a queue: decoding costs more CPU than consolidating (at L,
// ~12 s against ~8 s), so it runs on as many threads as the machine has
// cores while the applying thread consolidates; the batches read ahead let
// every thread keep working when the others are slow for a moment (the
// one-slot hand-off and the two-way split per batch it replaced left cores
// idle at each batch's join, and started a thread per batch).
//
// The reader stops after the first batch that is not full (`limit` entries:
// nothing behind it) or that fails. At most `ahead` batches are read and not
// yet taken, which bounds the memory of the batches in flight.
//
// Owns its threads; the read function (and the feed it reads) must outlive
// the pipeline, and only the reader thread calls it. Next is called from one
// thread; the destructor stops reading and joins the threads.
#ifndef QUERY_SERVICE_BACKLOG_PIPELINE_H_
#define QUERY_SERVICE_BACKLOG_PIPELINE_H_

#include <cstdint>
#include <functional>
#include <map>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "query_service/consolidated_view.h"
#include "storage/submission_feed.h"

namespace query {

class BacklogPipeline {
 public:
  // Reads the batch after a registry position and a consolidated revision.
  using Read = std::function<absl::StatusOr<storage::FeedBatch>(
      int64_t after_unit_seq, int64_t after_revision)>;

  // Starts reading after `after_unit_seq` and `after_revision`; `packers`
  // packing threads (at least 1), `ahead` batches in flight (at least 1).
  BacklogPipeline(Read read, int limit, int64_t after_unit_seq,
                  int64_t after_revision, int packers, int ahead);
  ~BacklogPipeline();

  BacklogPipeline(const BacklogPipeline&) = delete;
  BacklogPipeline& operator=(const BacklogPipeline&) = delete;

  // The next batch in the order read, packed, or the read's error; waits
  // for it. Not to be called after a batch that is not full or an error
  // (nothing is read after those).
  absl::StatusOr<ConsolidatedView::PackedBatch> Next();

  // Packing threads for this machine: one per core, at least two (decoding
  // is the larger half of a cold start), at most eight.
  static int DefaultPackers();

 private:
  void ReadAll(int64_t after_unit_seq, int64_t after_revision);
  void PackAll();

  bool ReaderMayRead() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  bool PackerHasWork() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  bool NextPacked() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const Read read_;
  const int limit_;
  const int64_t ahead_;

  absl::Mutex mu_;
  int64_t read_count_ ABSL_GUARDED_BY(mu_) = 0;  // Batches read so far.
  int64_t taken_ ABSL_GUARDED_BY(mu_) = 0;       // Batches Next returned.
  bool read_all_ ABSL_GUARDED_BY(mu_) = false;   // The reader has stopped.
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  // By read order: batches read and not yet packed, and packed ones not
  // yet taken.
  std::map<int64_t, absl::StatusOr<storage::FeedBatch>> unpacked_
      ABSL_GUARDED_BY(mu_);
  std::map<int64_t, absl::StatusOr<ConsolidatedView::PackedBatch>> packed_
      ABSL_GUARDED_BY(mu_);

  std::thread reader_;
  std::vector<std::thread> packers_;
};

}  // namespace query

#endif  // QUERY_SERVICE_BACKLOG_PIPELINE_H_
