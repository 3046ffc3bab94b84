#include "budget/budget_file/enum_text.h"

#include <memory>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/synchronization/mutex.h"
#include "budget/v1/budget.pb.h"

namespace budget {
namespace {

// Chinese labels from docs/budget-file-format.md, which takes them from the
// disclosure tables of the reference budget.
absl::flat_hash_map<int, std::string> LabelsOf(
    const google::protobuf::EnumDescriptor* enum_type) {
  if (enum_type == v1::FundingSource_descriptor()) {
    return {
        {v1::FUNDING_SOURCE_GENERAL_PUBLIC_BUDGET, "一般公共预算"},
        {v1::FUNDING_SOURCE_GOVERNMENT_FUND, "政府性基金"},
        {v1::FUNDING_SOURCE_STATE_CAPITAL, "国有资本经营预算"},
        {v1::FUNDING_SOURCE_FISCAL_SPECIAL_ACCOUNT, "财政专户管理资金"},
        {v1::FUNDING_SOURCE_BUSINESS_INCOME, "事业收入"},
        {v1::FUNDING_SOURCE_OPERATING_INCOME, "事业单位经营收入"},
        {v1::FUNDING_SOURCE_SUBSIDY_FROM_SUPERIOR, "上级补助收入"},
        {v1::FUNDING_SOURCE_REMITTANCE_FROM_SUBORDINATE, "附属单位上缴收入"},
        {v1::FUNDING_SOURCE_OTHER_INCOME, "其他收入"},
        {v1::FUNDING_SOURCE_INSTITUTION_FUND, "用事业基金弥补收支差额"},
    };
  }
  if (enum_type == v1::ExpenditureNature_descriptor()) {
    return {{v1::EXPENDITURE_NATURE_BASIC_PERSONNEL, "人员经费"},
            {v1::EXPENDITURE_NATURE_BASIC_PUBLIC, "公用经费"},
            {v1::EXPENDITURE_NATURE_PROJECT, "项目支出"},
            {v1::EXPENDITURE_NATURE_OPERATING, "事业单位经营支出"}};
  }
  if (enum_type == v1::TransferKind_descriptor()) {
    return {{v1::TRANSFER_KIND_SUBSIDY_TO_SUBORDINATE, "对附属单位补助支出"},
            {v1::TRANSFER_KIND_REMITTANCE_TO_SUPERIOR, "上缴上级支出"}};
  }
  if (enum_type == v1::ProjectCategory_descriptor()) {
    return {{v1::PROJECT_CATEGORY_OTHER_OPERATING, "其他运转类"},
            {v1::PROJECT_CATEGORY_SPECIFIC_TARGET, "特定目标类"}};
  }
  if (enum_type == v1::UnitKind_descriptor()) {
    return {
        {v1::UNIT_KIND_ADMINISTRATIVE, "行政单位"},
        {v1::UNIT_KIND_CIVIL_SERVICE_INSTITUTION, "参照公务员法管理事业单位"},
        {v1::UNIT_KIND_INSTITUTION, "事业单位"},
        {v1::UNIT_KIND_GROUP, "汇总"}};
  }
  return {};
}

}  // namespace

EnumText::EnumText(const google::protobuf::EnumDescriptor* descriptor,
                   const absl::flat_hash_map<int, std::string>& labels)
    : descriptor_(descriptor) {
  // Every value of a project enum is named <PREFIX>_..., the zero value
  // <PREFIX>_UNSPECIFIED.
  const std::string& zero_name = descriptor->FindValueByNumber(0)->name();
  prefix_length_ = zero_name.size() - std::string("UNSPECIFIED").size();
  std::vector<std::string> spellings;
  numbers_[""] = 0;
  for (int i = 0; i < descriptor->value_count(); ++i) {
    const int number = descriptor->value(i)->number();
    if (number == 0) continue;
    std::string spelling = Format(number);
    numbers_[spelling] = number;
    if (auto label = labels.find(number); label != labels.end()) {
      numbers_[label->second] = number;
      absl::StrAppend(&spelling, " (", label->second, ")");
    }
    spellings.push_back(std::move(spelling));
  }
  expected_ = absl::StrCat(absl::StrJoin(spellings, ", "), " or empty");
}

std::optional<int> EnumText::Parse(absl::string_view text) const {
  const auto it = numbers_.find(absl::StripAsciiWhitespace(text));
  if (it == numbers_.end()) return std::nullopt;
  return it->second;
}

std::string EnumText::Format(int number) const {
  if (number == 0) return "";
  const google::protobuf::EnumValueDescriptor* value =
      descriptor_->FindValueByNumber(number);
  if (value == nullptr) return absl::StrCat(number);
  return value->name().substr(prefix_length_);
}

const EnumText& EnumTextFor(const google::protobuf::EnumDescriptor* enum_type) {
  static absl::Mutex mutex(absl::kConstInit);
  static auto* texts =
      new absl::flat_hash_map<const google::protobuf::EnumDescriptor*,
                              std::unique_ptr<EnumText>>();
  absl::MutexLock lock(&mutex);
  std::unique_ptr<EnumText>& text = (*texts)[enum_type];
  if (text == nullptr) {
    text = std::make_unique<EnumText>(enum_type, LabelsOf(enum_type));
  }
  return *text;
}

}  // namespace budget
