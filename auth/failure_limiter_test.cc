#include "auth/failure_limiter.h"

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace auth {
namespace {

const absl::Time kStart = absl::FromUnixSeconds(1'700'000'000);

TEST(FailureLimiterTest, RefusesAPeerPastItsBurstUntilItRefills) {
  FailureLimiter limiter({3, absl::Seconds(10), 100});
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(limiter.Admits("ipv4:10.0.0.1", kStart));
    limiter.Failed("ipv4:10.0.0.1", kStart);
  }
  EXPECT_FALSE(limiter.Admits("ipv4:10.0.0.1", kStart));
  EXPECT_TRUE(limiter.Admits("ipv4:10.0.0.2", kStart));  // Per peer.
  // One more try per refill interval.
  const absl::Time later = kStart + absl::Seconds(10);
  EXPECT_TRUE(limiter.Admits("ipv4:10.0.0.1", later));
  limiter.Failed("ipv4:10.0.0.1", later);
  EXPECT_FALSE(limiter.Admits("ipv4:10.0.0.1", later));
  EXPECT_TRUE(limiter.Admits("ipv4:10.0.0.1", later + absl::Seconds(30)));
}

TEST(FailureLimiterTest, RemembersAtMostItsBoundOfPeers) {
  FailureLimiter limiter({1, absl::Hours(1), 10});
  for (int i = 0; i < 1000; ++i) {
    limiter.Failed(absl::StrCat("ipv4:10.0.", i / 256, ".", i % 256),
                   kStart + absl::Seconds(i));
  }
  // The newest are remembered, the oldest forgotten.
  EXPECT_FALSE(limiter.Admits("ipv4:10.0.3.231", kStart + absl::Seconds(999)));
  EXPECT_TRUE(limiter.Admits("ipv4:10.0.0.0", kStart + absl::Seconds(999)));
}

TEST(FailureLimiterTest, ZeroBurstIsNoLimit) {
  FailureLimiter limiter({0, absl::Seconds(1), 10});
  for (int i = 0; i < 100; ++i) limiter.Failed("p", kStart);
  EXPECT_TRUE(limiter.Admits("p", kStart));
}

TEST(PeerAddressTest, DropsThePort) {
  EXPECT_EQ(PeerAddress("ipv4:127.0.0.1:51234"), "ipv4:127.0.0.1");
  EXPECT_EQ(PeerAddress("ipv6:[::1]:51234"), "ipv6:[::1]");
  EXPECT_EQ(PeerAddress("unix:/tmp/socket"), "unix:/tmp/socket");
}

}  // namespace
}  // namespace auth
