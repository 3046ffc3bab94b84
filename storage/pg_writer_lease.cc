#include "storage/pg_writer_lease.h"

#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"

namespace storage {
namespace {

// How long HoldUntil waits on the socket at a time, and so how late at
// most it notices a stop.
constexpr absl::Duration kStopCheck = absl::Seconds(1);

// TCP keepalives on the lease's session, both ends, so that a holder cut
// off by the network loses the lease within about 10 + 5 * 3 = 25 s: the
// server ends the session (freeing the lock for a standby) and the holder's
// socket fails (it stands by). Without them Linux waits two hours. Both
// are ignored on a Unix socket.
constexpr absl::string_view kClientKeepalives =
    "keepalives=1&keepalives_idle=10&keepalives_interval=5&"
    "keepalives_count=3";
constexpr absl::string_view kServerKeepalives =
    "SET tcp_keepalives_idle = 10; SET tcp_keepalives_interval = 5; "
    "SET tcp_keepalives_count = 3";

std::string WithKeepalives(const std::string& uri) {
  if (absl::StrContains(uri, "keepalives")) return uri;  // The operator's.
  return absl::StrCat(uri, absl::StrContains(uri, "?") ? "&" : "?",
                      kClientKeepalives);
}

}  // namespace

absl::StatusOr<bool> PgWriterLease::TryAcquire() {
  if (held_) return true;
  if (connection_ == nullptr) {
    absl::StatusOr<std::unique_ptr<PgConnection>> connection =
        PgConnection::Connect(WithKeepalives(uri_));
    if (!connection.ok()) return connection.status();
    if (absl::Status s = (*connection)->ExecOnEverySession(kServerKeepalives);
        !s.ok()) {
      return s;
    }
    connection_ = *std::move(connection);
  }
  // One transaction, so one session: the epoch is raised only by the
  // session that holds the lock (a session lock outlives the transaction).
  bool locked = false;
  int64_t epoch = 0;
  absl::Status status = connection_->InTransaction([&]() -> absl::Status {
    absl::StatusOr<PgResult> taken =
        connection_->Execute("SELECT pg_try_advisory_lock($1::bigint)::int",
                             PgParams().Add(kLockKey));
    if (!taken.ok()) return taken.status();
    locked = taken->Int(0, 0) != 0;
    if (!locked) return absl::OkStatus();
    absl::StatusOr<PgResult> raised = connection_->Execute(
        "UPDATE writer_lease SET epoch = epoch + 1 WHERE id = 1 "
        "RETURNING epoch");
    if (!raised.ok()) return raised.status();
    if (raised->rows() != 1) {
      return absl::FailedPreconditionError(
          "the store has no writer_lease row: run the schema migrations "
          "(ingest_service --migrate)");
    }
    epoch = raised->Int(0, 0);
    return absl::OkStatus();
  });
  held_ = locked;
  if (!status.ok()) {
    Release();  // A rollback keeps a session lock.
    return status;
  }
  if (!locked) return false;
  session_ = connection_->sessions();
  epoch_ = epoch;
  return true;
}

absl::Status PgWriterLease::HoldUntil(const absl::Notification& stop) {
  while (!stop.HasBeenNotified()) {
    // Nothing is LISTENed to: this returns early only when the socket has
    // something to say, such as the server closing the session.
    absl::StatusOr<std::vector<std::string>> woken =
        connection_->WaitForNotifications(kStopCheck);
    if (!woken.ok()) return Lost(woken.status());
    // A reconnect inside the wait is a new session, without the lock.
    if (connection_->sessions() != session_) {
      return Lost(absl::UnavailableError("its session was replaced"));
    }
  }
  return absl::OkStatus();
}

absl::Status PgWriterLease::Lost(const absl::Status& why) {
  held_ = false;
  return absl::UnavailableError(absl::StrCat("lost the writer lease (epoch ",
                                             epoch_, "): ", why.message()));
}

void PgWriterLease::Release() {
  if (!held_) return;
  held_ = false;
  // When the session is gone, so is the lock.
  connection_
      ->Execute("SELECT pg_advisory_unlock($1::bigint)::int",
                PgParams().Add(kLockKey))
      .IgnoreError();
}

}  // namespace storage
