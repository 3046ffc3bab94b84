// PackedBudget::FromWire against PackedBudget(parsed): the same packing for
// every encoding protobuf accepts, and nothing for bytes it refuses.
#include <cstdint>
#include <optional>
#include <random>
#include <string>

#include "absl/strings/str_cat.h"
#include "budget/consolidation/consolidation_test_util.h"
#include "budget/consolidation/packed_budget.h"
#include "google/protobuf/stubs/logging.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"

namespace budget {
namespace {

using google::protobuf::util::MessageDifferencer;

// Protobuf's encoding, written by hand so that a test can give what a
// serializer never writes (a field twice, fields out of order, unknowns).
std::string Varint(uint64_t value) {
  std::string out;
  while (value >= 0x80) {
    out.push_back(static_cast<char>(value | 0x80));
    value >>= 7;
  }
  out.push_back(static_cast<char>(value));
  return out;
}
std::string VarintField(uint32_t number, uint64_t value) {
  return Varint(uint64_t{number} << 3) + Varint(value);
}
std::string BytesField(uint32_t number, const std::string& bytes) {
  return Varint(uint64_t{number} << 3 | 2) + Varint(bytes.size()) + bytes;
}

// What a PackedBudget holds, in a form a test can compare: the budget it
// unpacks to, its particulars, and per line its key, amount and full form.
void ExpectSamePacking(const PackedBudget& actual, const PackedBudget& expected,
                       const std::string& where) {
  SCOPED_TRACE(where);
  const v1::UnitBudget unpacked = actual.Unpack();
  const v1::UnitBudget wanted = expected.Unpack();
  EXPECT_TRUE(MessageDifferencer::Equals(unpacked, wanted))
      << unpacked.ShortDebugString() << "\nvs\n"
      << wanted.ShortDebugString();
  EXPECT_TRUE(MessageDifferencer::Equals(actual.UnpackParticulars(),
                                         expected.UnpackParticulars()));
  EXPECT_EQ(actual.unit_code(), expected.unit_code());
  EXPECT_EQ(actual.fiscal_year(), expected.fiscal_year());
  EXPECT_EQ(actual.has_other(), expected.has_other());
  ASSERT_EQ(actual.lines().size(), expected.lines().size());
  for (size_t i = 0; i < actual.lines().size(); ++i) {
    EXPECT_TRUE(actual.lines()[i].key == expected.lines()[i].key) << i;
    EXPECT_EQ(actual.lines()[i].amount_fen(), expected.lines()[i].amount_fen())
        << i;
    EXPECT_EQ(actual.HasFullForm(actual.lines()[i]),
              expected.HasFullForm(expected.lines()[i]))
        << i;
  }
  ASSERT_EQ(actual.full_lines().size(), expected.full_lines().size());
  for (size_t i = 0; i < actual.full_lines().size(); ++i) {
    EXPECT_EQ(actual.full_lines()[i].SerializeAsString(),
              expected.full_lines()[i].SerializeAsString());
  }
}

// FromWire(`wire`) is PackedBudget(parsed) when protobuf parses `wire`,
// and nullopt when it does not.
void ExpectPackedAsParsed(const std::string& wire, const std::string& where) {
  v1::UnitBudget parsed;
  const bool parses = parsed.ParseFromString(wire);
  const std::optional<PackedBudget> packed = PackedBudget::FromWire(wire);
  ASSERT_EQ(packed.has_value(), parses) << where;
  if (parses) ExpectSamePacking(*packed, PackedBudget(parsed), where);
}

// Lines of every kind the packing tells apart, projects declared before
// and after their lines, goal, income and stated figures.
v1::UnitBudget EveryKindOfLine() {
  v1::UnitBudget budget = MakeBudget("021002");
  AddSpending(&budget, 100);
  v1::ExpenditureLine* project_line = AddSpending(&budget, 250);
  project_line->set_nature(v1::EXPENDITURE_NATURE_PROJECT);
  project_line->set_project_code("410100240000000051611");
  v1::ExpenditureLine* undeclared = AddSpending(&budget, 7);
  undeclared->set_project_code("410100240000000099999");
  AddSpending(&budget, 300, v1::TRANSFER_KIND_REMITTANCE_TO_SUPERIOR, "021");
  AddSpending(&budget, 400)->set_memo("说明");
  AddSpending(&budget, 0)->set_counterpart_unit("021003");
  v1::ExpenditureLine* odd = AddSpending(&budget, -5);
  odd->set_funding_source(static_cast<v1::FundingSource>(300));
  odd->set_nature(static_cast<v1::ExpenditureNature>(-2));
  v1::Project* project = budget.add_projects();
  project->set_code("410100240000000051611");
  project->set_name("项目");
  project->set_category(v1::PROJECT_CATEGORY_SPECIFIC_TARGET);
  project->set_classified(true);
  budget.mutable_overall_goal()->set_annual_objective("目标");
  AddIncome(&budget, v1::FUNDING_SOURCE_SUBSIDY_FROM_SUPERIOR, 500, "021");
  AddIncome(&budget, v1::FUNDING_SOURCE_GENERAL_PUBLIC_BUDGET, 300);
  budget.mutable_other()->set_general_vehicles(2);
  return budget;
}

TEST(PackedBudgetWireTest, PacksAsTheParsedBudget) {
  ExpectPackedAsParsed(EveryKindOfLine().SerializeAsString(), "varied");
  ExpectPackedAsParsed(MakeBudget("021").SerializeAsString(), "no lines");
  ExpectPackedAsParsed("", "empty");
  v1::UnitBudget stated_zero = MakeBudget("021");
  stated_zero.mutable_other();  // Present, all zero: a statement.
  stated_zero.mutable_overall_goal();
  ExpectPackedAsParsed(stated_zero.SerializeAsString(), "present but empty");
}

TEST(PackedBudgetWireTest, ReadsWhatASerializerNeverWrites) {
  google::protobuf::LogSilencer quiet;  // Protobuf logs invalid UTF-8.
  const std::string line = BytesField(1, "2150501") + BytesField(2, "30101") +
                           BytesField(3, "50101") + VarintField(4, 1) +
                           VarintField(7, 100);
  const std::string head = BytesField(1, "021002") + VarintField(2, 2024);
  // A field given twice: the last counts.
  ExpectPackedAsParsed(
      head + BytesField(4, line + BytesField(1, "2150502") + VarintField(7, 9)),
      "line field twice");
  ExpectPackedAsParsed(
      BytesField(4, line) + head + BytesField(1, "021003") + VarintField(2, 7),
      "budget fields twice, after the lines");
  // Explicit defaults, fields out of order.
  ExpectPackedAsParsed(
      head + BytesField(4, VarintField(7, 5) + BytesField(6, "") +
                               VarintField(5, 0) + BytesField(1, "2150501")),
      "defaults, out of order");
  // An unknown field in a line, in the budget; a transfer given as zero.
  ExpectPackedAsParsed(head + BytesField(4, line + VarintField(15, 3)),
                       "unknown in a line");
  ExpectPackedAsParsed(head + BytesField(4, line + VarintField(8, 0)),
                       "transfer kind zero");
  ExpectPackedAsParsed(head + BytesField(4, line) + VarintField(99, 1),
                       "unknown in the budget");
  // Singular messages given twice merge.
  const std::string vehicles = VarintField(5, 2);
  const std::string devices = VarintField(7, 3);
  ExpectPackedAsParsed(head + BytesField(7, vehicles) + BytesField(7, devices),
                       "stated figures twice");
  ExpectPackedAsParsed(head + BytesField(6, BytesField(1, "A")) +
                           BytesField(6, BytesField(2, "B")),
                       "goal twice");
  // Non-ASCII text in a line, valid and not.
  ExpectPackedAsParsed(head + BytesField(4, line + BytesField(10, "说明")),
                       "memo");
  ExpectPackedAsParsed(head + BytesField(4, BytesField(6, "项目")),
                       "non-ASCII project code");
  ExpectPackedAsParsed(head + BytesField(4, BytesField(6, "\xff")),
                       "invalid UTF-8 in a line");
  ExpectPackedAsParsed(BytesField(1, "\xc3\x28"), "invalid UTF-8 unit code");
  // Varints at their longest; a negative int32 takes ten bytes.
  ExpectPackedAsParsed(head + BytesField(4, VarintField(7, ~uint64_t{0})),
                       "amount -1");
  ExpectPackedAsParsed(VarintField(2, static_cast<uint64_t>(int64_t{-1})),
                       "year -1");
  // A wire type the field does not have.
  ExpectPackedAsParsed(head + BytesField(4, BytesField(4, "x")),
                       "enum as bytes");
  ExpectPackedAsParsed(head + BytesField(2, "2024"), "year as bytes");
}

TEST(PackedBudgetWireTest, RefusesWhatProtobufRefuses) {
  const std::string wire = EveryKindOfLine().SerializeAsString();
  ExpectPackedAsParsed(wire.substr(0, wire.size() - 1), "cut short");
  ExpectPackedAsParsed(wire + "\x00", "a zero tag");
  ExpectPackedAsParsed(wire + "\x0f", "wire type 7");
  ExpectPackedAsParsed(BytesField(4, "\x08\xff"), "varint cut in a line");
  ExpectPackedAsParsed(std::string("\x22\xff\xff\xff\xff\x0f", 6),
                       "length past the end");
  ExpectPackedAsParsed(
      std::string("\x38\xff\xff\xff\xff\xff\xff\xff\xff\xff\x7f", 11),
      "varint of more than 64 bits");
  ExpectPackedAsParsed(std::string("\x88\x80\x80\x80\x80\x00\x01", 7),
                       "tag of six bytes");
}

// Every byte of a varied budget changed, and random runs of changes: the
// reader never accepts what protobuf refuses, nor packs differently.
TEST(PackedBudgetWireTest, MutatedBytesPackAsParsed) {
  google::protobuf::LogSilencer quiet;
  const std::string wire = EveryKindOfLine().SerializeAsString();
  for (size_t i = 0; i < wire.size(); ++i) {
    for (int delta : {1, 0x40, 0x80}) {
      std::string mutated = wire;
      mutated[i] = static_cast<char>(mutated[i] + delta);
      ExpectPackedAsParsed(mutated, absl::StrCat("byte ", i, " +", delta));
      if (HasFatalFailure()) return;
    }
  }
  std::mt19937 random(17);
  for (int round = 0; round < 2000; ++round) {
    std::string mutated = wire;
    const int changes = 1 + static_cast<int>(random() % 4);
    for (int c = 0; c < changes; ++c) {
      mutated[random() % mutated.size()] = static_cast<char>(random());
    }
    if (random() % 3 == 0) mutated.resize(random() % mutated.size());
    ExpectPackedAsParsed(mutated, absl::StrCat("round ", round));
    if (HasFatalFailure()) return;
  }
}

// FromWire reads UnitBudget's and ExpenditureLine's fields by number, and
// PackedBudget copies the particulars field by field: a field either
// message gains must be read there too, or it would be dropped.
TEST(PackedBudgetWireTest, KnowsEveryFieldOfABudget) {
  std::string budget_fields, line_fields;
  for (int i = 0; i < v1::UnitBudget::descriptor()->field_count(); ++i) {
    absl::StrAppend(&budget_fields,
                    v1::UnitBudget::descriptor()->field(i)->number(), " ");
  }
  for (int i = 0; i < v1::ExpenditureLine::descriptor()->field_count(); ++i) {
    absl::StrAppend(&line_fields,
                    v1::ExpenditureLine::descriptor()->field(i)->number(), " ");
  }
  EXPECT_EQ(budget_fields, "1 2 3 4 5 6 7 ");
  EXPECT_EQ(line_fields, "1 2 3 4 5 6 7 8 9 10 ");
}

}  // namespace
}  // namespace budget
