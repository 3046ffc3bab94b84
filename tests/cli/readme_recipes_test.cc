// Runs every grpcurl recipe of README.md, as written there, against the
// real services: the recipes are read out of the README (command line and
// heredoc body), the README's addresses mapped to this test's ports, and
// each executed the way grpcurl would, through server reflection.
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "budget/money.h"
#include "budget/v1/query_service.pb.h"
#include "budget/v1/tables.pb.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/json_util.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "gtest/gtest.h"
#include "tests/cli/cli_fixture.h"
#include "tests/cli/reflection_client.h"

namespace cli_test {
namespace {

using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::Not;

// One `grpcurl -plaintext [-d @] ADDRESS VERB [ARG] [<<'EOF' ... EOF]`.
struct Recipe {
  std::string address;
  std::string verb;  // "list", "describe" or a Service/Method.
  std::string argument;
  std::string body;
};

std::vector<Recipe> RecipesOfReadme() {
  std::ifstream in("README.md");
  std::ostringstream text;
  text << in.rdbuf();
  std::vector<std::string> lines = absl::StrSplit(text.str(), '\n');
  std::vector<Recipe> recipes;
  for (size_t i = 0; i < lines.size(); ++i) {
    if (!absl::StartsWith(lines[i], "grpcurl -plaintext ")) continue;
    std::vector<std::string> words =
        absl::StrSplit(lines[i], ' ', absl::SkipEmpty());
    size_t next = 2;
    if (words[next] == "-d") next += 2;  // "-d @": the body is the heredoc.
    Recipe recipe;
    recipe.address = words[next++];
    recipe.verb = words[next++];
    if (next < words.size() && words[next] != "<<'EOF'") {
      recipe.argument = words[next];
    }
    if (absl::EndsWith(lines[i], "<<'EOF'")) {
      while (++i < lines.size() && lines[i] != "EOF") {
        recipe.body += lines[i] + "\n";
      }
    }
    recipes.push_back(recipe);
  }
  return recipes;
}

class ReadmeRecipesTest : public CliTest {};

TEST_F(ReadmeRecipesTest, EveryRecipeWorksAsWritten) {
  const std::string revision = LoadDepartment({"2023", "2024"});
  // A reader runs the recipes after loading has finished; the recipes carry
  // no minimum revision, so wait here until the query service has applied
  // the last submission.
  CommandResult caught_up = Budgetctl({"summary", "--unit", "021", "--year",
                                       "2024", "--min-revision", revision});
  ASSERT_EQ(caught_up.exit_code, 0) << caught_up.err;
  // Named for what it sums: every source but 一般公共预算, not table 01's
  // 九、其他收入.
  EXPECT_THAT(caught_up.out, HasSubstr("\n一般公共预算以外的本年收入\t"));
  EXPECT_THAT(caught_up.out, Not(HasSubstr("\n其他收入")));
  const std::map<std::string, std::string> ports = {
      {"127.0.0.1:50051", services_->ingest.address()},
      {"127.0.0.1:50052", services_->query.address()}};

  std::vector<Recipe> recipes = RecipesOfReadme();
  std::map<std::string, std::string> outputs;  // By verb.
  for (const Recipe& recipe : recipes) {
    ASSERT_EQ(ports.count(recipe.address), 1u) << recipe.address;
    ReflectionClient client(grpc::CreateChannel(
        ports.at(recipe.address), grpc::InsecureChannelCredentials()));
    if (recipe.verb == "list") {
      absl::StatusOr<std::vector<std::string>> services = client.ListServices();
      ASSERT_TRUE(services.ok()) << services.status();
      EXPECT_THAT(*services, Contains("budget.v1.IngestService"));
      EXPECT_THAT(*services, Contains("grpc.health.v1.Health"));
      outputs["list"] = "ok";
    } else if (recipe.verb == "describe") {
      absl::StatusOr<std::string> described = client.Describe(recipe.argument);
      ASSERT_TRUE(described.ok()) << described.status();
      EXPECT_THAT(*described, HasSubstr("rpc SubmitBudget"));
      // With the proto comments, the API docs (proto/budget/v1/
      // ingest_service.proto).
      EXPECT_THAT(*described,
                  HasSubstr("  // Validates and stores one unit's budget for "
                            "one year as a new revision.\n  rpc "
                            "SubmitBudget("));
      outputs["describe"] = *described;
    } else {
      absl::StatusOr<std::string> reply = client.Call(recipe.verb, recipe.body);
      ASSERT_TRUE(reply.ok()) << recipe.verb << ": " << reply.status();
      outputs[recipe.verb] = *reply;
    }
  }
  ASSERT_EQ(outputs.size(), 7u) << "the README lost a recipe";
  // The page of findings of a budget with a 款-level function code.
  EXPECT_THAT(outputs["budget.v1.IngestService/ValidateBudget"],
              HasSubstr("\"BGT-E010\""));
  EXPECT_THAT(outputs["budget.v1.IngestService/ValidateBudget"],
              HasSubstr("\"totalSize\""));
  // Validated, not stored: revision 0.
  EXPECT_THAT(outputs["budget.v1.IngestService/SubmitBudget"],
              Not(HasSubstr("\"revision\"")));
  // The published department total, 96,262.5 万元, in both answers.
  budget::v1::DisclosureTable table;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(
                  outputs["budget.v1.QueryService/GetDisclosureTable"], &table)
                  .ok());
  ASSERT_GT(table.body_rows_size(), 0);
  const budget::v1::TableRow& total =
      table.body_rows(table.body_rows_size() - 1);
  ASSERT_GT(total.cells_size(), 1);
  EXPECT_EQ(budget::FormatWan(total.cells(1).amount_fen()), "96,262.5");
  budget::v1::AggregateResponse aggregate;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(
                  outputs["budget.v1.QueryService/Aggregate"], &aggregate)
                  .ok());
  EXPECT_EQ(budget::FormatWan(aggregate.grand_total().amount_fen()),
            "96,262.5");
  EXPECT_GT(aggregate.rows_size(), 1);
  EXPECT_THAT(outputs["grpc.health.v1.Health/Check"], HasSubstr("SERVING"));
}

// grpcurl prints a rejection's details decoded only when reflection
// resolves their types (google/rpc/error_details.proto) on the service.
TEST_F(ReadmeRecipesTest, RejectionDetailsDecodeThroughReflection) {
  ReflectionClient client(grpc::CreateChannel(
      services_->ingest.address(), grpc::InsecureChannelCredentials()));
  absl::StatusOr<std::string> reply =
      client.Call("budget.v1.IngestService/SubmitBudget",
                  R"({"requestId": "details", "validateOnly": true,
                      "budget": {"unitCode": "999999", "fiscalYear": 2024}})");
  ASSERT_FALSE(reply.ok());
  EXPECT_EQ(reply.status().code(), absl::StatusCode::kInvalidArgument);
  const std::string message(reply.status().message());
  EXPECT_THAT(message, Not(HasSubstr("not recognized")));
  EXPECT_THAT(message, HasSubstr("\"@type\": \"type.googleapis.com/"
                                 "google.rpc.BadRequest\""));
  EXPECT_THAT(message, HasSubstr("\"fieldViolations\""));
  EXPECT_THAT(message, HasSubstr("[BGT-E002]"));
  EXPECT_THAT(message,
              HasSubstr("type.googleapis.com/budget.v1.ValidationReport"));
}

}  // namespace
}  // namespace cli_test
