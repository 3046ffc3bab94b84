// How budget and units files write an enumeration: the proto value name
// without the prefix all its values share (GENERAL_PUBLIC_BUDGET for
// FUNDING_SOURCE_GENERAL_PUBLIC_BUDGET), or the Chinese label a finance
// officer knows (一般公共预算). The labels are those of
// docs/budget-file-format.md.
//
// EnumText objects are immutable once built and safe to share between
// threads; EnumTextFor builds them once.
#ifndef BUDGET_BUDGET_FILE_ENUM_TEXT_H_
#define BUDGET_BUDGET_FILE_ENUM_TEXT_H_

#include <optional>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/descriptor.h"

namespace budget {

class EnumText {
 public:
  // `labels` maps value numbers to their Chinese labels.
  EnumText(const google::protobuf::EnumDescriptor* descriptor,
           const absl::flat_hash_map<int, std::string>& labels);

  // The number named by a short name or a label, surrounding whitespace
  // ignored; "" names the unspecified value 0, which the validator rejects
  // where a value is required. nullopt for anything else.
  std::optional<int> Parse(absl::string_view text) const;

  // The short name; "" for 0. A number the enum does not define (proto3
  // keeps them) is written as the number, which Parse rejects.
  std::string Format(int number) const;

  // Every accepted spelling, for error messages:
  // "GENERAL_PUBLIC_BUDGET (一般公共预算), GOVERNMENT_FUND, ... or empty".
  const std::string& expected() const { return expected_; }

 private:
  const google::protobuf::EnumDescriptor* descriptor_;
  size_t prefix_length_;                           // Of e.g. "FUNDING_SOURCE_".
  absl::flat_hash_map<std::string, int> numbers_;  // By name and label.
  std::string expected_;
};

// The EnumText of a project enum. Enums without labels in the format
// accept their short names only.
const EnumText& EnumTextFor(const google::protobuf::EnumDescriptor* enum_type);

}  // namespace budget

#endif  // BUDGET_BUDGET_FILE_ENUM_TEXT_H_
