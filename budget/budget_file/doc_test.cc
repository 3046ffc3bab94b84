// docs/budget-file-format.md and the code must agree: its examples parse,
// and every enum spelling it lists reads as the value it names.
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "budget/budget_file/budget_file.h"
#include "budget/budget_file/enum_text.h"
#include "budget/budget_file/units_file.h"
#include "budget/v1/cycle.pb.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"

namespace budget {
namespace {

// Tests run in the source directory (see budget_test in budget/).
std::string ReadDoc() {
  std::ifstream in("docs/budget-file-format.md");
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// The fenced code blocks of the document, in order.
std::vector<std::string> CodeBlocks(const std::string& doc) {
  std::vector<std::string> blocks;
  std::vector<std::string> parts = absl::StrSplit(doc, "```");
  for (size_t i = 1; i < parts.size(); i += 2) {
    blocks.push_back(std::string(absl::StripPrefix(parts[i], "\n")));
  }
  return blocks;
}

TEST(FormatDocTest, ExamplesParse) {
  const std::vector<std::string> blocks = CodeBlocks(ReadDoc());
  // A budget file, a registry file, and the control figures' JSON file.
  ASSERT_EQ(blocks.size(), 3u);
  const ParsedFile<BudgetFile> budget = ParseBudgetFile(blocks[0], "doc");
  ASSERT_TRUE(budget.ok()) << budget.status();
  EXPECT_EQ(budget.value.budget.unit_code(), "021017");
  EXPECT_EQ(budget.value.budget.projects(0).indicators_size(), 1);
  const ParsedFile<std::vector<v1::Unit>> units =
      ParseUnitsFile(blocks[1], "doc");
  ASSERT_TRUE(units.ok()) << units.status();
  EXPECT_EQ(units.value.size(), 2u);
  const std::string kJsonTag = "json\n";
  ASSERT_TRUE(absl::StartsWith(blocks[2], kJsonTag));
  v1::ControlFiguresFile figures;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(
                  blocks[2].substr(kJsonTag.size()), &figures)
                  .ok());
  ASSERT_EQ(figures.figures_size(), 1);
  EXPECT_EQ(figures.figures(0).amounts_size(), 3);
}

TEST(FormatDocTest, EveryListedEnumSpellingReadsAsItsValue) {
  const std::vector<
      std::pair<std::string, const google::protobuf::EnumDescriptor*>>
      kColumns = {{"| source |", v1::FundingSource_descriptor()},
                  {"| nature |", v1::ExpenditureNature_descriptor()},
                  {"| transfer_kind |", v1::TransferKind_descriptor()},
                  {"| category |", v1::ProjectCategory_descriptor()},
                  {"| kind (registry) |", v1::UnitKind_descriptor()}};
  const std::string doc = ReadDoc();
  int spellings = 0;
  for (const auto& [prefix, descriptor] : kColumns) {
    SCOPED_TRACE(prefix);
    const EnumText& text = EnumTextFor(descriptor);
    const size_t start = doc.find("\n" + prefix);
    ASSERT_NE(start, std::string::npos);
    absl::string_view row = absl::string_view(doc).substr(start + 1);
    row = row.substr(prefix.size(), row.find('\n') - prefix.size());
    row = absl::StripSuffix(absl::StripAsciiWhitespace(row), "|");
    for (absl::string_view item : absl::StrSplit(row, ", ")) {
      item = absl::StripAsciiWhitespace(item);
      if (item == "(empty)") continue;
      const std::vector<std::string> words = absl::StrSplit(item, ' ');
      const std::optional<int> number = text.Parse(words[0]);
      ASSERT_TRUE(number.has_value()) << words[0];
      EXPECT_EQ(text.Format(*number), words[0]);
      ++spellings;
      if (words.size() == 2) {
        EXPECT_EQ(text.Parse(words[1]), number) << words[1];
        ++spellings;
      }
    }
  }
  EXPECT_GT(spellings, 40);
}

}  // namespace
}  // namespace budget
