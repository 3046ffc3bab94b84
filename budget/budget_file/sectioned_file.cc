#include "budget/budget_file/sectioned_file.h"

#include <algorithm>
#include <optional>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "budget/budget_file/csv_reader.h"
#include "budget/utf8.h"

namespace budget {
namespace {

using Kind = SectionSchema::Kind;

bool AllEmpty(const std::vector<std::string>& fields, size_t from) {
  return std::all_of(fields.begin() + std::min(from, fields.size()),
                     fields.end(),
                     [](const std::string& f) { return f.empty(); });
}

// A spreadsheet's empty line: commas only, nothing quoted.
bool IsPaddingOnly(const CsvRow& row) {
  return row.text.find_first_not_of(", \t") == absl::string_view::npos;
}

// The name of a `[name]` line (padding allowed), or nullopt.
std::optional<std::string> SectionName(const CsvRow& row) {
  const absl::string_view first = absl::StripAsciiWhitespace(row.fields[0]);
  if (!absl::StartsWith(absl::StripLeadingAsciiWhitespace(row.text), "[") ||
      !absl::EndsWith(first, "]") || !AllEmpty(row.fields, 1)) {
    return std::nullopt;
  }
  return std::string(
      absl::StripAsciiWhitespace(first.substr(1, first.size() - 2)));
}

bool Contains(const std::vector<std::string>& names, absl::string_view name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

std::string OneOf(const std::vector<std::string>& names) {
  return absl::StrCat("one of ", absl::StrJoin(names, ", "));
}

}  // namespace

bool CheckFileText(absl::string_view text, FileErrorSink* errors) {
  // UTF-16 (Excel's "Unicode text"): one finding for the file, not one per
  // NUL byte and broken sequence on every line.
  if (absl::StartsWith(text, "\xFF\xFE") ||
      absl::StartsWith(text, "\xFE\xFF") ||
      (text.size() >= 2 && (text[0] == '\0' || text[1] == '\0'))) {
    errors->Add(
        file_rules::kInvalidUtf8, 1, "",
        absl::StrCat(
            "bytes ",
            absl::Hex(static_cast<unsigned char>(text[0]), absl::kZeroPad2),
            " ",
            absl::Hex(static_cast<unsigned char>(text[1]), absl::kZeroPad2),
            " at the start"),
        "UTF-8 text",
        "UTF-16 text (Excel's \"Unicode text\"): save the file as "
        "UTF-8 (CSV UTF-8)");
    return false;
  }
  bool ok = true;
  int line = 1;
  size_t line_start = 0;
  // Read as the CSV reader reads (RFC 4180): a carriage return inside a
  // quoted field is text, a quote opens a field only at its start, and a
  // '#' line outside a field is a comment whose quotes mean nothing.
  bool quoted = false;
  bool field_start = true;
  bool comment = false;
  for (size_t pos = 0; pos < text.size();) {
    const char c = text[pos];
    if (quoted && c == '"') {
      if (pos + 1 < text.size() && text[pos + 1] == '"') {
        pos += 2;  // An escaped quote.
        continue;
      }
      quoted = false;
    } else if (!quoted && !comment) {
      if (c == '"' && field_start) quoted = true;
      if (c == '#' && pos == line_start) comment = true;
    }
    field_start = c == ',' || c == '\n';
    if (c == '\n') {
      if (!quoted) comment = false;
      ++line;
      line_start = ++pos;
      continue;
    }
    if (c == '\r' && !quoted &&
        (pos + 1 == text.size() || text[pos + 1] != '\n')) {
      errors->Add(file_rules::kBareCarriageReturn, line, "", "CR",
                  "LF or CRLF line ends",
                  "a carriage return without a line feed: save the file "
                  "with LF or CRLF line ends");
      ok = false;
      // The rest of the file counts lines as a CR-only file means them.
      field_start = true;
      comment = false;
      ++line;
      line_start = ++pos;
      continue;
    }
    if (c == '\0') {
      errors->Add(file_rules::kControlCharacter, line, "",
                  absl::StrCat("NUL at column ", pos - line_start + 1), "text",
                  "a NUL byte: the file is not text");
      ok = false;
      ++pos;
      continue;
    }
    if (static_cast<unsigned char>(c) < 0x80) {
      ++pos;
      continue;
    }
    // Up to the next byte checked above, UTF-8 is checked in one go.
    const size_t line_end =
        std::min(text.find_first_of(absl::string_view("\n\r\0\",", 5), pos),
                 text.size());
    const absl::string_view rest = text.substr(pos, line_end - pos);
    const size_t bad = FirstInvalidUtf8(rest);
    if (bad != absl::string_view::npos) {
      errors->Add(file_rules::kInvalidUtf8, line, "",
                  absl::StrCat("byte 0x",
                               absl::Hex(static_cast<unsigned char>(rest[bad]),
                                         absl::kZeroPad2),
                               " at column ", pos + bad - line_start + 1),
                  "UTF-8 text",
                  "not UTF-8: save the file as UTF-8 (a GBK file must be "
                  "converted)");
      ok = false;
    }
    pos = line_end;
  }
  return ok;
}

namespace {

// Reads one file; one instance per call.
class Reader {
 public:
  Reader(const std::vector<SectionSchema>& schemas, FileErrorSink* errors)
      : errors_(*errors), schemas_(schemas) {}

  SectionedFile Read(absl::string_view text);

 private:
  void StartSection(const std::string& name, int line);
  void FinishSection();
  void KeyValueLine(const CsvRow& row);
  void HeaderLine(const CsvRow& row);
  void TableRow(const CsvRow& row);
  std::vector<std::string> KnownNames() const;

  FileErrorSink& errors_;
  const std::vector<SectionSchema>& schemas_;
  SectionedFile file_;
  // The section being read; nullptr before the first one and while skipping
  // an unknown or repeated section.
  const SectionSchema* schema_ = nullptr;
  Section* section_ = nullptr;
  bool before_first_section_ = true;
  bool reported_outside_ = false;
  bool have_header_ = false;
  bool header_ok_ = false;
  int header_line_ = 0;
  std::vector<std::string> header_;
};

SectionedFile Reader::Read(absl::string_view text) {
  CsvReader csv(text);
  CsvRow row;
  while (csv.Next(&row)) {
    if (IsPaddingOnly(row)) continue;
    if (std::optional<std::string> name = SectionName(row)) {
      FinishSection();
      StartSection(*name, row.line);
    } else if (section_ != nullptr) {
      if (schema_->kind == Kind::kKeyValue) {
        KeyValueLine(row);
      } else if (!have_header_) {
        HeaderLine(row);
      } else if (header_ok_) {
        TableRow(row);
      }
    } else if (before_first_section_ && !reported_outside_) {
      reported_outside_ = true;
      errors_.Add(file_rules::kRecordOutsideSection, row.line, "",
                  std::string(row.text), "a [section] line first",
                  "a line comes before any section");
    }
  }
  FinishSection();
  for (const CsvSyntaxError& e : csv.errors()) {
    errors_.Add(file_rules::kMalformedCsv, e.line, "", "",
                "RFC 4180 quoting: \"a \"\"quoted\"\" field\"", e.message);
  }
  for (const SectionSchema& schema : schemas_) {
    if (schema.must_appear && file_.Find(schema.name) == nullptr) {
      errors_.Add(file_rules::kMissingSection, 0, "", "",
                  absl::StrCat("[", schema.name, "]"),
                  absl::StrCat("the [", schema.name, "] section is missing"));
    }
  }
  return std::move(file_);
}

std::vector<std::string> Reader::KnownNames() const {
  std::vector<std::string> names = schema_->required;
  names.insert(names.end(), schema_->optional.begin(), schema_->optional.end());
  return names;
}

void Reader::StartSection(const std::string& name, int line) {
  before_first_section_ = false;
  schema_ = nullptr;
  section_ = nullptr;
  have_header_ = false;
  header_ok_ = false;
  header_.clear();
  const auto schema =
      std::find_if(schemas_.begin(), schemas_.end(),
                   [&](const SectionSchema& s) { return s.name == name; });
  if (schema == schemas_.end()) {
    std::vector<std::string> names;
    for (const SectionSchema& s : schemas_) names.push_back(s.name);
    errors_.Add(file_rules::kUnknownSection, line, "", name, OneOf(names),
                "unknown section; its lines are skipped");
    return;
  }
  if (const Section* earlier = file_.Find(name)) {
    errors_.Add(
        file_rules::kDuplicateSection, line, "", name,
        absl::StrCat("each section once (first on line ", earlier->line, ")"),
        "the section appears twice; the second is skipped");
    return;
  }
  schema_ = &*schema;
  section_ = &file_.sections[name];
  section_->line = line;
  if (schema_->kind == Kind::kKeyValue) {
    section_->records.push_back({line, {}});
  }
}

void Reader::FinishSection() {
  if (section_ == nullptr || schema_->kind != Kind::kKeyValue) return;
  for (const std::string& key : schema_->required) {
    if (section_->records[0].Find(key) == nullptr) {
      errors_.Add(file_rules::kMissingColumn, section_->line, key, "",
                  absl::StrCat("a line ", key, ",<value>"),
                  "a required key is missing");
    }
  }
}

void Reader::KeyValueLine(const CsvRow& row) {
  const std::string key(absl::StripAsciiWhitespace(row.fields[0]));
  if (row.fields.size() < 2 || !AllEmpty(row.fields, 2)) {
    errors_.Add(
        file_rules::kFieldCount, row.line, key, std::string(row.text),
        "key,value (quote a value holding a comma)",
        absl::StrCat("a key-value line has ", row.fields.size(), " fields"));
    return;
  }
  if (!Contains(schema_->required, key) && !Contains(schema_->optional, key)) {
    errors_.Add(file_rules::kUnknownColumn, row.line, key, key,
                OneOf(KnownNames()),
                absl::StrCat("unknown key in [", schema_->name, "]"));
    return;
  }
  auto [it, inserted] = section_->records[0].cells.try_emplace(
      key, Cell{row.fields[1], row.line});
  if (!inserted) {
    errors_.Add(
        file_rules::kDuplicateColumn, row.line, key, row.fields[1],
        absl::StrCat("each key once (first on line ", it->second.line, ")"),
        "the key appears twice");
  }
}

void Reader::HeaderLine(const CsvRow& row) {
  have_header_ = true;
  header_ok_ = true;
  header_line_ = row.line;
  for (const std::string& field : row.fields) {
    header_.emplace_back(absl::StripAsciiWhitespace(field));
  }
  while (!header_.empty() && header_.back().empty()) header_.pop_back();
  const std::vector<std::string> known = KnownNames();
  for (size_t i = 0; i < header_.size(); ++i) {
    const std::string& column = header_[i];
    if (!Contains(known, column)) {
      header_ok_ = false;
      errors_.Add(file_rules::kUnknownColumn, row.line, column, column,
                  OneOf(known),
                  absl::StrCat("unknown column in [", schema_->name,
                               "]; its rows are not read"));
    } else if (std::find(header_.begin(), header_.begin() + i, column) !=
               header_.begin() + i) {
      header_ok_ = false;
      errors_.Add(file_rules::kDuplicateColumn, row.line, column, column,
                  "each column once",
                  "the column appears twice; its rows are not read");
    }
  }
  for (const std::string& column : schema_->required) {
    if (!Contains(header_, column)) {
      header_ok_ = false;
      errors_.Add(file_rules::kMissingColumn, row.line, column,
                  std::string(row.text),
                  absl::StrCat("a column named ", column),
                  absl::StrCat("a required column of [", schema_->name,
                               "] is missing; its rows are not read"));
    }
  }
}

void Reader::TableRow(const CsvRow& row) {
  if (row.fields.size() < header_.size() ||
      !AllEmpty(row.fields, header_.size())) {
    errors_.Add(file_rules::kFieldCount, row.line, "", std::string(row.text),
                absl::StrCat(header_.size(), " fields, as the header on line ",
                             header_line_, " (quote a value holding a comma)"),
                absl::StrCat("the row has ", row.fields.size(), " fields"));
    return;
  }
  SectionRecord record{row.line, {}};
  for (size_t i = 0; i < header_.size(); ++i) {
    record.cells[header_[i]] = Cell{row.fields[i], row.line};
  }
  section_->records.push_back(std::move(record));
}

}  // namespace

const Cell* SectionRecord::Find(absl::string_view name) const {
  const auto it = cells.find(name);
  return it == cells.end() ? nullptr : &it->second;
}

absl::string_view SectionRecord::Value(absl::string_view name) const {
  const Cell* cell = Find(name);
  return cell == nullptr ? absl::string_view() : cell->value;
}

const Section* SectionedFile::Find(absl::string_view name) const {
  const auto it = sections.find(name);
  return it == sections.end() ? nullptr : &it->second;
}

SectionedFile ReadSectionedFile(absl::string_view text,
                                const std::vector<SectionSchema>& schemas,
                                FileErrorSink* errors) {
  return Reader(schemas, errors).Read(text);
}

}  // namespace budget
