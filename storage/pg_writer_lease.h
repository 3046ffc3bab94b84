// The writer lease of a PostgreSQL store: a session-level advisory lock
// held on a connection of its own, and a fencing epoch in the table
// writer_lease, raised by every acquisition (the schema, migrations in
// storage/postgres/). PostgresStore checks the epoch inside each write
// transaction (BudgetStore::SetWriterEpoch): raising it waits for the
// previous writer's write transactions in flight, so those land before the
// new writer loads the store or fail, and none can land afterwards.
//
// The lock dies with its session (the holder's process killed, the server
// restarted, the connection cut), which frees the lease for the standby;
// HoldUntil notices it as soon as the socket says so, and otherwise
// confirms the lock in pg_locks every second.
//
// Owns its connection. Not thread-safe (WriterLease).
#ifndef STORAGE_PG_WRITER_LEASE_H_
#define STORAGE_PG_WRITER_LEASE_H_

#include <cstdint>
#include <memory>
#include <string>

#include "storage/postgres/pg_connection.h"
#include "storage/writer_lease.h"

namespace storage {

class PgWriterLease : public WriterLease {
 public:
  // The advisory lock's key ("budg" in ASCII): below 2^31, so pg_locks
  // shows it as classid 0, objid kLockKey. Advisory locks are per database,
  // so stores in different databases of one server do not share it.
  static constexpr int64_t kLockKey = 0x62756467;

  // Connects lazily: a server that is down makes TryAcquire UNAVAILABLE.
  explicit PgWriterLease(std::string uri) : uri_(std::move(uri)) {}
  ~PgWriterLease() override { Release(); }

  absl::StatusOr<bool> TryAcquire() override;
  int64_t epoch() const override { return epoch_; }
  absl::Status HoldUntil(const absl::Notification& stop) override;
  void Release() override;

 private:
  // OK while this connection's session holds the lock.
  absl::Status CheckHeld();
  absl::Status Lost(const absl::Status& why);

  const std::string uri_;
  std::unique_ptr<PgConnection> connection_;
  bool held_ = false;
  int64_t epoch_ = 0;
};

}  // namespace storage

#endif  // STORAGE_PG_WRITER_LEASE_H_
