#include "auth/principal_registry.h"

#include <fstream>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "auth/token_hash.h"
#include "auth/verified_tokens.h"
#include "gtest/gtest.h"

namespace auth {
namespace {

class PrincipalRegistryTest : public ::testing::Test {
 protected:
  // Writes the principals file: `name` holding `token`.
  void WriteFile(const std::string& name, const std::string& token) {
    std::ofstream(path_) << name
                         << " token=" << HashTokenWithSalt(token, "salt", 1000)
                         << " submitter@021001\n";
  }

  const std::string path_ =
      absl::StrCat(::testing::TempDir(), "/principal_registry_test.txt");
};

TEST_F(PrincipalRegistryTest, ReloadRevokesATokenAlreadyVerified) {
  PrincipalRegistry registry(path_);
  WriteFile("office", "first-token");
  ASSERT_TRUE(registry.Reload().ok());
  std::shared_ptr<const Principals> before = registry.Snapshot();
  const Principal* office = before->FindByToken("first-token");
  ASSERT_NE(office, nullptr);
  // The second look-up is the remembered one; it must name the same caller.
  EXPECT_EQ(before->FindByToken("first-token"), office);
  EXPECT_EQ(before->FindByToken("other-token"), nullptr);

  WriteFile("office", "second-token");
  ASSERT_TRUE(registry.Reload().ok());
  std::shared_ptr<const Principals> after = registry.Snapshot();
  EXPECT_EQ(after->FindByToken("first-token"), nullptr);
  const Principal* renewed = after->FindByToken("second-token");
  ASSERT_NE(renewed, nullptr);
  EXPECT_EQ(renewed->name, "office");
}

TEST(VerifiedTokensTest, KeysAreDigestsNotTokens) {
  const std::string digest = VerifiedTokens::Digest("s3cret");
  EXPECT_EQ(digest.size(), 32u);
  EXPECT_EQ(digest.find("s3cret"), std::string::npos);
  EXPECT_NE(VerifiedTokens::Digest("s3creT"), digest);
}

TEST(VerifiedTokensTest, HoldsAtMostItsBound) {
  VerifiedTokens tokens(2);
  tokens.Insert(VerifiedTokens::Digest("a"), 0);
  tokens.Insert(VerifiedTokens::Digest("b"), 1);
  tokens.Insert(VerifiedTokens::Digest("c"), 2);
  EXPECT_EQ(tokens.Find(VerifiedTokens::Digest("c")), 2u);
  int held = 0;
  for (const char* token : {"a", "b", "c"}) {
    if (tokens.Find(VerifiedTokens::Digest(token)).has_value()) ++held;
  }
  EXPECT_EQ(held, 2);
}

}  // namespace
}  // namespace auth
