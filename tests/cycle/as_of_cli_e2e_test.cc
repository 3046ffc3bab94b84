// budgetctl --as-of REVISION|RFC3339-TIME on table, summary, aggregate and
// export against the real services: after a second unit of the reference
// department is submitted, the department's answers as of the first
// revision, and as of a time between the two, print what they printed
// then; a malformed --as-of is a usage error.
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/cli/cli_fixture.h"

namespace cli_test {
namespace {

using ::testing::HasSubstr;

std::string FileBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

TEST_F(CliTest, AsOfPrintsWhatTheReadsPrintedThen) {
  const std::string fixtures = kFixtures;
  ASSERT_EQ(Budgetctl({"units", "import", fixtures + "/units.units"}).exit_code,
            0);
  CommandResult first = Budgetctl({"submit", fixtures + "/2024/021017.budget"});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  const std::string revision = LastConsolidatedRevision(first.out);
  const std::vector<std::vector<std::string>> reads = {
      {"table", "T01", "--format", "csv"},
      {"table", "T05"},
      {"summary"},
      {"aggregate", "--drilldown", "function_class", "--stage", "adjusted"}};
  auto run = [&](std::vector<std::string> read,
                 const std::vector<std::string>& options) {
    read.insert(read.end(), {"--unit", "021", "--year", "2024",
                             "--min-revision", revision});
    read.insert(read.end(), options.begin(), options.end());
    CommandResult result = Budgetctl(read);
    EXPECT_EQ(result.exit_code, 0) << read[0] << ": " << result.err;
    return result.out;
  };
  std::vector<std::string> then;
  for (const auto& read : reads) then.push_back(run(read, {}));
  ASSERT_EQ(Budgetctl({"export", dir_ + "/then.export", "--unit", "021",
                       "--year", "2024", "--min-revision", revision})
                .exit_code,
            0);
  const std::string between =
      absl::FormatTime(absl::RFC3339_full, absl::Now(), absl::UTCTimeZone());
  std::this_thread::sleep_for(std::chrono::milliseconds(2));

  CommandResult second =
      Budgetctl({"submit", fixtures + "/2024/021016.budget"});
  ASSERT_EQ(second.exit_code, 0) << second.err;
  const std::string latest = LastConsolidatedRevision(second.out);
  EXPECT_NE(run(reads[0], {"--min-revision", latest}), then[0]);

  for (const std::string& as_of : {revision, between}) {
    SCOPED_TRACE(as_of);
    for (size_t i = 0; i < reads.size(); ++i) {
      EXPECT_EQ(run(reads[i], {"--as-of", as_of}), then[i]) << reads[i][0];
    }
    ASSERT_EQ(Budgetctl({"export", dir_ + "/past.export", "--unit", "021",
                         "--year", "2024", "--as-of", as_of})
                  .exit_code,
              0);
    EXPECT_EQ(FileBytes(dir_ + "/past.export"),
              FileBytes(dir_ + "/then.export"));
  }

  CommandResult bad = Budgetctl(
      {"table", "T01", "--unit", "021", "--year", "2024", "--as-of", "0"});
  EXPECT_NE(bad.exit_code, 0);
  EXPECT_THAT(bad.err, HasSubstr("--as-of must be a consolidated revision"));
  CommandResult future =
      Budgetctl({"summary", "--unit", "021", "--year", "2024", "--as-of",
                 std::to_string(std::stoll(latest) + 100)});
  EXPECT_NE(future.exit_code, 0);
  EXPECT_THAT(future.err, HasSubstr("this service has applied up to"));
}

}  // namespace
}  // namespace cli_test
