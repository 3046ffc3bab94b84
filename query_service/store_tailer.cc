#include "query_service/store_tailer.h"

#include <malloc.h>
#include <pthread.h>

#include <algorithm>
#include <cstdio>
#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "query_service/backlog_pipeline.h"
#include "storage/postgres/pg_connection.h"

namespace query {
namespace {

// Submissions read per transaction, so a long backlog at start-up does not
// hold one read transaction (and the WAL) open for long; small enough that
// the parsed messages of the batches in flight (~50 kB a 200-line budget)
// stay a few MB, which a cold replica would otherwise keep as free heap.
constexpr int kBatchLimit = 100;

// How often a tailer retries a server that is away; also the longest it
// waits on the socket before noticing Stop.
constexpr absl::Duration kRetry = absl::Seconds(1);

// A batch holding the limit may have more behind it.
bool IsFull(const ConsolidatedView::PackedBatch& batch) {
  return batch.feed.submissions.size() == static_cast<size_t>(kBatchLimit);
}

// The consolidated revision of a non-empty batch's last entry.
int64_t LastRevision(const ConsolidatedView::PackedBatch& batch) {
  return batch.feed.submissions.back().consolidated_revision;
}

// Batches a backlog is read ahead of the one applied, per packing thread:
// enough that a packer finishing a batch finds the next one read.
constexpr int kAheadPerPacker = 2;

}  // namespace

StoreTailer::StoreTailer(std::string store_spec, absl::Duration poll_interval,
                         ConsolidatedView* view, int64_t cold_backlog_revisions)
    : store_spec_(std::move(store_spec)),
      poll_interval_(poll_interval),
      view_(view),
      cold_backlog_revisions_(cold_backlog_revisions) {}

StoreTailer::~StoreTailer() { Stop(); }

void StoreTailer::Start() {
  thread_ = std::thread([this] {
    // The thread that applies: named for profiles and /proc/PID/task.
    pthread_setname_np(pthread_self(), "store-tailer");
    if (storage::IsPostgresUri(store_spec_)) {
      Listen();
    } else {
      Poll();
    }
  });
}

void StoreTailer::Stop() {
  if (!thread_.joinable()) return;
  stop_.Notify();
  thread_.join();
}

int64_t StoreTailer::ColdBacklogs() const {
  absl::MutexLock lock(&mu_);
  return cold_backlogs_;
}

int64_t StoreTailer::CatchUps() const {
  absl::MutexLock lock(&mu_);
  return catch_ups_;
}

ReplicaLag StoreTailer::Lag() const {
  const absl::Time now = absl::Now();
  absl::MutexLock lock(&mu_);
  ReplicaLag lag;
  if (heard_ > applied_) lag = {heard_ - applied_, now - heard_unapplied_at_};
  // A store it cannot read may have moved on since.
  lag.behind = std::max(lag.behind, now - std::min(now, unreachable_since_));
  return lag;
}

void StoreTailer::Poll() {
  do {
    if (feed_ == nullptr) {
      CatchUp();
      continue;
    }
    absl::StatusOr<int64_t> version = feed_->DataVersion();
    if (version.ok() && *version == data_version_) continue;
    if (CatchUp() && version.ok()) data_version_ = *version;
  } while (!stop_.WaitForNotificationWithTimeout(poll_interval_));
}

void StoreTailer::Listen() {
  bool behind = true;  // Must read everything after the applied revision.
  absl::Time last_read = absl::InfinitePast();
  while (!stop_.HasBeenNotified()) {
    // The feed's first wait LISTENs and returns true, so the read after it
    // covers whatever committed before the LISTEN took effect.
    if (behind) {
      // At most one read per poll_interval_, as on SQLite: a read costs the
      // server and this thread about as much as the budgets it brings
      // under a stream of small group commits, so commits arriving in quick
      // succession are read together. The first change after a quiet
      // spell is read at once.
      const absl::Duration since = absl::Now() - last_read;
      if (since < poll_interval_ &&
          stop_.WaitForNotificationWithTimeout(poll_interval_ - since)) {
        break;
      }
      last_read = absl::Now();
      behind = !CatchUp();
    }
    if (feed_ == nullptr) {
      stop_.WaitForNotificationWithTimeout(kRetry);
      continue;
    }
    absl::StatusOr<bool> changed = feed_->WaitForChange(kRetry);
    if (!changed.ok()) {
      // The next call reconnects and LISTENs again; notifications sent
      // meanwhile are lost, hence the catch-up.
      Say(absl::StrCat("lost the store: ", changed.status().ToString()));
      behind = true;
      stop_.WaitForNotificationWithTimeout(kRetry);
      continue;
    }
    if (feed_->NotifiedRevision() > 0) Heard(feed_->NotifiedRevision());
    if (*changed) behind = true;
  }
}

bool StoreTailer::CatchUp() {
  int64_t head = 0;
  const bool caught_up = ReadToHead(head);
  const absl::Time now = absl::Now();
  absl::MutexLock lock(&mu_);
  if (caught_up) {
    // The store's head as read replaces whatever notifications claimed
    // (anyone who may connect can send one): the lag is the store's.
    heard_ = std::max(head, applied_);
    unreachable_since_ = absl::InfiniteFuture();
  } else if (has_read_ && unreachable_since_ == absl::InfiniteFuture()) {
    unreachable_since_ = now;
  }
  return caught_up;
}

bool StoreTailer::ReadToHead(int64_t& head) {
  if (feed_ == nullptr) {
    absl::StatusOr<std::unique_ptr<storage::SubmissionFeed>> feed =
        storage::SubmissionFeed::Open(store_spec_);
    if (!feed.ok()) {
      Say(absl::StrCat("waiting for the store: ", feed.status().ToString()));
      return false;
    }
    feed_ = *std::move(feed);
  }
  int64_t applied;
  {
    absl::MutexLock lock(&mu_);
    applied = applied_;
    ++catch_ups_;
  }
  absl::StatusOr<ConsolidatedView::PackedBatch> next =
      ReadPacked(last_unit_seq_, applied);
  if (!next.ok()) {
    Say(absl::StrCat("reading the store: ", next.status().ToString()));
    return false;
  }
  // A full batch may have more behind it. A cold backlog (a start-up, or a
  // replica far behind: cold_backlog_revisions_ or more behind the batch)
  // is read and packed ahead by a pipeline on other threads while this
  // thread applies it, so that decoding and consolidating share every core;
  // each rollup is written many times in a row, so its cells are compacted
  // once, at the end, and the heap the parsing freed is handed back. A live
  // tailer a few batches behind (a burst of submissions) reads them here and
  // applies them as a caught-up one does: starting threads, compacting
  // every rollup due and trimming the heap at each burst cost the replica
  // more than the burst.
  const bool cold =
      IsFull(*next) &&
      next->feed.head_revision - LastRevision(*next) >= cold_backlog_revisions_;
  std::optional<BacklogPipeline> backlog;
  if (cold) {
    feed_->ReadAheadForBacklog();
    // Up to where Watch's replay log begins, the budgets a later revision
    // replaced are not read: the state is the same without them, and at L
    // they were 43 % of the payloads a start read, decompressed and parsed.
    const int64_t superseded_through = std::max<int64_t>(
        0, next->feed.head_revision -
               static_cast<int64_t>(view_->replay_revisions()));
    const int packers = BacklogPipeline::DefaultPackers();
    backlog.emplace(
        [this, superseded_through](int64_t after_unit_seq,
                                   int64_t after_revision) {
          return feed_->ReadAfter(after_unit_seq, after_revision, kBatchLimit,
                                  superseded_through);
        },
        kBatchLimit, next->feed.last_unit_seq, LastRevision(*next), packers,
        kAheadPerPacker * packers);
  }
  bool read = true;
  for (;;) {
    Apply(*next, cold ? ConsolidatedView::Compactions::kAtEnd
                      : ConsolidatedView::Compactions::kAfterBatch);
    if (!IsFull(*next)) break;
    next = cold ? backlog->Next()
                : ReadPacked(last_unit_seq_, LastRevision(*next));
    if (!next.ok()) {
      Say(absl::StrCat("reading the store: ", next.status().ToString()));
      read = false;
      break;
    }
  }
  if (cold) {
    view_->CompactRollups();
    // Reading a backlog parsed and freed a message per budget; glibc keeps
    // what was freed in its arenas, so the replica would hold it for good.
    malloc_trim(0);
    absl::MutexLock lock(&mu_);
    ++cold_backlogs_;
  }
  if (read) {
    head = next->feed.head_revision;
    has_read_ = true;
    Say("following the store");
  }
  return read;
}

void StoreTailer::Apply(const ConsolidatedView::PackedBatch& batch,
                        ConsolidatedView::Compactions compactions) {
  last_unit_seq_ = batch.feed.last_unit_seq;
  // Counted as applied just before the view applies it, so that Lag() is 0
  // by the time a reader can see the revision.
  if (!batch.feed.submissions.empty()) {
    const int64_t applied = LastRevision(batch);
    Heard(applied);
    absl::MutexLock lock(&mu_);
    applied_ = applied;
  }
  view_->Apply(batch, compactions);
}

absl::StatusOr<ConsolidatedView::PackedBatch> StoreTailer::ReadPacked(
    int64_t after_unit_seq, int64_t after_revision) {
  absl::StatusOr<storage::FeedBatch> batch = feed_->ReadAfter(
      after_unit_seq, after_revision, kBatchLimit, /*superseded_through=*/0);
  if (!batch.ok()) return batch.status();
  return ConsolidatedView::Pack(*std::move(batch));
}

void StoreTailer::Heard(int64_t revision) {
  absl::MutexLock lock(&mu_);
  if (revision <= heard_) return;
  if (heard_ <= applied_) heard_unapplied_at_ = absl::Now();
  heard_ = revision;
}

void StoreTailer::Say(const std::string& message) {
  if (message == last_said_) return;
  const bool first = last_said_.empty();
  last_said_ = message;
  // Quiet about being fine at start; loud about coming back.
  if (first && message == "following the store") return;
  absl::FPrintF(stderr, "query_service: %s\n", message);
}

}  // namespace query
