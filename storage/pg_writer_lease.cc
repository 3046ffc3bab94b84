#include "storage/pg_writer_lease.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"

namespace storage {
namespace {

// How long HoldUntil waits on the socket between confirmations, and so
// how late at most it notices a stop.
constexpr absl::Duration kConfirmEvery = absl::Seconds(1);

}  // namespace

absl::StatusOr<bool> PgWriterLease::TryAcquire() {
  if (held_) return true;
  if (connection_ == nullptr) {
    absl::StatusOr<std::unique_ptr<PgConnection>> connection =
        PgConnection::Connect(uri_);
    if (!connection.ok()) return connection.status();
    connection_ = *std::move(connection);
  }
  absl::StatusOr<PgResult> locked =
      connection_->Execute("SELECT pg_try_advisory_lock($1::bigint)::int",
                           PgParams().Add(kLockKey));
  if (!locked.ok()) return locked.status();
  if (locked->Int(0, 0) == 0) return false;
  held_ = true;
  absl::StatusOr<PgResult> raised = connection_->Execute(
      "UPDATE writer_lease SET epoch = epoch + 1 WHERE id = 1 "
      "RETURNING epoch");
  if (!raised.ok() || raised->rows() != 1) {
    Release();
    return raised.ok() ? absl::FailedPreconditionError(
                             "the store has no writer_lease row: run the "
                             "schema migrations (ingest_service --migrate)")
                       : raised.status();
  }
  epoch_ = raised->Int(0, 0);
  return true;
}

absl::Status PgWriterLease::HoldUntil(const absl::Notification& stop) {
  while (!stop.HasBeenNotified()) {
    // Nothing is LISTENed to: this returns early only when the socket has
    // something to say, such as the server closing the session.
    absl::StatusOr<std::vector<std::string>> woken =
        connection_->WaitForNotifications(kConfirmEvery);
    if (!woken.ok()) return Lost(woken.status());
    if (absl::Status held = CheckHeld(); !held.ok()) return Lost(held);
  }
  return absl::OkStatus();
}

absl::Status PgWriterLease::CheckHeld() {
  // A connection that was reset is a new session without the lock, which
  // this query sees too.
  absl::StatusOr<PgResult> mine = connection_->Execute(
      "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' "
      "AND pid = pg_backend_pid() AND classid = 0 AND objid = $1::bigint "
      "AND objsubid = 1 AND granted",
      PgParams().Add(kLockKey));
  if (!mine.ok()) return mine.status();
  if (mine->Int(0, 0) == 0) {
    return absl::UnavailableError("the writer lease's session was replaced");
  }
  return absl::OkStatus();
}

absl::Status PgWriterLease::Lost(const absl::Status& why) {
  held_ = false;
  return absl::UnavailableError(
      absl::StrCat("lost the writer lease (epoch ", epoch_, "): ",
                   why.message()));
}

void PgWriterLease::Release() {
  if (!held_) return;
  held_ = false;
  // When the session is gone, so is the lock.
  connection_->Execute("SELECT pg_advisory_unlock($1::bigint)::int",
                       PgParams().Add(kLockKey))
      .IgnoreError();
}

}  // namespace storage
