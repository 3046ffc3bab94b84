#include "storage/revision_answers.h"

#include <utility>

#include "absl/strings/str_cat.h"

namespace storage {

absl::Status NoSuchRevision(absl::string_view unit_code, int32_t fiscal_year,
                            int64_t revision) {
  return absl::NotFoundError(absl::StrCat("no revision ", revision, " of ",
                                          unit_code, " for ", fiscal_year));
}

absl::StatusOr<budget::v1::Submission> OneRevision(
    absl::StatusOr<std::vector<budget::v1::Submission>> found,
    absl::string_view unit_code, int32_t fiscal_year, int64_t revision) {
  if (!found.ok()) return found.status();
  if (found->empty()) return NoSuchRevision(unit_code, fiscal_year, revision);
  return std::move(found->front());
}

}  // namespace storage
