#include "budgetctl/request_id.h"

#include <cstdint>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace budgetctl {
namespace {

uint64_t Fnv1a64(const std::string& bytes) {
  uint64_t hash = 14695981039346656037ULL;
  for (unsigned char c : bytes) {
    hash ^= c;
    hash *= 1099511628211ULL;
  }
  return hash;
}

}  // namespace

std::string SubmitRequestId(const budget::v1::UnitBudget& budget) {
  return absl::StrFormat("budgetctl-%s-%d-%016x", budget.unit_code(),
                         budget.fiscal_year(),
                         Fnv1a64(budget.SerializeAsString()));
}

std::string ResendId(absl::string_view id, absl::string_view latest_id,
                     bool same_content, int64_t latest_position) {
  const std::string resent = absl::StrCat(id, "-after-");
  if (same_content || absl::StartsWith(latest_id, resent)) {
    return std::string(latest_id);
  }
  return absl::StrCat(resent, latest_position);
}

}  // namespace budgetctl
