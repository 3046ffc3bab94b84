#include "server_common/audit_writer.h"

#include <cstdio>
#include <utility>

#include "absl/strings/str_format.h"

namespace server_common {

absl::Status AuditWriter::Write(budget::v1::AuditRecord record) {
  absl::MutexLock lock(&mu_);
  if (trail_ == nullptr) {
    absl::StatusOr<std::unique_ptr<storage::AuditTrail>> opened =
        storage::AuditTrail::Open(store_spec_, appender_);
    if (!opened.ok()) {
      absl::FPrintF(stderr, "audit: cannot open the trail: %s\n",
                    opened.status().ToString());
      return opened.status();
    }
    trail_ = *std::move(opened);
  }
  std::string method = record.method();
  absl::Status appended = trail_->Append(std::move(record));
  if (!appended.ok()) {
    absl::FPrintF(stderr, "audit: record of %s not written: %s\n", method,
                  appended.ToString());
    trail_.reset();
  }
  return appended;
}

}  // namespace server_common
