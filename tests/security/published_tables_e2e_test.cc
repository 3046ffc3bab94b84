// What the public reads through the query service is the published budget:
// as an anonymous reader of the locked 2024 year, every printed cell of the
// reference's tables 01-08 and 11 (fixtures/zhengzhou-iit/expected) comes
// out of GetDisclosureTable, table 11's classified project as the document
// prints it ("涉密项目按规定不予公开", XXXX). tests/query checks the same
// tables for the local operator, who is cleared and so sees table 11 in
// clear.
#include <string>
#include <vector>

#include "absl/strings/str_join.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "tests/expected_tables/expected_tables.h"
#include "tests/security/security_fixture.h"

namespace security_test {
namespace {

class PublishedTablesE2eTest
    : public SecurityFixture,
      public ::testing::WithParamInterface<const char*> {};

TEST_P(PublishedTablesE2eTest, PublicReaderGetsThePublishedCells) {
  budget::v1::GetDisclosureTableRequest request;
  request.set_node_code("021");
  request.set_fiscal_year(2024);
  request.set_table_id(GetParam());
  budget::v1::DisclosureTable table;
  grpc::Status status =
      query_stub_->GetDisclosureTable(As("").get(), request, &table);
  ASSERT_TRUE(status.ok()) << status.error_message();
  std::vector<std::string> problems = expected_tables::CompareWithExpected(
      table, std::string(GOLDEN_FIXTURES_DIR) + "/expected");
  EXPECT_TRUE(problems.empty()) << absl::StrJoin(problems, "\n");
}

INSTANTIATE_TEST_SUITE_P(PublishedTables, PublishedTablesE2eTest,
                         ::testing::Values("01", "02", "03", "04", "05", "06",
                                           "07", "08", "11"));

}  // namespace
}  // namespace security_test
