#include "auth/principals_file.h"

#include "absl/strings/str_cat.h"
#include "auth/token_hash.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace auth {
namespace {

using ::testing::HasSubstr;

TEST(PrincipalsFileTest, ParsesCredentialsAndRoles) {
  std::string hash = HashTokenWithSalt("s3cret", "salt", 1000);
  absl::StatusOr<Principals> principals = ParsePrincipals(
      absl::StrCat("# comment\n\noffice token=", hash,
                   " submitter@021001\nbureau cert reviewer@021 auditor\n"),
      "p.txt");
  ASSERT_TRUE(principals.ok()) << principals.status();
  const Principal* office = principals->FindByToken(MintToken(hash, "s3cret"));
  ASSERT_NE(office, nullptr);
  EXPECT_EQ(office->name, "office");
  EXPECT_EQ(office->grants[0].scope, "021001");
  EXPECT_EQ(principals->FindByToken(MintToken(hash, "s3cret ")), nullptr);
  EXPECT_EQ(principals->FindByToken("s3cret"), nullptr);  // No ID.
  EXPECT_EQ(principals->FindByToken(""), nullptr);
  const Principal* bureau = principals->FindByCertificate({"x", "bureau"});
  ASSERT_NE(bureau, nullptr);
  EXPECT_EQ(bureau->grants.size(), 2u);
  // Only principals that accept certificates are found by one.
  EXPECT_EQ(principals->FindByCertificate({"office"}), nullptr);
}

TEST(PrincipalsFileTest, TokensAreNeverStoredInClear) {
  std::string hash = HashTokenWithSalt("s3cret", "salt", 1000);
  EXPECT_EQ(hash.find("s3cret"), std::string::npos);
  EXPECT_NE(HashTokenWithSalt("s3cret", "pepper", 1000), hash);
  absl::StatusOr<std::string> random = HashToken("s3cret", 1000);
  ASSERT_TRUE(random.ok());
  EXPECT_TRUE(TokenMatches("s3cret", *random));
  EXPECT_FALSE(TokenMatches("s3creT", *random));
}

// A wrong token must not cost a key derivation per principal on file: the
// ID names the one hash to check, and an unknown ID costs none.
TEST(PrincipalsFileTest, TokenCostsAtMostOneKeyDerivation) {
  std::string file;
  std::string last_hash;
  for (int i = 0; i < 200; ++i) {
    last_hash = HashTokenWithSalt(absl::StrCat("secret-", i),
                                  absl::StrCat("salt-", i), 1);
    absl::StrAppend(&file, "p", i, " token=", last_hash, " submitter@", i,
                    "\n");
  }
  absl::StatusOr<Principals> principals = ParsePrincipals(file, "p.txt");
  ASSERT_TRUE(principals.ok()) << principals.status();
  auto derivations = [&](const std::string& token) {
    const int64_t before = KeyDerivations();
    principals->FindByToken(token);
    return KeyDerivations() - before;
  };
  EXPECT_EQ(derivations("no-id-at-all"), 0);
  EXPECT_EQ(derivations("0123abcd.unknown-id"), 0);
  EXPECT_EQ(derivations(MintToken(last_hash, "wrong")), 1);
  EXPECT_EQ(derivations(MintToken(last_hash, "secret-199")), 1);
  EXPECT_EQ(derivations(MintToken(last_hash, "secret-199")), 0);  // Known.
  EXPECT_EQ(principals->FindByToken(MintToken(last_hash, "secret-199"))->name,
            "p199");
  // Another principal's ID with this one's secret identifies no one.
  EXPECT_EQ(principals->FindByToken(
                MintToken(HashTokenWithSalt("x", "salt-0", 1), "secret-199")),
            nullptr);
}

TEST(PrincipalsFileTest, TokenIdsAreUnique) {
  std::string hash = HashTokenWithSalt("one", "salt", 1);
  absl::StatusOr<Principals> principals = ParsePrincipals(
      absl::StrCat("a token=", hash, " auditor\nb token=",
                   HashTokenWithSalt("two", "salt", 1), " auditor\n"),
      "p.txt");
  ASSERT_FALSE(principals.ok());
  EXPECT_THAT(principals.status().message(), HasSubstr("p.txt:2:"));
  EXPECT_THAT(principals.status().message(), HasSubstr("salt of line 1"));
}

TEST(PrincipalsFileTest, ReportsEveryBadLineAtOnce) {
  absl::StatusOr<Principals> principals = ParsePrincipals(
      "a token=plain submitter@1\n"
      "b cert admin\n"
      "c cert submitter\n"
      "d cert\n"
      "e cert public\n"
      "e cert auditor\n",
      "p.txt");
  ASSERT_FALSE(principals.ok());
  EXPECT_THAT(principals.status().message(), HasSubstr("p.txt:1:"));
  EXPECT_THAT(principals.status().message(), HasSubstr("p.txt:2:"));
  EXPECT_THAT(principals.status().message(), HasSubstr("p.txt:3:"));
  EXPECT_THAT(principals.status().message(), HasSubstr("p.txt:4:"));
  EXPECT_THAT(principals.status().message(), HasSubstr("p.txt:6:"));
  EXPECT_THAT(principals.status().message(),
              ::testing::Not(HasSubstr("p.txt:5:")));
}

}  // namespace
}  // namespace auth
