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
  // Writes the principals file: `name` holding `secret`; returns the
  // bearer token.
  std::string WriteFile(const std::string& name, const std::string& secret) {
    const std::string hash = HashTokenWithSalt(secret, "salt", 1000);
    std::ofstream(path_) << name << " token=" << hash << " submitter@021001\n";
    return MintToken(hash, secret);
  }

  const std::string path_ =
      absl::StrCat(::testing::TempDir(), "/principal_registry_test.txt");
};

TEST_F(PrincipalRegistryTest, ReloadRevokesATokenAlreadyVerified) {
  PrincipalRegistry registry(path_);
  const std::string first = WriteFile("office", "first-token");
  ASSERT_TRUE(registry.Reload().ok());
  std::shared_ptr<const Principals> before = registry.Snapshot();
  const Principal* office = before->FindByToken(first);
  ASSERT_NE(office, nullptr);
  // The second look-up is the remembered one; it must name the same caller.
  EXPECT_EQ(before->FindByToken(first), office);
  EXPECT_EQ(before->FindByToken(first + "x"), nullptr);

  // Same salt, so same ID: only the secret changed.
  const std::string second = WriteFile("office", "second-token");
  ASSERT_TRUE(registry.Reload().ok());
  std::shared_ptr<const Principals> after = registry.Snapshot();
  EXPECT_EQ(after->FindByToken(first), nullptr);
  const Principal* renewed = after->FindByToken(second);
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
