#include "budget/budget_file/csv.h"

#include <string>
#include <vector>

#include "budget/budget_file/csv_reader.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace budget {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

struct Read {
  std::vector<CsvRow> rows;
  std::vector<CsvSyntaxError> errors;
};

Read ReadAll(absl::string_view text) {
  CsvReader reader(text);
  Read out;
  CsvRow row;
  while (reader.Next(&row)) out.rows.push_back(row);
  out.errors = reader.errors();
  return out;
}

TEST(CsvEscapeTest, QuotesOnlyWhenNeeded) {
  EXPECT_EQ(CsvEscape("plain 文本"), "plain 文本");
  EXPECT_EQ(CsvEscape(""), "");
  EXPECT_EQ(CsvEscape("a,b"), "\"a,b\"");
  EXPECT_EQ(CsvEscape("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(CsvEscape("two\nlines"), "\"two\nlines\"");
  EXPECT_EQ(CsvEscape("cr\r"), "\"cr\r\"");
}

TEST(CsvRecordTest, ProtectsFieldsThatWouldReadAsCommentsSectionsOrBlanks) {
  EXPECT_EQ(CsvRecord({"a", "b,c", ""}), "a,\"b,c\",");
  EXPECT_EQ(CsvRecord({"#1", "#2"}), "\"#1\",#2");
  EXPECT_EQ(CsvRecord({" [x]"}), "\" [x]\"");
  EXPECT_EQ(CsvRecord({""}), "\"\"");
  EXPECT_EQ(CsvRecord({"", " "}), "\"\", ");
}

TEST(CsvReaderTest, TracksLinesAcrossQuotedLineBreaksAndSkippedLines) {
  const Read read = ReadAll(
      "# comment, with \"quote\n"
      "a,\"multi\nline\",c\n"
      "\n"
      "   \n"
      "d,\"x\"\"y\"\n");
  EXPECT_THAT(read.errors, IsEmpty());
  ASSERT_EQ(read.rows.size(), 2u);
  EXPECT_EQ(read.rows[0].line, 2);
  EXPECT_THAT(read.rows[0].fields, ElementsAre("a", "multi\nline", "c"));
  EXPECT_EQ(read.rows[1].line, 6);
  EXPECT_THAT(read.rows[1].fields, ElementsAre("d", "x\"y"));
  EXPECT_EQ(read.rows[1].text, "d,\"x\"\"y\"");
}

TEST(CsvReaderTest, SkipsByteOrderMarkAndAcceptsCrlf) {
  const Read read = ReadAll("\xEF\xBB\xBFk,v\r\n\r\n#c\r\nx,\"q\r\nr\"\r\ny,");
  EXPECT_THAT(read.errors, IsEmpty());
  ASSERT_EQ(read.rows.size(), 3u);
  EXPECT_THAT(read.rows[0].fields, ElementsAre("k", "v"));
  EXPECT_EQ(read.rows[1].line, 4);
  // Inside quotes every byte is kept, CR included.
  EXPECT_THAT(read.rows[1].fields, ElementsAre("x", "q\r\nr"));
  EXPECT_EQ(read.rows[2].line, 6);
  EXPECT_THAT(read.rows[2].fields, ElementsAre("y", ""));
}

TEST(CsvReaderTest, TakesQuotesInsideUnquotedFieldsLiterally) {
  const Read read = ReadAll("≥10 \"次\",b\n");
  EXPECT_THAT(read.errors, IsEmpty());
  ASSERT_EQ(read.rows.size(), 1u);
  EXPECT_THAT(read.rows[0].fields, ElementsAre("≥10 \"次\"", "b"));
}

TEST(CsvReaderTest, ReportsTextAfterClosingQuoteAndGoesOn) {
  const Read read = ReadAll("a,\"b\"c,d\ne,f\n");
  ASSERT_EQ(read.errors.size(), 1u);
  EXPECT_EQ(read.errors[0].line, 1);
  ASSERT_EQ(read.rows.size(), 2u);
  EXPECT_THAT(read.rows[0].fields, ElementsAre("a", "bc", "d"));
  EXPECT_EQ(read.rows[1].line, 2);
}

TEST(CsvReaderTest, ReportsUnclosedQuoteAtTheLineWhereTheRecordStarts) {
  const Read read = ReadAll("a,b\nc,\"open\nmore\n");
  ASSERT_EQ(read.errors.size(), 1u);
  EXPECT_EQ(read.errors[0].line, 2);
}

TEST(CsvRoundTripTest, WriterOutputReadsBackUnchanged) {
  const std::vector<std::vector<std::string>> records = {
      {"a", "b, c", "\"q\"", "line\nbreak", ""},
      {"#not a comment", "[not a section]"},
      {"", ""},
      {" "},
      {"crlf\r\ninside", "ok"},
  };
  std::string text;
  for (const auto& record : records) text += CsvRecord(record) + "\r\n";
  const Read read = ReadAll(text);
  EXPECT_THAT(read.errors, IsEmpty());
  ASSERT_EQ(read.rows.size(), records.size());
  for (size_t i = 0; i < records.size(); ++i) {
    EXPECT_EQ(read.rows[i].fields, records[i]) << "record " << i;
  }
  EXPECT_EQ(read.rows[1].line, 3);
  EXPECT_EQ(read.rows[4].line, 6);
}

// A text cell a spreadsheet would evaluate is shown as text; others, and
// the empty one, are unchanged.
TEST(SpreadsheetTextTest, FormulaStartsAreShownAsText) {
  for (const char* formula :
       {"=HYPERLINK(\"http://x\",\"y\")", "+cmd|' /C calc'!A0",
        "-2+3+cmd|' /C calc'!A0", "@SUM(1)", "\t=1+1", "\r=1+1"}) {
    EXPECT_EQ(SpreadsheetText(formula), std::string("'") + formula);
  }
  for (const char* text : {"", "郑州市工业和信息化局", "2150501", "a=b"}) {
    EXPECT_EQ(SpreadsheetText(text), text);
  }
}

}  // namespace
}  // namespace budget
