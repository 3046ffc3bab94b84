#include "query_service/backlog_pipeline.h"

#include <atomic>
#include <cstdint>
#include <vector>

#include "absl/status/status.h"
#include "gtest/gtest.h"

namespace query {
namespace {

constexpr int kLimit = 3;

// A backlog of `entries` cycle records at revisions 1.., read `kLimit` at a
// time; the read after `fail_after` (if positive) fails.
BacklogPipeline::Read Backlog(int64_t entries, int64_t fail_after,
                              std::atomic<int>* reads) {
  return [=](int64_t after_unit_seq,
             int64_t after) -> absl::StatusOr<storage::FeedBatch> {
    ++*reads;
    if (fail_after > 0 && after >= fail_after) {
      return absl::UnavailableError("the store went away");
    }
    storage::FeedBatch batch;
    batch.last_unit_seq = after_unit_seq + 1;
    for (int64_t r = after + 1; r <= entries && r <= after + kLimit; ++r) {
      storage::FeedSubmission& entry = batch.submissions.emplace_back();
      entry.consolidated_revision = r;
      entry.record = budget::v1::CycleRecord();
    }
    return batch;
  };
}

// Every revision Next hands out, in order, until a batch that is not full.
std::vector<int64_t> Drain(BacklogPipeline& backlog, absl::Status* error) {
  std::vector<int64_t> revisions;
  for (;;) {
    absl::StatusOr<ConsolidatedView::PackedBatch> batch = backlog.Next();
    if (!batch.ok()) {
      *error = batch.status();
      return revisions;
    }
    EXPECT_EQ(batch->packed.size(), batch->feed.submissions.size());
    for (const storage::FeedSubmission& entry : batch->feed.submissions) {
      revisions.push_back(entry.consolidated_revision);
    }
    if (batch->feed.submissions.size() != kLimit) return revisions;
  }
}

TEST(BacklogPipelineTest, HandsOutEveryBatchInTheOrderRead) {
  std::atomic<int> reads{0};
  for (int packers : {1, 2, 5}) {
    BacklogPipeline backlog(Backlog(100, 0, &reads), kLimit, 0, 4, packers,
                            2 * packers);
    absl::Status error;
    std::vector<int64_t> expected;
    for (int64_t r = 5; r <= 100; ++r) expected.push_back(r);
    EXPECT_EQ(Drain(backlog, &error), expected) << packers << " packers";
    EXPECT_TRUE(error.ok()) << error;
  }
}

TEST(BacklogPipelineTest, StopsAfterAnExactlyFullBacklogsEmptyBatch) {
  std::atomic<int> reads{0};
  BacklogPipeline backlog(Backlog(9, 0, &reads), kLimit, 0, 0, 2, 4);
  absl::Status error;
  EXPECT_EQ(Drain(backlog, &error),
            (std::vector<int64_t>{1, 2, 3, 4, 5, 6, 7, 8, 9}));
  EXPECT_EQ(reads.load(), 4);  // Three full batches and an empty one.
}

TEST(BacklogPipelineTest, HandsOutAReadErrorInItsPlaceAndReadsNoFurther) {
  std::atomic<int> reads{0};
  BacklogPipeline backlog(Backlog(100, 6, &reads), kLimit, 0, 0, 2, 4);
  absl::Status error;
  EXPECT_EQ(Drain(backlog, &error), (std::vector<int64_t>{1, 2, 3, 4, 5, 6}));
  EXPECT_EQ(error.code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(reads.load(), 3);
}

TEST(BacklogPipelineTest, ReadsNoMoreThanAheadOfWhatWasTaken) {
  std::atomic<int> reads{0};
  BacklogPipeline backlog(Backlog(1000, 0, &reads), kLimit, 0, 0, 2, 4);
  ASSERT_TRUE(backlog.Next().ok());
  // The reader may fill the window again behind the batch taken, no more.
  absl::SleepFor(absl::Milliseconds(50));
  EXPECT_LE(reads.load(), 5);
}

TEST(BacklogPipelineTest, StopsWhenDestroyedBeforeTheBacklogIsRead) {
  std::atomic<int> reads{0};
  {
    BacklogPipeline backlog(Backlog(1000000, 0, &reads), kLimit, 0, 0, 2, 4);
    ASSERT_TRUE(backlog.Next().ok());
  }
  EXPECT_LT(reads.load(), 10);
}

}  // namespace
}  // namespace query
