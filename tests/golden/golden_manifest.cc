#include "tests/golden/golden_manifest.h"

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace golden {
namespace {

absl::Status LineError(int line, absl::string_view message) {
  return absl::InvalidArgumentError(
      absl::StrCat("golden.cfg:", line, ": ", message));
}

// "a,b:c,d" -> key columns a, b; value columns c, d.
expected_tables::RowKey ParseKey(absl::string_view spec) {
  std::vector<absl::string_view> halves = absl::StrSplit(spec, ':');
  expected_tables::RowKey key;
  key.key_columns = absl::StrSplit(halves[0], ',', absl::SkipEmpty());
  if (halves.size() > 1) {
    key.value_columns = absl::StrSplit(halves[1], ',', absl::SkipEmpty());
  }
  return key;
}

absl::StatusOr<ManifestTable> ParseTable(const std::vector<std::string>& words,
                                         int line) {
  if (words.size() < 3 || words[1].size() != 2) {
    return LineError(line, "want: table NN position | table NN key COLS...");
  }
  ManifestTable table;
  table.id = words[1];
  if (words[2] == "position") {
    if (words.size() != 3) return LineError(line, "position takes nothing");
    return table;
  }
  for (size_t i = 2; i < words.size(); i += 2) {
    if (words[i] == "partial") {
      table.options.partial = true;
      --i;  // A flag without a value.
      continue;
    }
    if (words[i] != "key" || i + 1 >= words.size()) {
      return LineError(line, "want: key COLUMNS[:VALUES] after the table id");
    }
    table.options.keys.push_back(ParseKey(words[i + 1]));
    if (table.options.keys.back().key_columns.empty()) {
      return LineError(line, "a key names at least one column");
    }
  }
  return table;
}

}  // namespace

absl::StatusOr<Manifest> ParseManifest(const std::string& text) {
  Manifest manifest;
  // The view tables belong to: empty node for the default view.
  struct View {
    std::string node;
    int year = 0;
    std::string dir = "expected";
  } view;
  int decimals = 1;
  bool in_wan = true;
  int line_number = 0;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    ++line_number;
    line = absl::StripAsciiWhitespace(line.substr(0, line.find('#')));
    if (line.empty()) continue;
    std::vector<std::string> words =
        absl::StrSplit(line, ' ', absl::SkipWhitespace());
    const std::string& setting = words[0];
    if (setting == "department" && words.size() == 2) {
      manifest.department = words[1];
    } else if (setting == "year" && words.size() == 2 &&
               absl::SimpleAtoi(words[1], &manifest.year)) {
    } else if (setting == "submit_years" && words.size() >= 2) {
      for (size_t i = 1; i < words.size(); ++i) {
        int year = 0;
        if (!absl::SimpleAtoi(words[i], &year)) {
          return LineError(line_number, "submit_years takes years");
        }
        manifest.submit_years.push_back(year);
      }
    } else if (setting == "amounts" && words.size() == 3 &&
               (words[1] == "wan" || words[1] == "yuan") &&
               absl::SimpleAtoi(words[2], &decimals) && decimals >= 0 &&
               decimals <= (words[1] == "wan" ? 6 : 2)) {
      in_wan = words[1] == "wan";
    } else if (setting == "view" && words.size() == 4 &&
               absl::SimpleAtoi(words[2], &view.year) &&
               words[3].find("..") == std::string::npos) {
      view.node = words[1];
      view.dir = "expected/" + words[3];
    } else if (setting == "table") {
      absl::StatusOr<ManifestTable> table = ParseTable(words, line_number);
      if (!table.ok()) return table.status();
      table->node = view.node;
      table->year = view.year;
      table->expected_dir = view.dir;
      manifest.tables.push_back(*std::move(table));
    } else {
      return LineError(line_number, absl::StrCat("cannot read '", line, "'"));
    }
  }
  if (manifest.department.empty() || manifest.year == 0 ||
      manifest.tables.empty()) {
    return absl::InvalidArgumentError(
        "golden.cfg: department, year and at least one table are required");
  }
  for (ManifestTable& table : manifest.tables) {
    table.options.decimals = decimals;
    table.options.in_wan = in_wan;
    if (table.node.empty()) {
      table.node = manifest.department;
      table.year = manifest.year;
    }
  }
  if (manifest.submit_years.empty()) manifest.submit_years = {manifest.year};
  return manifest;
}

}  // namespace golden
