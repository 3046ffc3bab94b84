#include "budget/budget_file/csv_reader.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"

namespace budget {
namespace {

constexpr absl::string_view kByteOrderMark = "\xEF\xBB\xBF";

}  // namespace

CsvReader::CsvReader(absl::string_view text) : text_(text) {
  if (absl::StartsWith(text_, kByteOrderMark)) {
    pos_ = kByteOrderMark.size();
  }
}

void CsvReader::SkipIgnoredLines() {
  while (pos_ < text_.size()) {
    absl::string_view line = text_.substr(pos_);
    const size_t eol = line.find('\n');
    line = line.substr(0, eol);
    if (!absl::StartsWith(line, "#") &&
        !absl::StripAsciiWhitespace(line).empty()) {
      return;
    }
    pos_ = eol == absl::string_view::npos ? text_.size() : pos_ + eol + 1;
    ++line_;
  }
}

bool CsvReader::ConsumeEndOfRecord() {
  if (pos_ >= text_.size()) return true;
  if (text_[pos_] == '\n') {
    ++pos_;
  } else if (text_[pos_] == '\r' && pos_ + 1 < text_.size() &&
             text_[pos_ + 1] == '\n') {
    pos_ += 2;
  } else {
    return false;
  }
  ++line_;
  return true;
}

bool CsvReader::Next(CsvRow* row) {
  SkipIgnoredLines();
  if (pos_ >= text_.size()) return false;
  row->line = line_;
  row->fields.clear();
  const size_t start = pos_;
  size_t end = start;
  std::string field;
  enum class State { kFieldStart, kUnquoted, kQuoted, kAfterQuote };
  State state = State::kFieldStart;
  bool reported = false;  // One error per record is enough to find it.
  while (true) {
    if (state != State::kQuoted) {
      end = pos_;
      if (ConsumeEndOfRecord()) break;
    } else if (pos_ >= text_.size()) {
      errors_.push_back({row->line, "a quoted field is never closed"});
      end = pos_;
      break;
    }
    const char c = text_[pos_++];
    switch (state) {
      case State::kFieldStart:
      case State::kUnquoted:
        if (c == ',') {
          row->fields.push_back(std::move(field));
          field.clear();
          state = State::kFieldStart;
        } else if (c == '"' && state == State::kFieldStart) {
          state = State::kQuoted;
        } else {
          field.push_back(c);
          state = State::kUnquoted;
        }
        break;
      case State::kQuoted:
        if (c == '"') {
          if (pos_ < text_.size() && text_[pos_] == '"') {
            field.push_back('"');
            ++pos_;
          } else {
            state = State::kAfterQuote;
          }
        } else {
          if (c == '\n') ++line_;
          field.push_back(c);
        }
        break;
      case State::kAfterQuote:
        if (c == ',') {
          row->fields.push_back(std::move(field));
          field.clear();
          state = State::kFieldStart;
        } else {
          if (!reported) {
            errors_.push_back(
                {line_, "text after the closing quote of a field"});
            reported = true;
          }
          field.push_back(c);
          state = State::kUnquoted;
        }
        break;
    }
  }
  row->fields.push_back(std::move(field));
  row->text = text_.substr(start, end - start);
  return true;
}

}  // namespace budget
