#include "server_common/refusal_budget.h"

#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace server_common {
namespace {

using ::testing::IsEmpty;

// The start of an interval of a minute.
const absl::Time kStart = absl::FromUnixSeconds(1'700'000'040);

TEST(RefusalBudgetTest, RecordsAPeersBudgetThenCountsTheRestUntilTheEnd) {
  RefusalBudget budget({3, absl::Minutes(1), 100});
  std::vector<RefusalBudget::Counted> ended;
  for (int i = 0; i < 3; ++i) {
    EXPECT_TRUE(budget.Admits("ipv4:10.0.0.7", "unknown", "UNAUTHENTICATED",
                              kStart + absl::Seconds(i), &ended));
  }
  for (int i = 0; i < 5; ++i) {
    EXPECT_FALSE(budget.Admits("ipv4:10.0.0.7", "unknown", "UNAUTHENTICATED",
                               kStart + absl::Seconds(10), &ended));
  }
  EXPECT_FALSE(budget.Admits("ipv4:10.0.0.7", "anonymous", "PERMISSION_DENIED",
                             kStart + absl::Seconds(20), &ended));
  // Another address has a budget of its own.
  EXPECT_TRUE(budget.Admits("ipv4:10.0.0.8", "unknown", "UNAUTHENTICATED",
                            kStart + absl::Seconds(30), &ended));
  EXPECT_THAT(ended, IsEmpty());
  EXPECT_THAT(budget.TakeEnded(kStart + absl::Seconds(59)), IsEmpty());
  EXPECT_EQ(budget.counted_total(), 6);

  // The next interval: the counts are handed over, each once, and the
  // address has its budget again.
  EXPECT_TRUE(budget.Admits("ipv4:10.0.0.7", "unknown", "UNAUTHENTICATED",
                            kStart + absl::Seconds(61), &ended));
  ASSERT_EQ(ended.size(), 2u);
  std::sort(ended.begin(), ended.end(), [](const auto& a, const auto& b) {
    return a.principal < b.principal;
  });
  EXPECT_EQ(ended[0].peer, "ipv4:10.0.0.7");
  EXPECT_EQ(ended[0].principal, "anonymous");
  EXPECT_EQ(ended[0].outcome, "PERMISSION_DENIED");
  EXPECT_EQ(ended[0].count, 1);
  EXPECT_EQ(ended[1].principal, "unknown");
  EXPECT_EQ(ended[1].outcome, "UNAUTHENTICATED");
  EXPECT_EQ(ended[1].count, 5);
  EXPECT_EQ(ended[1].from, kStart);
  EXPECT_EQ(ended[1].to, kStart + absl::Minutes(1));
  EXPECT_THAT(budget.TakeEnded(kStart + absl::Minutes(5)), IsEmpty());
}

// Two refusals at kStart of a peer with a budget of one: one is counted.
void RefuseTwice(RefusalBudget& budget) {
  std::vector<RefusalBudget::Counted> ended;
  for (int i = 0; i < 2; ++i) {
    budget.Admits("ipv4:10.0.0.7", "unknown", "UNAUTHENTICATED", kStart,
                  &ended);
  }
}

TEST(RefusalBudgetTest, HandsOverAnEndedIntervalWithoutANewRefusal) {
  RefusalBudget budget({1, absl::Minutes(1), 100});
  RefuseTwice(budget);
  ASSERT_EQ(budget.TakeEnded(kStart + absl::Minutes(1)).size(), 1u);
  EXPECT_THAT(budget.TakeEnded(kStart + absl::Minutes(2)), IsEmpty());
}

TEST(RefusalBudgetTest, ShutdownHandsOverTheCurrentInterval) {
  RefusalBudget budget({1, absl::Minutes(1), 100});
  RefuseTwice(budget);
  std::vector<RefusalBudget::Counted> taken =
      budget.TakeEnded(absl::InfiniteFuture());
  ASSERT_EQ(taken.size(), 1u);
  EXPECT_EQ(taken[0].count, 1);
  EXPECT_THAT(budget.TakeEnded(absl::InfiniteFuture()), IsEmpty());
}

TEST(RefusalBudgetTest, AddressesPastItsBoundAreCountedTogether) {
  RefusalBudget budget({5, absl::Minutes(1), 10});
  std::vector<RefusalBudget::Counted> ended;
  int recorded = 0;
  for (int i = 0; i < 30; ++i) {
    recorded += budget.Admits(absl::StrCat("ipv6:[::", i, "]"), "unknown",
                              "UNAUTHENTICATED", kStart, &ended);
  }
  EXPECT_EQ(recorded, 10);
  std::vector<RefusalBudget::Counted> taken =
      budget.TakeEnded(absl::InfiniteFuture());
  ASSERT_EQ(taken.size(), 1u);
  EXPECT_EQ(taken[0].peer, RefusalBudget::kOtherPeers);
  EXPECT_EQ(taken[0].count, 20);
}

TEST(RefusalBudgetTest, ZeroPerPeerRecordsEveryRefusal) {
  RefusalBudget budget({0, absl::Minutes(1), 10});
  std::vector<RefusalBudget::Counted> ended;
  for (int i = 0; i < 100; ++i) {
    EXPECT_TRUE(budget.Admits("ipv4:10.0.0.7", "unknown", "UNAUTHENTICATED",
                              kStart, &ended));
  }
  EXPECT_EQ(budget.counted_total(), 0);
}

}  // namespace
}  // namespace server_common
