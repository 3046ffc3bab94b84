#include "query_service/stream_slots.h"

#include "gtest/gtest.h"

namespace query {
namespace {

TEST(ExportSlotsTest, ACallerGetsItsShareAndNoMore) {
  ExportSlots slots(8, 2);
  EXPECT_TRUE(slots.Take("peer ipv4:10.0.0.7").ok());
  EXPECT_TRUE(slots.Take("peer ipv4:10.0.0.7").ok());
  absl::Status refused = slots.Take("peer ipv4:10.0.0.7");
  EXPECT_EQ(refused.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(refused.message(),
            "2 exports of this caller are streaming already; at most 2 per "
            "caller (--max_export_streams_per_caller): read them to the end "
            "or cancel them, then retry");
  // Another caller is not held up by the first.
  EXPECT_TRUE(slots.Take("principal auditor").ok());
  EXPECT_EQ(slots.taken(), 3);
  EXPECT_EQ(slots.taken_by("peer ipv4:10.0.0.7"), 2);
}

TEST(ExportSlotsTest, AllCallersShareTheTotal) {
  ExportSlots slots(3, 2);
  for (const char* caller : {"a", "b", "c"}) {
    EXPECT_TRUE(slots.Take(caller).ok()) << caller;
  }
  absl::Status refused = slots.Take("d");
  EXPECT_EQ(refused.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(refused.message(),
            "3 exports are streaming already (--max_export_streams); retry "
            "later");
}

TEST(ExportSlotsTest, ASlotGivenBackCanBeTakenAgain) {
  ExportSlots slots(2, 1);
  EXPECT_TRUE(slots.Take("a").ok());
  EXPECT_FALSE(slots.Take("a").ok());
  slots.Give("a");
  EXPECT_EQ(slots.taken(), 0);
  EXPECT_EQ(slots.taken_by("a"), 0);
  EXPECT_TRUE(slots.Take("a").ok());
  // Giving back what was never taken changes nothing.
  slots.Give("b");
  EXPECT_EQ(slots.taken(), 1);
}

TEST(ExportSlotsTest, NoSlotsRefusesEveryone) {
  ExportSlots slots(0, 2);
  EXPECT_EQ(slots.Take("a").code(), absl::StatusCode::kResourceExhausted);
  ExportSlots none_each(8, 0);
  EXPECT_EQ(none_each.Take("a").code(), absl::StatusCode::kResourceExhausted);
}

}  // namespace
}  // namespace query
