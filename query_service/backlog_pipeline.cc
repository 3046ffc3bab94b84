#include "query_service/backlog_pipeline.h"

#include <pthread.h>

#include <algorithm>
#include <utility>

namespace query {

BacklogPipeline::BacklogPipeline(Read read, int limit, int64_t after_unit_seq,
                                 int64_t after_revision, int packers, int ahead)
    : read_(std::move(read)), limit_(limit), ahead_(std::max(ahead, 1)) {
  // Named, so that a profile or /proc/PID/task tells the stages apart.
  reader_ = std::thread([this, after_unit_seq, after_revision] {
    pthread_setname_np(pthread_self(), "backlog-read");
    ReadAll(after_unit_seq, after_revision);
  });
  for (int i = 0; i < std::max(packers, 1); ++i) {
    packers_.emplace_back([this] {
      pthread_setname_np(pthread_self(), "backlog-pack");
      PackAll();
    });
  }
}

BacklogPipeline::~BacklogPipeline() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  reader_.join();
  for (std::thread& packer : packers_) packer.join();
}

int BacklogPipeline::DefaultPackers() {
  const int cores = static_cast<int>(std::thread::hardware_concurrency());
  return std::clamp(cores, 2, 8);
}

absl::StatusOr<ConsolidatedView::PackedBatch> BacklogPipeline::Next() {
  absl::MutexLock lock(&mu_);
  mu_.Await(absl::Condition(this, &BacklogPipeline::NextPacked));
  auto found = packed_.find(taken_);
  absl::StatusOr<ConsolidatedView::PackedBatch> batch =
      std::move(found->second);
  packed_.erase(found);
  ++taken_;
  return batch;
}

void BacklogPipeline::ReadAll(int64_t after_unit_seq, int64_t after_revision) {
  for (;;) {
    {
      absl::MutexLock lock(&mu_);
      mu_.Await(absl::Condition(this, &BacklogPipeline::ReaderMayRead));
      if (stopping_) break;
    }
    absl::StatusOr<storage::FeedBatch> batch =
        read_(after_unit_seq, after_revision);
    const bool more =
        batch.ok() && batch->submissions.size() == static_cast<size_t>(limit_);
    if (more) {
      after_unit_seq = batch->last_unit_seq;
      after_revision = batch->submissions.back().consolidated_revision;
    }
    absl::MutexLock lock(&mu_);
    unpacked_.emplace(read_count_++, std::move(batch));
    if (!more) break;
  }
  absl::MutexLock lock(&mu_);
  read_all_ = true;
}

void BacklogPipeline::PackAll() {
  for (;;) {
    int64_t index;
    absl::StatusOr<storage::FeedBatch> batch;
    {
      absl::MutexLock lock(&mu_);
      mu_.Await(absl::Condition(this, &BacklogPipeline::PackerHasWork));
      // Stopping, or read to the end and all packed.
      if (stopping_ || unpacked_.empty()) return;
      auto first = unpacked_.begin();
      index = first->first;
      batch = std::move(first->second);
      unpacked_.erase(first);
    }
    absl::StatusOr<ConsolidatedView::PackedBatch> packed =
        batch.ok() ? absl::StatusOr<ConsolidatedView::PackedBatch>(
                         ConsolidatedView::Pack(*std::move(batch)))
                   : batch.status();
    absl::MutexLock lock(&mu_);
    packed_.emplace(index, std::move(packed));
  }
}

bool BacklogPipeline::ReaderMayRead() const {
  return stopping_ || read_count_ - taken_ < ahead_;
}

bool BacklogPipeline::PackerHasWork() const {
  return !unpacked_.empty() || stopping_ || read_all_;
}

bool BacklogPipeline::NextPacked() const { return packed_.count(taken_) > 0; }

}  // namespace query
