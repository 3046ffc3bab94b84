// PackedBudget::FromWire: a budget packed straight from its serialized form.
//
// Protobuf's parser builds each expenditure line as a message of six
// strings, which PackedBudget then reads once and drops. Here the plain
// lines are read in place: their codes are viewed in `wire`, interned, and
// never copied. Everything else (income, projects, the goal, the stated
// figures, any line that carries more than a PackedLine holds) is parsed
// by protobuf as before. What this reader does not expect (an unknown
// field, a field in another wire type, a singular message given twice,
// non-ASCII text in a line, bytes that do not parse) it leaves to protobuf
// as a whole, so that the result is always PackedBudget(parsed).

#include <cstdint>
#include <iterator>
#include <limits>
#include <optional>
#include <vector>

#include "absl/strings/string_view.h"
#include "budget/consolidation/packed_budget.h"
#include "google/protobuf/repeated_ptr_field.h"

namespace budget {
namespace {

// Wire types of protobuf's encoding that the fields read here use.
constexpr uint32_t kVarint = 0;
constexpr uint32_t kLengthDelimited = 2;

// Reads the fields of one message's encoding in order. Every read returns
// false on bytes that are not a valid encoding (or one this reader does
// not take: a varint of more than 64 bits).
class FieldReader {
 public:
  explicit FieldReader(absl::string_view bytes)
      : at_(reinterpret_cast<const uint8_t*>(bytes.data())),
        end_(at_ + bytes.size()) {}

  bool AtEnd() const { return at_ == end_; }

  // The next field's number and wire type. At most five bytes, as
  // protobuf reads a tag.
  bool ReadTag(int& number, uint32_t& wire_type) {
    uint64_t tag = 0;
    for (int shift = 0;; shift += 7) {
      if (at_ == end_ || shift > 28) return false;
      const uint8_t byte = *at_++;
      tag |= static_cast<uint64_t>(byte & 0x7F) << shift;
      if (byte < 0x80) break;
    }
    if (tag > std::numeric_limits<uint32_t>::max() || (tag >> 3) == 0) {
      return false;
    }
    number = static_cast<int>(tag >> 3);  // Below 2^29.
    wire_type = static_cast<uint32_t>(tag & 7);
    return true;
  }

  bool ReadVarint(uint64_t& value) {
    value = 0;
    for (int shift = 0; shift < 64 && at_ < end_; shift += 7) {
      const uint8_t byte = *at_++;
      // The tenth byte holds bit 63 only.
      if (shift == 63 && byte > 1) return false;
      value |= static_cast<uint64_t>(byte & 0x7F) << shift;
      if (byte < 0x80) return true;
    }
    return false;
  }

  bool ReadLengthDelimited(absl::string_view& bytes) {
    uint64_t length;
    if (!ReadVarint(length) || length > static_cast<uint64_t>(end_ - at_) ||
        length > static_cast<uint64_t>(std::numeric_limits<int>::max())) {
      return false;
    }
    bytes = absl::string_view(reinterpret_cast<const char*>(at_),
                              static_cast<size_t>(length));
    at_ += length;
    return true;
  }

 private:
  const uint8_t* at_;
  const uint8_t* end_;
};

bool IsAscii(absl::string_view text) {
  for (char c : text) {
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  }
  return true;
}

// How many expenditure lines `wire` holds, to size their vector once;
// grown line by line, it was a run of allocations of every size per
// budget. A guess where the bytes are not what FromWire reads itself.
size_t CountLines(absl::string_view wire) {
  FieldReader reader(wire);
  size_t lines = 0;
  int number;
  uint32_t wire_type;
  uint64_t value;
  absl::string_view bytes;
  while (!reader.AtEnd() && reader.ReadTag(number, wire_type)) {
    if (wire_type == kVarint) {
      if (!reader.ReadVarint(value)) break;
    } else if (wire_type != kLengthDelimited ||
               !reader.ReadLengthDelimited(bytes)) {
      break;
    } else if (number == v1::UnitBudget::kExpendituresFieldNumber) {
      ++lines;
    }
  }
  return lines;
}

template <typename Message>
bool ParseInto(absl::string_view bytes, Message& message) {
  return message.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()));
}

}  // namespace

std::optional<PackedBudget> PackedBudget::FromWire(absl::string_view wire) {
  // Every field number either message has must be read below
  // (PackedBudgetWireTest.KnowsEveryFieldOfABudget).
  using Budget = v1::UnitBudget;
  using Line = v1::ExpenditureLine;
  const auto parsed_whole = [wire]() -> std::optional<PackedBudget> {
    v1::UnitBudget budget;
    if (wire.size() > static_cast<size_t>(std::numeric_limits<int>::max()) ||
        !ParseInto(wire, budget)) {
      return std::nullopt;
    }
    return PackedBudget(budget);
  };

  absl::string_view unit_code;
  uint64_t fiscal_year = 0;
  std::vector<LineFields> lines;
  lines.reserve(CountLines(wire));
  // Lines parsed whole, where each keeps its address.
  google::protobuf::RepeatedPtrField<v1::ExpenditureLine> parsed_lines;
  std::vector<v1::IncomeLine> income;
  v1::UnitBudget particulars;
  v1::OtherDisclosures other;
  bool has_other = false;

  FieldReader budget(wire);
  while (!budget.AtEnd()) {
    int number;
    uint32_t wire_type;
    if (!budget.ReadTag(number, wire_type)) return parsed_whole();
    if (number == Budget::kFiscalYearFieldNumber && wire_type == kVarint) {
      if (!budget.ReadVarint(fiscal_year)) return parsed_whole();
      continue;
    }
    absl::string_view bytes;
    if (wire_type != kLengthDelimited || !budget.ReadLengthDelimited(bytes)) {
      return parsed_whole();
    }
    switch (number) {
      case Budget::kUnitCodeFieldNumber:
        if (!IsAscii(bytes)) return parsed_whole();
        unit_code = bytes;
        break;
      case Budget::kIncomeFieldNumber:
        if (!ParseInto(bytes, income.emplace_back())) return parsed_whole();
        break;
      case Budget::kExpendituresFieldNumber: {
        LineFields& line = lines.emplace_back();
        FieldReader fields(bytes);
        bool plain = true;
        while (plain && !fields.AtEnd()) {
          int field;
          uint32_t type;
          uint64_t value;
          absl::string_view text;
          plain = fields.ReadTag(field, type);
          if (!plain) break;
          switch (field) {
            case Line::kFunctionCodeFieldNumber:
            case Line::kDeptEconomicCodeFieldNumber:
            case Line::kGovEconomicCodeFieldNumber:
            case Line::kProjectCodeFieldNumber:
              plain = type == kLengthDelimited &&
                      fields.ReadLengthDelimited(text) && IsAscii(text);
              if (!plain) break;
              (field == Line::kFunctionCodeFieldNumber ? line.function_code
               : field == Line::kDeptEconomicCodeFieldNumber
                   ? line.dept_economic_code
               : field == Line::kGovEconomicCodeFieldNumber
                   ? line.gov_economic_code
                   : line.project_code) = text;
              break;
            case Line::kFundingSourceFieldNumber:
            case Line::kNatureFieldNumber:
            case Line::kAmountFenFieldNumber:
              plain = type == kVarint && fields.ReadVarint(value);
              if (!plain) break;
              // As protobuf reads them: enums and int32 keep the low 32
              // bits, int64 all 64.
              if (field == Line::kFundingSourceFieldNumber) {
                line.source =
                    static_cast<v1::FundingSource>(static_cast<int32_t>(value));
              } else if (field == Line::kNatureFieldNumber) {
                line.nature = static_cast<v1::ExpenditureNature>(
                    static_cast<int32_t>(value));
              } else {
                line.amount_fen = static_cast<int64_t>(value);
              }
              break;
            default:  // A transfer, counterpart, memo or unknown field.
              plain = false;
          }
        }
        if (!plain) {
          v1::ExpenditureLine* whole = parsed_lines.Add();
          if (!ParseInto(bytes, *whole)) return parsed_whole();
          line = LineFields{whole->function_code(),
                            whole->dept_economic_code(),
                            whole->gov_economic_code(),
                            whole->project_code(),
                            whole->funding_source(),
                            whole->nature(),
                            whole->amount_fen(),
                            NeedsFullLine(*whole) ? whole : nullptr};
        }
        break;
      }
      case Budget::kProjectsFieldNumber:
        if (!ParseInto(bytes, *particulars.add_projects())) {
          return parsed_whole();
        }
        break;
      case Budget::kOverallGoalFieldNumber:
        // Given twice, protobuf merges the two: left to it.
        if (particulars.has_overall_goal() ||
            !ParseInto(bytes, *particulars.mutable_overall_goal())) {
          return parsed_whole();
        }
        break;
      case Budget::kOtherFieldNumber:
        if (has_other || !ParseInto(bytes, other)) return parsed_whole();
        has_other = true;
        break;
      default:
        return parsed_whole();
    }
  }

  PackedBudget packed(unit_code, static_cast<int32_t>(fiscal_year), lines,
                      particulars.projects());
  // Sized to fit: a replica holds every budget's income for as long as
  // the budget is current.
  packed.income_.assign(std::make_move_iterator(income.begin()),
                        std::make_move_iterator(income.end()));
  packed.other_ = std::move(other);
  packed.has_other_ = has_other;
  // The particulars as PackedBudget(parsed) writes them.
  particulars.set_unit_code(std::string(unit_code));
  particulars.set_fiscal_year(static_cast<int32_t>(fiscal_year));
  particulars.SerializeToString(&packed.rest_);
  return packed;
}

}  // namespace budget
