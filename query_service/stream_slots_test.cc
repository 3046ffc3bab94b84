#include "query_service/stream_slots.h"

#include <initializer_list>
#include <optional>
#include <vector>

#include "gtest/gtest.h"

namespace query {
namespace {

// A slot for each of `callers`, every one of which must get it.
std::vector<StreamSlots::Slot> TakeEach(
    StreamSlots& slots, std::initializer_list<const char*> callers) {
  std::vector<StreamSlots::Slot> held;
  for (const char* caller : callers) {
    absl::StatusOr<StreamSlots::Slot> slot = slots.Take(caller);
    EXPECT_TRUE(slot.ok()) << caller << ": " << slot.status();
    if (slot.ok()) held.push_back(*std::move(slot));
  }
  return held;
}

// `refused` says RESOURCE_EXHAUSTED with `message`.
void ExpectRefused(const absl::Status& refused, absl::string_view message) {
  EXPECT_EQ(refused.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(refused.message(), message);
}

TEST(StreamSlotsTest, ACallerGetsItsShareAndNoMore) {
  StreamSlots slots(8, 2, kExportStreams);
  std::vector<StreamSlots::Slot> held =
      TakeEach(slots, {"peer ipv4:10.0.0.7", "peer ipv4:10.0.0.7"});
  ExpectRefused(
      slots.Take("peer ipv4:10.0.0.7").status(),
      "2 exports of this caller are streaming already; at most 2 per "
      "caller (--max_export_streams_per_caller): read them to the end "
      "or cancel them, then retry");
  // Another caller is not held up by the first.
  auto other = slots.Take("principal auditor");
  EXPECT_TRUE(other.ok());
  EXPECT_EQ(slots.taken(), 3);
  EXPECT_EQ(slots.taken_by("peer ipv4:10.0.0.7"), 2);
}

TEST(StreamSlotsTest, AllCallersShareTheTotal) {
  StreamSlots slots(3, 2, kExportStreams);
  std::vector<StreamSlots::Slot> held = TakeEach(slots, {"a", "b", "c"});
  ExpectRefused(slots.Take("d").status(),
                "3 exports are streaming already (--max_export_streams); retry "
                "later");
}

TEST(StreamSlotsTest, WatchRefusalsNameWatchesAndTheirFlags) {
  StreamSlots slots(3, 2, kWatchStreams);
  std::vector<StreamSlots::Slot> held = TakeEach(slots, {"a", "a", "b"});
  ExpectRefused(
      slots.Take("a").status(),
      "2 Watch streams of this caller are open already; at most 2 per "
      "caller (--max_watch_streams_per_caller): cancel the Watches it "
      "no longer needs, then retry");
  ExpectRefused(slots.Take("c").status(),
                "3 Watch streams are open already (--max_watch_streams); retry "
                "later");
}

TEST(StreamSlotsTest, ASlotIsGivenBackWhenDestroyed) {
  StreamSlots slots(2, 1, kExportStreams);
  std::optional<StreamSlots::Slot> held;
  {
    auto slot = slots.Take("a");
    ASSERT_TRUE(slot.ok());
    // Moved out of the StatusOr: only its last holder gives it back.
    held.emplace(*std::move(slot));
  }
  EXPECT_EQ(slots.taken(), 1);
  EXPECT_FALSE(slots.Take("a").ok());
  held.reset();
  EXPECT_EQ(slots.taken(), 0);
  EXPECT_EQ(slots.taken_by("a"), 0);
  EXPECT_TRUE(slots.Take("a").ok());
  // The slot just taken was not kept.
  EXPECT_EQ(slots.taken(), 0);
}

TEST(StreamSlotsTest, NoSlotsRefusesEveryone) {
  StreamSlots slots(0, 2, kExportStreams);
  EXPECT_EQ(slots.Take("a").status().code(),
            absl::StatusCode::kResourceExhausted);
  StreamSlots none_each(8, 0, kExportStreams);
  EXPECT_EQ(none_each.Take("a").status().code(),
            absl::StatusCode::kResourceExhausted);
}

}  // namespace
}  // namespace query
