#include "tests/expected_tables/by_meaning.h"

#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "budget/tables/table_grid.h"
#include "tests/expected_tables/table_columns.h"

namespace expected_tables {
namespace {

using budget::v1::TableCell;
using budget::v1::TableRow;

// Amounts as integers in the document's last printed digit (0.1 万元 for
// one decimal of 万元).
class Precision {
 public:
  explicit Precision(const CompareOptions& options)
      : decimals_(options.decimals) {
    fen_per_unit_ = options.in_wan ? 1'000'000 : 100;
    for (int i = 0; i < decimals_; ++i) scale_ *= 10;
  }

  // Rounded half away from zero; 128-bit so no amount overflows.
  int64_t FromFen(int64_t fen) const {
    const __int128 scaled = static_cast<__int128>(fen) * scale_;
    const __int128 half = fen_per_unit_ / 2;
    return static_cast<int64_t>((scaled >= 0 ? scaled + half : scaled - half) /
                                fen_per_unit_);
  }

  // "1,234.5" -> 12345 at one decimal; "" is zero; nullopt when not an
  // amount or finer than the precision.
  std::optional<int64_t> Parse(const std::string& printed) const {
    std::string text = absl::StrReplaceAll(printed, {{",", ""}, {" ", ""}});
    if (text.empty()) return 0;
    const std::vector<std::string> parts = absl::StrSplit(text, '.');
    if (parts.size() > 2 || parts[0].empty() ||
        (parts.size() == 2 && static_cast<int>(parts[1].size()) > decimals_)) {
      return std::nullopt;
    }
    std::string digits =
        absl::StrCat(parts[0], parts.size() == 2 ? parts[1] : "");
    digits.append(decimals_ - (parts.size() == 2 ? parts[1].size() : 0), '0');
    int64_t value = 0;
    if (!absl::SimpleAtoi(digits, &value)) return std::nullopt;
    return value;
  }

  // 12345 -> "1234.5" (no grouping).
  std::string Print(int64_t value) const {
    if (decimals_ == 0) return absl::StrCat(value);
    const bool negative = value < 0;
    const uint64_t magnitude =
        negative ? 0 - static_cast<uint64_t>(value) : value;
    std::string fraction = absl::StrCat(magnitude % scale_);
    fraction.insert(0, decimals_ - fraction.size(), '0');
    return absl::StrCat(negative ? "-" : "", magnitude / scale_, ".", fraction);
  }

 private:
  int decimals_;
  int64_t scale_ = 1;
  int64_t fen_per_unit_;
};

// A TSV column resolved against the table's canonical columns: one column,
// or several whose texts are concatenated ("lei+kuan+xiang").
struct Column {
  std::string name;
  std::vector<int> parts;
};

// The value of `column` in a table row, as the document would print it:
// an amount at the document's precision, "XXXX", or text.
struct Reproduced {
  std::optional<int64_t> amount;
  std::string text;
};

Reproduced ValueOf(const TableRow& row, const Column& column,
                   const Precision& precision) {
  Reproduced value;
  if (column.parts.size() == 1 && column.parts[0] < row.cells_size()) {
    const TableCell& cell = row.cells(column.parts[0]);
    if (cell.value_case() == TableCell::kAmountFen) {
      value.amount = precision.FromFen(cell.amount_fen());
      value.text = precision.Print(*value.amount);
      return value;
    }
  }
  for (int part : column.parts) {
    if (part < row.cells_size()) {
      absl::StrAppend(&value.text, budget::PrintedCell(row.cells(part)));
    }
  }
  return value;
}

bool Same(const std::string& printed, const Reproduced& got,
          const Precision& precision) {
  std::optional<int64_t> amount = precision.Parse(printed);
  if (got.amount.has_value()) return amount == got.amount;
  // A blank cell and a printed zero mean the same.
  if (got.text.empty()) return amount == 0;
  return printed == got.text;
}

class Comparison {
 public:
  Comparison(const budget::v1::DisclosureTable& table, const Tsv& expected,
             const Tsv& known, const CompareOptions& options)
      : table_(table),
        name_(absl::StrCat("T", table.table_id())),
        expected_(expected),
        known_(known),
        precision_(options),
        partial_(options.partial) {}

  std::vector<std::string> Run(const CompareOptions& options) {
    if (expected_.columns.empty()) {
      problems_.push_back(absl::StrCat(name_, ": no expected file"));
      return problems_;
    }
    std::vector<std::string> all_keys;
    for (const RowKey& key : options.keys) {
      all_keys.insert(all_keys.end(), key.key_columns.begin(),
                      key.key_columns.end());
    }
    for (const RowKey& key : options.keys) {
      std::vector<std::string> values = key.value_columns;
      if (values.empty()) {
        for (const std::string& column : expected_.columns) {
          if (std::find(all_keys.begin(), all_keys.end(), column) ==
              all_keys.end()) {
            values.push_back(column);
          }
        }
      }
      CompareGroup(key.key_columns, values);
    }
    return problems_;
  }

 private:
  // The TSV column index and canonical columns of `name`, or a problem.
  std::optional<std::pair<size_t, Column>> Resolve(const std::string& name) {
    auto at =
        std::find(expected_.columns.begin(), expected_.columns.end(), name);
    const std::vector<std::string>& canonical = TableColumns(table_.table_id());
    Column column{name, {}};
    for (absl::string_view part : absl::StrSplit(name, '+')) {
      auto it = std::find(canonical.begin(), canonical.end(), part);
      if (it == canonical.end()) break;
      column.parts.push_back(it - canonical.begin());
    }
    if (at == expected_.columns.end() ||
        column.parts.size() !=
            static_cast<size_t>(std::count(name.begin(), name.end(), '+') +
                                1)) {
      problems_.push_back(
          absl::StrCat(name_, ": column '", name,
                       "' is not both in the TSV and a column of the table"));
      return std::nullopt;
    }
    return std::make_pair(static_cast<size_t>(at - expected_.columns.begin()),
                          column);
  }

  // True when `row` prints a non-zero or masked amount in `values` that
  // known_differences.tsv does not list as printed blank.
  bool PrintsUnlistedFigure(
      const TableRow& row,
      const std::vector<std::pair<size_t, Column>>& values) const {
    std::vector<std::string> printed;
    for (const TableCell& cell : row.cells()) {
      printed.push_back(budget::PrintedCell(cell));
    }
    for (const auto& [index, column] : values) {
      const Reproduced value = ValueOf(row, column, precision_);
      const bool figure = (value.amount.has_value() && *value.amount != 0) ||
                          value.text == "XXXX";
      if (figure &&
          !IsKnown(known_, name_, printed, column.name, "", value.text)) {
        return true;
      }
    }
    return false;
  }

  void CompareGroup(const std::vector<std::string>& key_names,
                    const std::vector<std::string>& value_names) {
    std::vector<std::pair<size_t, Column>> keys, values;
    for (const std::string& name : key_names) {
      auto column = Resolve(name);
      if (!column) return;
      keys.push_back(*column);
    }
    for (const std::string& name : value_names) {
      auto column = Resolve(name);
      if (!column) return;
      values.push_back(*column);
    }
    auto cell = [](const std::vector<std::string>& row, size_t i) {
      return i < row.size() ? row[i] : std::string();
    };
    // Expected rows by key, in order; a row blank in this group is none of
    // its rows (the other half of a two-sided table).
    std::map<std::string, std::vector<const std::vector<std::string>*>> want;
    std::vector<std::string> order;
    for (const std::vector<std::string>& row : expected_.rows) {
      std::vector<std::string> parts;
      bool blank = true;
      for (const auto& [index, column] : keys) {
        parts.push_back(cell(row, index));
        blank = blank && parts.back().empty();
      }
      for (const auto& [index, column] : values) {
        blank = blank && cell(row, index).empty();
      }
      if (blank) continue;
      const std::string key = absl::StrJoin(parts, "|");
      if (want[key].empty()) order.push_back(key);
      want[key].push_back(&row);
    }
    std::map<std::string, std::vector<const TableRow*>> got;
    for (const TableRow& row : table_.body_rows()) {
      std::vector<std::string> parts;
      for (const auto& [index, column] : keys) {
        parts.push_back(ValueOf(row, column, precision_).text);
      }
      got[absl::StrJoin(parts, "|")].push_back(&row);
    }

    for (const std::string& key : order) {
      const auto& rows = want[key];
      const std::vector<const TableRow*>& found = got[key];
      for (size_t n = 0; n < rows.size(); ++n) {
        if (n >= found.size()) {
          problems_.push_back(absl::StrCat(
              name_, " [", key, "]", n > 0 ? absl::StrCat(" #", n + 1) : "",
              ": missing row"));
          continue;
        }
        for (const auto& [index, column] : values) {
          const std::string printed = cell(*rows[n], index);
          const Reproduced value = ValueOf(*found[n], column, precision_);
          if (Same(printed, value, precision_) ||
              IsKnown(known_, name_, *rows[n], column.name, printed,
                      value.text)) {
            continue;
          }
          problems_.push_back(absl::StrCat(name_, " [", key, "] column ",
                                           column.name, ": printed '", printed,
                                           "', got '", value.text, "'"));
        }
      }
    }
    if (partial_) return;
    for (const auto& [key, rows] : got) {
      auto it = want.find(key);
      const size_t listed = it == want.end() ? 0 : it->second.size();
      for (size_t n = listed; n < rows.size(); ++n) {
        if (!PrintsUnlistedFigure(*rows[n], values)) continue;
        problems_.push_back(absl::StrCat(name_, " [", key,
                                         "]: extra row with figures the "
                                         "document does not print"));
      }
    }
  }

  const budget::v1::DisclosureTable& table_;
  const std::string name_;
  const Tsv& expected_;
  const Tsv& known_;
  const Precision precision_;
  const bool partial_;
  std::vector<std::string> problems_;
};

}  // namespace

std::vector<std::string> CompareByMeaning(
    const budget::v1::DisclosureTable& table, const Tsv& expected,
    const Tsv& known, const CompareOptions& options) {
  return Comparison(table, expected, known, options).Run(options);
}

bool SamePrintedAmount(const std::string& printed, int64_t fen,
                       const CompareOptions& options, std::string* reproduced) {
  const Precision precision(options);
  *reproduced = precision.Print(precision.FromFen(fen));
  return precision.Parse(printed) == precision.FromFen(fen);
}

}  // namespace expected_tables
