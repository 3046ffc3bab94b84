#include "query_service/as_of_views.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "storage/submission_feed.h"

namespace query {
namespace {

// What a held state costs beside its budgets' encoded bytes: parsed
// messages, packed lines and rollups of four stages.
constexpr size_t kBytesPerEncodedByte = 4;

// google.protobuf.Timestamp's valid range (0001-01-01 to 9999-12-31).
constexpr int64_t kMinSeconds = -62135596800;
constexpr int64_t kMaxSeconds = 253402300799;

absl::StatusOr<absl::Time> TimeOf(const google::protobuf::Timestamp& time) {
  if (time.seconds() < kMinSeconds || time.seconds() > kMaxSeconds ||
      time.nanos() < 0 || time.nanos() > 999'999'999) {
    return absl::InvalidArgumentError(absl::StrCat(
        "read.as_of_time: seconds ", time.seconds(), ", nanos ", time.nanos(),
        " given; expected a time from 0001-01-01 to 9999-12-31 UTC with "
        "nanos in [0, 999999999]"));
  }
  return absl::FromUnixSeconds(time.seconds()) +
         absl::Nanoseconds(time.nanos());
}

}  // namespace

class AsOfViews::Slot {
 public:
  explicit Slot(AsOfViews* owner) : owner_(owner) {}
  ~Slot() {
    absl::MutexLock lock(&owner_->mu_);
    --owner_->builds_;
  }

 private:
  AsOfViews* const owner_;
};

AsOfViews::AsOfViews(std::string store_spec, Limits limits)
    : store_spec_(std::move(store_spec)), limits_(limits) {}

bool AsOfViews::AsksForPast(const budget::v1::ReadOptions& read) {
  return read.as_of_revision() != 0 || read.has_as_of_time();
}

absl::StatusOr<std::shared_ptr<const ConsolidatedView>> AsOfViews::At(
    const budget::v1::ReadOptions& read, std::vector<int32_t> years,
    int64_t applied) {
  if (!AsksForPast(read)) return nullptr;
  if (read.as_of_revision() != 0 && read.has_as_of_time()) {
    return absl::InvalidArgumentError(
        absl::StrCat("read.as_of_revision: ", read.as_of_revision(),
                     " given with read.as_of_time; expected one of them"));
  }
  if (read.as_of_revision() < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("read.as_of_revision: ", read.as_of_revision(),
                     " given; expected a consolidated revision >= 1"));
  }
  std::optional<absl::Time> time;
  if (read.has_as_of_time()) {
    absl::StatusOr<absl::Time> asked = TimeOf(read.as_of_time());
    if (!asked.ok()) return asked.status();
    const absl::Time now = absl::Now();
    if (*asked > now) {
      return absl::OutOfRangeError(
          absl::StrCat("read.as_of_time: ", absl::FormatTime(*asked),
                       " given; expected a time not after now (",
                       absl::FormatTime(now), ")"));
    }
    time = *asked;
  }
  std::sort(years.begin(), years.end());
  years.erase(std::unique(years.begin(), years.end()), years.end());

  std::unique_ptr<Slot> slot;
  std::unique_ptr<storage::SubmissionFeed> feed;
  // Takes a build slot and opens the store, once.
  auto open = [&]() -> absl::Status {
    if (feed != nullptr) return absl::OkStatus();
    absl::StatusOr<std::unique_ptr<Slot>> taken = TakeSlot();
    if (!taken.ok()) return taken.status();
    slot = *std::move(taken);
    absl::StatusOr<std::unique_ptr<storage::SubmissionFeed>> opened =
        storage::SubmissionFeed::Open(store_spec_);
    if (!opened.ok()) return opened.status();
    feed = *std::move(opened);
    return absl::OkStatus();
  };

  int64_t revision = read.as_of_revision();
  if (time.has_value()) {
    if (absl::Status s = open(); !s.ok()) return s;
    absl::StatusOr<int64_t> at = feed->RevisionAt(*time);
    if (!at.ok()) return at.status();
    if (*at == 0) {
      return absl::OutOfRangeError(
          absl::StrCat("read.as_of_time: ", absl::FormatTime(*time),
                       " given; nothing was committed by then"));
    }
    revision = *at;
  }
  if (revision > applied) {
    return absl::OutOfRangeError(absl::StrCat(
        time.has_value() ? "read.as_of_time names consolidated revision "
                         : "read.as_of_revision: ",
        revision, time.has_value() ? "" : " given",
        "; this service has applied up to ", applied,
        " (set read.min_revision to ", revision, " to wait for it)"));
  }
  const Key key{revision, time ? absl::ToUnixMicros(*time) : -1, years};
  if (std::shared_ptr<const ConsolidatedView> held = Find(key)) return held;
  if (absl::Status s = open(); !s.ok()) return s;
  storage::AsOfRead past{revision, time, years, limits_.max_lines};
  absl::StatusOr<storage::FeedBatch> batch = feed->ReadAsOf(past);
  if (!batch.ok()) return batch.status();
  size_t bytes = 0;
  for (const storage::FeedSubmission& entry : batch->submissions) {
    bytes += entry.record.has_value() ? entry.record->ByteSizeLong()
                                      : entry.budget.ByteSizeLong();
  }
  // Read once, never watched: no replay log.
  auto view = std::make_shared<ConsolidatedView>(RevisionWaiters::Limits(),
                                                 /*replay_revisions=*/0);
  view->Apply(*batch);
  Keep(key, view, bytes * kBytesPerEncodedByte);
  return view;
}

absl::StatusOr<std::unique_ptr<AsOfViews::Slot>> AsOfViews::TakeSlot() {
  absl::MutexLock lock(&mu_);
  if (builds_ >= limits_.max_builds) {
    return absl::ResourceExhaustedError(absl::StrCat(
        limits_.max_builds,
        " reads as of a past revision are reading the store already "
        "(--max_as_of_builds); retry later"));
  }
  ++builds_;
  return std::make_unique<Slot>(this);
}

std::shared_ptr<const ConsolidatedView> AsOfViews::Find(const Key& key) {
  absl::MutexLock lock(&mu_);
  auto found = entries_.find(key);
  if (found == entries_.end()) return nullptr;
  ages_.splice(ages_.begin(), ages_, found->second.age);
  return found->second.view;
}

void AsOfViews::Keep(const Key& key,
                     std::shared_ptr<const ConsolidatedView> view,
                     size_t bytes) {
  absl::MutexLock lock(&mu_);
  if (bytes > limits_.cache_bytes || entries_.count(key) > 0) return;
  while (bytes_ + bytes > limits_.cache_bytes) {
    auto oldest = entries_.find(ages_.back());
    bytes_ -= oldest->second.bytes;
    entries_.erase(oldest);
    ages_.pop_back();
  }
  ages_.push_front(key);
  entries_.emplace(key, Entry{std::move(view), bytes, ages_.begin()});
  bytes_ += bytes;
}

size_t AsOfViews::cached() const {
  absl::MutexLock lock(&mu_);
  return entries_.size();
}

size_t AsOfViews::cached_bytes() const {
  absl::MutexLock lock(&mu_);
  return bytes_;
}

}  // namespace query
