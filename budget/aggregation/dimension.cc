#include "budget/aggregation/dimension.h"

#include "absl/strings/str_format.h"
#include "absl/strings/strip.h"
#include "budget/v1/budget.pb.h"

namespace budget {
namespace {

template <typename Enum>
std::string EnumValue(const std::string& full_name, absl::string_view prefix,
                      Enum value, Enum unspecified) {
  if (value == unspecified) return "";
  return std::string(absl::StripPrefix(full_name, prefix));
}

template <typename Enum>
bool ParseWithPrefix(bool (*parse)(const std::string&, Enum*),
                     absl::string_view prefix, absl::string_view value,
                     Enum* out) {
  return parse(absl::StrCat(prefix, value), out);
}

int EnumNumberOf(Dimension dimension, absl::string_view value) {
  switch (dimension) {
    case Dimension::kFundingSource: {
      v1::FundingSource source;
      return ParseWithPrefix(&v1::FundingSource_Parse, "FUNDING_SOURCE_", value,
                             &source)
                 ? source
                 : 0;
    }
    case Dimension::kNature: {
      v1::ExpenditureNature nature;
      return ParseWithPrefix(&v1::ExpenditureNature_Parse,
                             "EXPENDITURE_NATURE_", value, &nature)
                 ? nature
                 : 0;
    }
    case Dimension::kProjectCategory: {
      v1::ProjectCategory category;
      return ParseWithPrefix(&v1::ProjectCategory_Parse, "PROJECT_CATEGORY_",
                             value, &category)
                 ? category
                 : 0;
    }
    default:
      return 0;
  }
}

}  // namespace

bool IsPlacementDimension(Dimension dimension) {
  return dimension == Dimension::kUnit || dimension == Dimension::kChild;
}

std::string ValueOf(Dimension dimension, const ExpenditureKey& key,
                    bool cleared) {
  switch (dimension) {
    case Dimension::kFunctionClass:
      return std::string(key.function_code().substr(0, 3));
    case Dimension::kFunctionSection:
      return std::string(key.function_code().substr(0, 5));
    case Dimension::kFunctionItem:
      return std::string(key.function_code());
    case Dimension::kDeptEconomicClass:
      return std::string(key.dept_economic_code().substr(0, 3));
    case Dimension::kDeptEconomicSection:
      return std::string(key.dept_economic_code());
    case Dimension::kGovEconomicClass:
      return std::string(key.gov_economic_code().substr(0, 3));
    case Dimension::kGovEconomicSection:
      return std::string(key.gov_economic_code());
    case Dimension::kFundingSource:
      return EnumValue(v1::FundingSource_Name(key.source()), "FUNDING_SOURCE_",
                       key.source(), v1::FUNDING_SOURCE_UNSPECIFIED);
    case Dimension::kNature:
      return EnumValue(v1::ExpenditureNature_Name(key.nature()),
                       "EXPENDITURE_NATURE_", key.nature(),
                       v1::EXPENDITURE_NATURE_UNSPECIFIED);
    case Dimension::kProjectCategory:
      return EnumValue(v1::ProjectCategory_Name(key.project_category()),
                       "PROJECT_CATEGORY_", key.project_category(),
                       v1::PROJECT_CATEGORY_UNSPECIFIED);
    case Dimension::kProject:
      if (key.project_classified() && !cleared) return kMaskedProject;
      return std::string(key.project_code());
    case Dimension::kUnit:
    case Dimension::kChild:
      break;
  }
  return "";
}

std::string SortKeyOf(Dimension dimension, absl::string_view value) {
  switch (dimension) {
    case Dimension::kFundingSource:
    case Dimension::kNature:
    case Dimension::kProjectCategory:
      return absl::StrFormat("%04d", EnumNumberOf(dimension, value));
    default:
      return std::string(value);
  }
}

std::string NameOf(Dimension dimension, absl::string_view value,
                   const MemberNames& names) {
  switch (dimension) {
    case Dimension::kUnit:
    case Dimension::kChild: {
      const v1::Unit* unit = names.tree->Find(value);
      return unit == nullptr ? "" : unit->name();
    }
    case Dimension::kFunctionClass:
    case Dimension::kFunctionSection:
    case Dimension::kFunctionItem:
      return std::string(names.catalog->NameOf(CodeSystem::kFunction, value));
    case Dimension::kDeptEconomicClass:
    case Dimension::kDeptEconomicSection:
      return std::string(
          names.catalog->NameOf(CodeSystem::kDeptEconomic, value));
    case Dimension::kGovEconomicClass:
    case Dimension::kGovEconomicSection:
      return std::string(
          names.catalog->NameOf(CodeSystem::kGovEconomic, value));
    case Dimension::kFundingSource:
      return std::string(Catalog::FundingSourceName(
          static_cast<v1::FundingSource>(EnumNumberOf(dimension, value))));
    case Dimension::kNature:
      switch (EnumNumberOf(dimension, value)) {
        case v1::EXPENDITURE_NATURE_BASIC_PERSONNEL:
          return "人员经费";
        case v1::EXPENDITURE_NATURE_BASIC_PUBLIC:
          return "公用经费";
        case v1::EXPENDITURE_NATURE_PROJECT:
          return "项目支出";
        case v1::EXPENDITURE_NATURE_OPERATING:
          return "事业单位经营支出";
      }
      return "";
    case Dimension::kProjectCategory:
      // Basic lines have no project, so no category: named as kProject
      // names them.
      if (value.empty()) return "基本支出";
      switch (EnumNumberOf(dimension, value)) {
        case v1::PROJECT_CATEGORY_OTHER_OPERATING:
          return "其他运转类";
        case v1::PROJECT_CATEGORY_SPECIFIC_TARGET:
          return "特定目标类";
      }
      return "";
    case Dimension::kProject: {
      if (value == kMaskedProject) return kMaskedProject;
      if (value.empty()) return "基本支出";
      if (names.projects == nullptr) return "";
      auto it = names.projects->find(value);
      return it == names.projects->end() ? "" : it->second;
    }
  }
  return "";
}

}  // namespace budget
