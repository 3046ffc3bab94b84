#include "budget/aggregation/control_facts.h"

#include <optional>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "budget/aggregation/fact_sources.h"

namespace budget {
namespace {

// As budget.v1.Dimension names them, without the prefix.
const char* NameOf(Dimension dimension) {
  static constexpr const char* kNames[] = {
      "UNIT",
      "CHILD",
      "FUNCTION_CLASS",
      "FUNCTION_SECTION",
      "FUNCTION_ITEM",
      "DEPT_ECONOMIC_CLASS",
      "DEPT_ECONOMIC_SECTION",
      "GOV_ECONOMIC_CLASS",
      "GOV_ECONOMIC_SECTION",
      "FUNDING_SOURCE",
      "NATURE",
      "PROJECT_CATEGORY",
      "PROJECT",
  };
  return kNames[static_cast<int>(dimension)];
}

bool IsBucketDimension(Dimension dimension) {
  return dimension == Dimension::kFundingSource ||
         dimension == Dimension::kNature || dimension == Dimension::kProject;
}

// The bucket of `amount` as a member of `bucket`; nullopt when the amount
// controls another dimension's bucket.
std::optional<std::string> BucketValue(const v1::ControlAmount& amount,
                                       Dimension bucket) {
  switch (amount.bucket_case()) {
    case v1::ControlAmount::kFundingSource:
      if (bucket != Dimension::kFundingSource) return std::nullopt;
      return std::string(absl::StripPrefix(
          v1::FundingSource_Name(amount.funding_source()), "FUNDING_SOURCE_"));
    case v1::ControlAmount::kNature:
      if (bucket != Dimension::kNature) return std::nullopt;
      return std::string(absl::StripPrefix(
          v1::ExpenditureNature_Name(amount.nature()), "EXPENDITURE_NATURE_"));
    case v1::ControlAmount::kProjectCode:
      if (bucket != Dimension::kProject) return std::nullopt;
      return amount.project_code();
    case v1::ControlAmount::BUCKET_NOT_SET:
      break;
  }
  return std::nullopt;
}

}  // namespace

absl::StatusOr<Dimension> ControlBucket(const AggregateQuery& query) {
  constexpr char kWhy[] =
      "control figures are set per unit and per funding source, nature or "
      "project only (cycle.proto ControlAmount)";
  std::optional<Dimension> bucket;
  std::string bucket_field;
  auto use = [&](Dimension dimension,
                 const std::string& field) -> absl::Status {
    if (IsPlacementDimension(dimension)) return absl::OkStatus();
    if (!IsBucketDimension(dimension)) {
      return absl::InvalidArgumentError(absl::StrCat(
          field, ": dimension ", NameOf(dimension),
          " given with a control figures column; expected UNIT, CHILD, "
          "FUNDING_SOURCE, NATURE or PROJECT: ",
          kWhy));
    }
    if (bucket.has_value() && *bucket != dimension) {
      return absl::InvalidArgumentError(absl::StrCat(
          field, ": dimension ", NameOf(dimension), " given beside ",
          NameOf(*bucket), " of ", bucket_field,
          " with a control figures column; expected one of FUNDING_SOURCE, "
          "NATURE and PROJECT: a control figure bounds one bucket, not a "
          "combination"));
    }
    bucket = dimension;
    bucket_field = field;
    return absl::OkStatus();
  };
  for (size_t i = 0; i < query.drilldown.size(); ++i) {
    if (absl::Status s =
            use(query.drilldown[i], absl::StrCat("drilldown[", i, "]"));
        !s.ok()) {
      return s;
    }
  }
  for (size_t i = 0; i < query.cuts.size(); ++i) {
    if (absl::Status s = use(query.cuts[i].dimension,
                             absl::StrCat("cuts[", i, "].dimension"));
        !s.ok()) {
      return s;
    }
  }
  if (!bucket.has_value()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "drilldown: no FUNDING_SOURCE, NATURE or PROJECT given with a control "
        "figures column; expected exactly one of them in the drilldown or a "
        "cut: ",
        kWhy, ", and the buckets of different dimensions overlap"));
  }
  return *bucket;
}

std::vector<ControlFact> ControlFacts(
    const UnitTree& tree, absl::string_view node_code, int32_t year,
    Dimension bucket, const ControlLookup& control, bool cleared,
    const absl::flat_hash_set<std::string>& unclassified) {
  std::vector<ControlFact> facts;
  for (const UnitTree::Visit& visit : tree.Subtree(node_code)) {
    const v1::ControlFigures* figures = control(visit.unit->code(), year);
    if (figures == nullptr) continue;
    std::string child = ChildOf(tree, node_code, visit.unit->code());
    for (const v1::ControlAmount& amount : figures->amounts()) {
      std::optional<std::string> value = BucketValue(amount, bucket);
      if (!value.has_value()) continue;
      if (bucket == Dimension::kProject && !cleared &&
          !unclassified.contains(*value)) {
        *value = kMaskedProject;
      }
      facts.push_back(
          {visit.unit->code(), child, *std::move(value), amount.amount_fen()});
    }
  }
  return facts;
}

}  // namespace budget
