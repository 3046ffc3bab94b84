// Answers every BudgetStore backend gives alike about one revision, so that
// SQLite and PostgreSQL word them the same. Stateless; thread-safe.
#ifndef STORAGE_REVISION_ANSWERS_H_
#define STORAGE_REVISION_ANSWERS_H_

#include <cstdint>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "budget/v1/ingest_service.pb.h"

namespace storage {

// NOT_FOUND: no revision `revision` of the unit and year.
absl::Status NoSuchRevision(absl::string_view unit_code, int32_t fiscal_year,
                            int64_t revision);

// The first of `found` (the rows of GetSubmission's query), NOT_FOUND when
// there is none.
absl::StatusOr<budget::v1::Submission> OneRevision(
    absl::StatusOr<std::vector<budget::v1::Submission>> found,
    absl::string_view unit_code, int32_t fiscal_year, int64_t revision);

}  // namespace storage

#endif  // STORAGE_REVISION_ANSWERS_H_
