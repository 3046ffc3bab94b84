#include "server_common/call_log.h"

#include <string>

#include "gtest/gtest.h"

namespace server_common {
namespace {

TEST(CallLogTokenTest, KeepsCodesAsTheyAre) {
  EXPECT_EQ(CallLogToken("021001"), "021001");
  EXPECT_EQ(CallLogToken("郑州"), "郑州");
}

TEST(CallLogTokenTest, CannotEndTheLineOrForgeAKey) {
  EXPECT_EQ(CallLogToken("021\n"), "021\\u{000A}");
  EXPECT_EQ(CallLogToken("021 status=OK"), "021\\u{0020}status\\u{003D}OK");
  EXPECT_EQ(CallLogToken("\"021\""), "\\u{0022}021\\u{0022}");
}

TEST(CallLogTokenTest, ClipsLongValuesAtACharacter) {
  EXPECT_EQ(CallLogToken(std::string(1000, '0')),
            std::string(64, '0') + "…(1000 bytes)");
  // 21 three-byte characters are 63 bytes; the 22nd would pass 64.
  std::string wide;
  for (int i = 0; i < 30; ++i) wide += "郑";
  EXPECT_EQ(CallLogToken(wide), wide.substr(0, 63) + "…(90 bytes)");
}

}  // namespace
}  // namespace server_common
