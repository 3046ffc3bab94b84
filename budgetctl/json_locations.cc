#include "budgetctl/json_locations.h"

#include <cctype>
#include <utility>

#include "absl/strings/str_cat.h"

namespace budgetctl {
namespace {

// Protobuf's JSON names are the proto names in lowerCamelCase; protobuf
// accepts either, so a member name becomes the proto name by putting an
// underscore before each capital.
std::string ProtoName(absl::string_view json_name) {
  std::string name;
  for (char c : json_name) {
    if (std::isupper(static_cast<unsigned char>(c))) {
      name.push_back('_');
      name.push_back(
          static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    } else {
      name.push_back(c);
    }
  }
  return name;
}

// Values nested deeper than protobuf's own limit are not followed.
constexpr int kMaxDepth = 100;

}  // namespace

// A recursive-descent pass over the text that records places and stops at
// the first syntax error.
class JsonLocations::Scanner {
 public:
  Scanner(absl::string_view text, JsonLocations* out)
      : text_(text), out_(out) {}

  void Run() {
    SkipSpace();
    if (!Value("", 0)) return;
    SkipSpace();
    if (at_ < text_.size()) Fail("the end of the file after the value");
  }

 private:
  bool Value(const std::string& path, int depth) {
    SkipSpace();
    if (!path.empty()) out_->places_.emplace(path, Here());
    if (at_ >= text_.size()) return Fail("a value");
    if (depth > kMaxDepth) return Fail("values nested less deep");
    switch (text_[at_]) {
      case '{':
        return Object(path, depth);
      case '[':
        return Array(path, depth);
      case '"':
        return String(nullptr);
      default:
        return Literal();
    }
  }

  bool Object(const std::string& path, int depth) {
    Advance();  // '{'
    SkipSpace();
    if (Peek('}')) return Advance(), true;
    while (true) {
      SkipSpace();
      std::string name;
      if (!Peek('"')) return Fail("a member name in double quotes");
      if (!String(&name)) return false;
      SkipSpace();
      if (!Peek(':')) return Fail("':' after the member name");
      Advance();
      const std::string proto_name = ProtoName(name);
      const std::string member =
          path.empty() ? proto_name : absl::StrCat(path, ".", proto_name);
      // Protobuf keeps the last of two members naming one field (as
      // "unitCode" and "unit_code"), so one file could say two things.
      if (auto first = out_->places_.find(member);
          first != out_->places_.end()) {
        SkipSpace();
        out_->syntax_error_ =
            absl::StrCat(member, " is given twice (first on line ",
                         first->second.line, "); give each field once");
        out_->syntax_error_place_ = Here();
        out_->duplicate_ = true;
        return false;
      }
      if (!Value(member, depth + 1)) return false;
      SkipSpace();
      if (Peek('}')) return Advance(), true;
      if (!Peek(',')) return Fail("',' or '}' after the member");
      Advance();
    }
  }

  bool Array(const std::string& path, int depth) {
    Advance();  // '['
    SkipSpace();
    if (Peek(']')) return Advance(), true;
    for (int index = 0;; ++index) {
      if (!Value(absl::StrCat(path, "[", index, "]"), depth + 1)) return false;
      SkipSpace();
      if (Peek(']')) return Advance(), true;
      if (!Peek(',')) return Fail("',' or ']' after the element");
      Advance();
    }
  }

  // A string; its raw text (escapes kept) into `text` when not null.
  bool String(std::string* text) {
    Advance();  // '"'
    while (at_ < text_.size() && text_[at_] != '"') {
      if (text_[at_] == '\n') return Fail("the closing '\"' on the same line");
      if (text_[at_] == '\\') {
        if (text != nullptr) text->push_back(text_[at_]);
        Advance();
        if (at_ >= text_.size()) break;
      }
      if (text != nullptr) text->push_back(text_[at_]);
      Advance();
    }
    if (at_ >= text_.size()) return Fail("the closing '\"' of the string");
    Advance();
    return true;
  }

  // A number, true, false or null: checked by protobuf; here only its end.
  bool Literal() {
    const size_t start = at_;
    while (at_ < text_.size() &&
           (std::isalnum(static_cast<unsigned char>(text_[at_])) ||
            text_[at_] == '-' || text_[at_] == '+' || text_[at_] == '.')) {
      Advance();
    }
    if (at_ == start) return Fail("a value");
    return true;
  }

  void SkipSpace() {
    while (at_ < text_.size() && (text_[at_] == ' ' || text_[at_] == '\t' ||
                                  text_[at_] == '\n' || text_[at_] == '\r')) {
      Advance();
    }
  }

  bool Peek(char c) const { return at_ < text_.size() && text_[at_] == c; }

  void Advance() {
    if (text_[at_] == '\n') {
      ++line_;
      column_ = 1;
    } else {
      ++column_;
    }
    ++at_;
  }

  TextPlace Here() const { return {line_, column_}; }

  bool Fail(absl::string_view expected) {
    out_->syntax_error_ = absl::StrCat(
        "expected ", expected, " here, found ",
        at_ < text_.size() ? absl::StrCat("'", text_.substr(at_, 1), "'")
                           : std::string("the end of the file"));
    out_->syntax_error_place_ = Here();
    return false;
  }

  const absl::string_view text_;
  JsonLocations* const out_;
  size_t at_ = 0;
  int line_ = 1;
  int column_ = 1;
};

JsonLocations::JsonLocations(absl::string_view text) {
  Scanner(text, this).Run();
}

TextPlace JsonLocations::Find(absl::string_view field_path) const {
  std::string path(field_path);
  while (!path.empty()) {
    auto found = places_.find(path);
    if (found != places_.end()) return found->second;
    const size_t cut = path.find_last_of(".[");
    if (cut == std::string::npos) break;
    path.resize(cut);
  }
  return {};
}

budget::SourceMap JsonLocations::ToSourceMap(
    absl::string_view file_name) const {
  budget::SourceMap map(file_name);
  for (const auto& [path, place] : places_) map.Add(path, place.line);
  return map;
}

}  // namespace budgetctl
