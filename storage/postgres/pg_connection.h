// A small wrapper of one libpq connection, so that the PostgreSQL store
// reads as SQL plus error handling: parameterized statements (payloads as
// binary bytea, results in binary format), transactions, LISTEN, and one
// mapping of PostgreSQL errors to absl::Status:
//   connection lost, server shutting down, cannot connect -> UNAVAILABLE
//     (the next call reconnects by itself);
//   unique violation (23505)                              -> ALREADY_EXISTS;
//   serialization failure (40001), deadlock (40P01)       -> ABORTED;
//   anything else                                         -> INTERNAL,
//     with the SQLSTATE and the server's primary message (none for data
//     exceptions, class 22, whose message quotes the value), never the SQL
//     text or parameter values.
// The connection URI (postgresql://... or postgres://...) may hold a
// password; it appears in messages only redacted (RedactUri). libpq reads a
// password missing from the URI from PGPASSFILE (or ~/.pgpass).
//
// Owns the PGconn. Not thread-safe: its owner serializes calls (a mutex).
#ifndef STORAGE_POSTGRES_PG_CONNECTION_H_
#define STORAGE_POSTGRES_PG_CONNECTION_H_

#include <libpq-fe.h>

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "absl/types/span.h"

namespace storage {

// True for a spec that names a PostgreSQL server: postgresql://... or
// postgres://... (a libpq connection URI).
bool IsPostgresUri(absl::string_view spec);

// `uri` with any password (user:PASSWORD@ or password=PASSWORD) replaced by
// "***", for logs and error messages.
std::string RedactUri(absl::string_view uri);

// The parameters of one statement, $1, $2, ... in the order added. Numbers
// and text go as text (the server infers their types from the statement);
// bytes go as binary bytea, so payloads are never escaped. An array goes as
// a binary one-dimensional array without NULLs, for a statement that
// unnests a batch's columns (its parameter cast to bigint[], integer[],
// text[] or bytea[] as added): its text then does not depend on the rows'
// count, so it is parsed and planned once (ExecutePrepared).
class PgParams {
 public:
  PgParams& Add(int64_t value);
  PgParams& AddText(absl::string_view value);
  PgParams& AddBytes(absl::string_view value);
  PgParams& AddInt64Array(absl::Span<const int64_t> values);
  PgParams& AddInt32Array(absl::Span<const int32_t> values);
  PgParams& AddTextArray(absl::Span<const absl::string_view> values);
  PgParams& AddBytesArray(absl::Span<const absl::string_view> values);

  int size() const { return static_cast<int>(values_.size()); }
  std::vector<const char*> Values() const;
  const std::vector<int>& lengths() const { return lengths_; }
  const std::vector<int>& formats() const { return formats_; }

 private:
  std::vector<std::string> values_;
  std::vector<int> lengths_;
  std::vector<int> formats_;

  // Adds a binary array of `count` elements of `element_type`, which
  // `elements` appends (each as its length and bytes).
  PgParams& AddArray(Oid element_type, size_t count,
                     absl::FunctionRef<void(std::string&)> elements);
};

// The rows of one statement, in binary format. Owns the PGresult.
class PgResult {
 public:
  explicit PgResult(PGresult* result) : result_(result, &PQclear) {}

  const PGresult* get() const { return result_.get(); }
  int rows() const { return PQntuples(result_.get()); }
  // Rows an INSERT, UPDATE or DELETE touched.
  int64_t affected() const;
  bool IsNull(int row, int column) const {
    return PQgetisnull(result_.get(), row, column) != 0;
  }
  // A smallint, integer or bigint column (0 for NULL).
  int64_t Int(int row, int column) const;
  // A boolean column (false for NULL).
  bool Bool(int row, int column) const;
  // A text or bytea column's bytes.
  std::string Bytes(int row, int column) const;

 private:
  std::unique_ptr<PGresult, void (*)(PGresult*)> result_;
};

// One statement of a pipelined transaction: SQL whose text never changes
// (prepared once a session, as PgConnection::ExecutePrepared) and its
// parameters.
struct PgStatement {
  std::string sql;
  PgParams params;
};

class PgConnection {
 public:
  // Connects to `uri`. UNAVAILABLE (URI redacted) when the server cannot be
  // reached or refuses; INVALID_ARGUMENT for a spec that is no PostgreSQL
  // URI. Adds connect_timeout=10 unless the URI sets one.
  static absl::StatusOr<std::unique_ptr<PgConnection>> Connect(
      absl::string_view uri);
  ~PgConnection();

  PgConnection(const PgConnection&) = delete;
  PgConnection& operator=(const PgConnection&) = delete;

  // Runs one statement with `params`; rows come back in binary format.
  // Reconnects first when the connection was lost (outside a transaction).
  absl::StatusOr<PgResult> Execute(absl::string_view sql,
                                   const PgParams& params = PgParams());
  // Execute in two halves, for a reader that works on one page of rows
  // while the server reads the next: Start sends the statement and returns
  // without waiting; AwaitStarted waits for its result and returns it.
  // Nothing else may run on the connection in between, and every Start
  // that returned OK must be followed by its AwaitStarted.
  absl::Status Start(absl::string_view sql, const PgParams& params);
  absl::StatusOr<PgResult> AwaitStarted();
  // Execute of a statement run often whose text never changes: parsed and
  // planned once a session (a named prepared statement made on its first
  // run), then only bound and executed.
  absl::StatusOr<PgResult> ExecutePrepared(absl::string_view sql,
                                           const PgParams& params);
  // Runs SQL without parameters or results; may hold several statements
  // (schema migrations).
  absl::Status Exec(absl::string_view sql);
  // Runs `sql` (a SET) now and again on every new session after a
  // reconnect, which starts with the server's defaults.
  absl::Status ExecOnEverySession(absl::string_view sql);

  // Runs `body` inside BEGIN ... COMMIT (at `isolation`, e.g. "SERIALIZABLE";
  // empty for the default), rolling back when it fails. Success means COMMIT
  // returned, so with synchronous_commit on the work is durable. A BEGIN
  // that finds the session ended (a server restart while idle) is retried
  // once on a new session, since nothing of the transaction was sent yet.
  // `prologue` (SQL without parameters, e.g. taking a lock) runs right
  // after BEGIN in the same round trip.
  template <typename Body>
  absl::Status InTransaction(Body body, absl::string_view isolation = "",
                             absl::string_view prologue = "") {
    if (absl::Status begun = Begin(isolation, prologue); !begun.ok()) {
      return begun;
    }
    absl::Status status = body();
    if (status.ok()) status = Exec("COMMIT");
    if (!status.ok()) Rollback();
    return status;
  }

  // A transaction in two round trips (libpq's pipeline mode), for a writer
  // whose later statements depend on earlier results: BEGIN, `prologue`
  // (statements without parameters or results, e.g. taking locks) and
  // `first`, then one sync; `then` with the results of `first` in order,
  // returning the statements to run before COMMIT; those, COMMIT and one
  // sync. A round trip that fails runs nothing after the failed statement;
  // the transaction is then rolled back (one more round trip), as when
  // `then` fails. Success means COMMIT returned, so with synchronous_commit
  // on the work is durable. A first round trip that finds the session
  // ended is retried once on a new session, as InTransaction's BEGIN.
  absl::Status InPipelinedTransaction(
      absl::Span<const std::string> prologue,
      absl::Span<const PgStatement> first,
      absl::FunctionRef<
          absl::StatusOr<std::vector<PgStatement>>(absl::Span<const PgResult>)>
          then);

  // BEGIN, `prologue`, `statements` (prepared once a session) and COMMIT in
  // one round trip, for a transaction whose statements guard it: one that
  // fails makes the server skip the rest, COMMIT included, and the
  // transaction is rolled back. The results of `statements` in order; OK
  // means COMMIT returned, so with synchronous_commit on the work is
  // durable. Not sent again on a new session: a session lost while it was
  // under way may have committed it, which the caller finds out.
  absl::StatusOr<std::vector<PgResult>> InOneRoundTrip(
      absl::Span<const std::string> prologue,
      absl::Span<const PgStatement> statements);

  // LISTEN on `channel` (an SQL identifier), kept across reconnects: a
  // reconnect LISTENs again, and the caller must catch up by reading, since
  // notifications sent while disconnected are lost.
  absl::Status Listen(absl::string_view channel);
  // Waits up to `timeout` for notifications on the channels listened to and
  // returns their payloads (empty on timeout). UNAVAILABLE when the
  // connection is lost; the next call reconnects.
  absl::StatusOr<std::vector<std::string>> WaitForNotifications(
      absl::Duration timeout);

  const std::string& redacted_uri() const { return redacted_uri_; }
  // Sessions opened so far (the first connect and every reconnect): a
  // change tells a caller that session state (LISTENs' missed
  // notifications, session advisory locks) was lost in between.
  int64_t sessions() const { return sessions_; }

 private:
  PgConnection(PGconn* conn, std::string redacted_uri)
      : conn_(conn), redacted_uri_(std::move(redacted_uri)) {}

  absl::Status Begin(absl::string_view isolation, absl::string_view prologue);
  // Sends `before` (statements without parameters or results),
  // `statements`, `after` (as `before`) and one sync, in one round trip,
  // each prepared once a session; the results of `statements` in order, or
  // the first failure.
  absl::StatusOr<std::vector<PgResult>> Pipeline(
      absl::Span<const std::string> before,
      absl::Span<const PgStatement> statements,
      absl::Span<const std::string> after);
  // The name `sql` is prepared under on this session, and whether it is
  // new (then the caller prepares it, and forgets it if that fails).
  std::pair<std::string, bool> PreparedName(absl::string_view sql);
  // Replaces the session (re-running the session statements and LISTENs);
  // UNAVAILABLE when it cannot.
  absl::Status Reconnect();
  void Rollback();
  // Resets a lost connection (re-running the session statements and
  // LISTENs); UNAVAILABLE when it cannot. Also probes an idle session: one
  // the server ended is only noticed when its socket is read.
  absl::Status EnsureConnected();
  bool IdleSessionEnded();
  // Has libpq hand this session's notices to the connection, which keeps
  // the reason of a server that ends the session while it is idle.
  void HearSessionEnd();
  // The status of a finished command; OK for `ok_status`.
  absl::Status StatusOf(const PGresult* result, ExecStatusType ok_status);
  absl::StatusOr<std::vector<std::string>> TakeNotifications();

  PGconn* conn_;
  const std::string redacted_uri_;
  std::vector<std::string> session_statements_;
  std::vector<std::string> channels_;
  // Statement name of each SQL text prepared on the current session.
  absl::flat_hash_map<std::string, std::string> prepared_;
  int64_t statements_named_ = 0;
  bool in_transaction_ = false;
  int64_t sessions_ = 1;
  // Why the server ended the current session while it was idle; empty
  // while it has not. Written by libpq's notice callback (HearSessionEnd).
  std::string session_ended_;
};

}  // namespace storage

#endif  // STORAGE_POSTGRES_PG_CONNECTION_H_
