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
      table.target.options.partial = true;
      --i;  // A flag without a value.
      continue;
    }
    if (words[i] != "key" || i + 1 >= words.size()) {
      return LineError(line, "want: key COLUMNS[:VALUES] after the table id");
    }
    table.target.options.keys.push_back(ParseKey(words[i + 1]));
    if (table.target.options.keys.back().key_columns.empty()) {
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
    } else if (setting == "summary" && words.size() == 3) {
      ManifestSummary summary;
      summary.field = words[1];
      summary.printed = words[2];
      summary.target.node = view.node;
      summary.target.year = view.year;
      manifest.summaries.push_back(std::move(summary));
    } else if (setting == "table") {
      absl::StatusOr<ManifestTable> table = ParseTable(words, line_number);
      if (!table.ok()) return table.status();
      table->target.node = view.node;
      table->target.year = view.year;
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
  // The precision holds for the whole file; the default view is known
  // only at its end.
  auto complete = [&](ManifestTarget& target) {
    target.options.decimals = decimals;
    target.options.in_wan = in_wan;
    if (target.node.empty()) {
      target.node = manifest.department;
      target.year = manifest.year;
    }
  };
  for (ManifestTable& table : manifest.tables) complete(table.target);
  for (ManifestSummary& summary : manifest.summaries) complete(summary.target);
  if (manifest.submit_years.empty()) manifest.submit_years = {manifest.year};
  return manifest;
}

}  // namespace golden
