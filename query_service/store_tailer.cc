#include "query_service/store_tailer.h"

#include <cstdio>
#include <utility>

#include "absl/strings/str_format.h"

namespace query {
namespace {

// Submissions read per transaction, so a long backlog at start-up does not
// hold one read transaction (and the WAL) open for long.
constexpr int kBatchLimit = 500;

}  // namespace

StoreTailer::StoreTailer(std::string store_spec, absl::Duration poll_interval,
                         ConsolidatedView* view)
    : store_spec_(std::move(store_spec)),
      poll_interval_(poll_interval),
      view_(view) {}

StoreTailer::~StoreTailer() { Stop(); }

void StoreTailer::Start() {
  thread_ = std::thread([this] { Run(); });
}

void StoreTailer::Stop() {
  if (!thread_.joinable()) return;
  stop_.Notify();
  thread_.join();
}

void StoreTailer::Run() {
  do {
    CatchUp();
  } while (!stop_.WaitForNotificationWithTimeout(poll_interval_));
}

void StoreTailer::CatchUp() {
  if (feed_ == nullptr) {
    absl::StatusOr<std::unique_ptr<storage::SubmissionFeed>> feed =
        storage::SubmissionFeed::Open(store_spec_);
    if (!feed.ok()) {
      if (!said_waiting_) {
        absl::FPrintF(stderr, "query_service: waiting for the store: %s\n",
                      feed.status().ToString());
        said_waiting_ = true;
      }
      return;
    }
    feed_ = *std::move(feed);
  }
  absl::StatusOr<int64_t> version = feed_->DataVersion();
  if (version.ok() && *version == data_version_) return;
  for (;;) {
    absl::StatusOr<storage::FeedBatch> batch =
        feed_->ReadAfter(last_unit_seq_, last_revision_, kBatchLimit);
    if (!batch.ok()) {
      absl::FPrintF(stderr, "query_service: reading the store: %s\n",
                    batch.status().ToString());
      return;  // Retried at the next poll: data_version_ kept.
    }
    last_unit_seq_ = batch->last_unit_seq;
    if (!batch->submissions.empty()) {
      last_revision_ = batch->submissions.back().consolidated_revision;
    }
    view_->Apply(*batch);
    if (batch->submissions.size() < static_cast<size_t>(kBatchLimit)) break;
  }
  if (version.ok()) data_version_ = *version;
}

}  // namespace query
