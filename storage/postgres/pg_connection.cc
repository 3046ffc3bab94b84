#include "storage/postgres/pg_connection.h"

#include <poll.h>

#include <algorithm>
#include <cstring>
#include <utility>

#include "absl/base/internal/endian.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

namespace storage {
namespace {

// Type OIDs of the integer columns (catalog pg_type; stable across
// versions).
constexpr Oid kInt2Oid = 21;
constexpr Oid kInt4Oid = 23;
constexpr Oid kInt8Oid = 20;
// Element types of the arrays PgParams sends.
constexpr Oid kTextOid = 25;
constexpr Oid kByteaOid = 17;

void AppendInt32(std::string& out, uint32_t value) {
  char bytes[4];
  absl::big_endian::Store32(bytes, value);
  out.append(bytes, 4);
}

void AppendElement(std::string& out, absl::string_view bytes) {
  AppendInt32(out, static_cast<uint32_t>(bytes.size()));
  out.append(bytes.data(), bytes.size());
}

// SQLSTATEs whose errors mean "the server is not there right now": the
// connection exception class 08, admin/crash shutdown and "cannot connect
// now" (starting up or shutting down).
bool IsUnavailable(absl::string_view sqlstate) {
  return absl::StartsWith(sqlstate, "08") || sqlstate == "57P01" ||
         sqlstate == "57P02" || sqlstate == "57P03";
}

// libpq's messages end in a newline.
std::string Trimmed(const char* message) {
  std::string out = message ? message : "";
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) {
    out.pop_back();
  }
  return out;
}

// libpq prints server notices (e.g. "relation already exists, skipping")
// to stderr by default; the store has nothing to learn from them. One
// counts: the error a server sends an idle session just before it closes
// it (pg_terminate_backend, a shutdown), which libpq hands over as a
// notice. Its message is kept in `*ended` (the connection's).
void NoteSessionEnd(void* ended, const PGresult* notice) {
  const char* severity =
      PQresultErrorField(notice, PG_DIAG_SEVERITY_NONLOCALIZED);
  if (severity == nullptr || (std::strcmp(severity, "FATAL") != 0 &&
                              std::strcmp(severity, "PANIC") != 0)) {
    return;
  }
  const char* message = PQresultErrorField(notice, PG_DIAG_MESSAGE_PRIMARY);
  *static_cast<std::string*>(ended) =
      message != nullptr ? message : "the server ended the session";
}

}  // namespace

bool IsPostgresUri(absl::string_view spec) {
  return absl::StartsWith(spec, "postgresql://") ||
         absl::StartsWith(spec, "postgres://");
}

std::string RedactUri(absl::string_view uri) {
  std::string out(uri);
  // user:PASSWORD@ in the authority part.
  size_t scheme_end = out.find("://");
  if (scheme_end != std::string::npos) {
    size_t authority = scheme_end + 3;
    size_t authority_end = out.find_first_of("/?", authority);
    if (authority_end == std::string::npos) authority_end = out.size();
    size_t at = out.rfind('@', authority_end);
    if (at != std::string::npos && at >= authority) {
      size_t colon = out.find(':', authority);
      if (colon != std::string::npos && colon < at) {
        out.replace(colon + 1, at - colon - 1, "***");
      }
    }
  }
  // password=PASSWORD among the query parameters.
  for (size_t pos = out.find("password="); pos != std::string::npos;
       pos = out.find("password=", pos + 1)) {
    if (pos > 0 && out[pos - 1] != '?' && out[pos - 1] != '&') continue;
    size_t start = pos + std::strlen("password=");
    size_t end = out.find('&', start);
    if (end == std::string::npos) end = out.size();
    out.replace(start, end - start, "***");
  }
  return out;
}

PgParams& PgParams::Add(int64_t value) {
  values_.push_back(absl::StrCat(value));
  lengths_.push_back(0);
  formats_.push_back(0);
  return *this;
}

PgParams& PgParams::AddText(absl::string_view value) {
  values_.emplace_back(value);
  lengths_.push_back(0);
  formats_.push_back(0);
  return *this;
}

PgParams& PgParams::AddBytes(absl::string_view value) {
  values_.emplace_back(value);
  lengths_.push_back(static_cast<int>(value.size()));
  formats_.push_back(1);
  return *this;
}

PgParams& PgParams::AddArray(Oid element_type, size_t count,
                             absl::FunctionRef<void(std::string&)> elements) {
  std::string& out = values_.emplace_back();
  // array_send's layout: dimensions, has-NULLs flag, element type, then
  // each dimension's length and lower bound (none for an empty array),
  // then each element as its length and bytes.
  AppendInt32(out, count == 0 ? 0 : 1);
  AppendInt32(out, 0);
  AppendInt32(out, element_type);
  if (count > 0) {
    AppendInt32(out, static_cast<uint32_t>(count));
    AppendInt32(out, 1);
  }
  elements(out);
  lengths_.push_back(static_cast<int>(out.size()));
  formats_.push_back(1);
  return *this;
}

PgParams& PgParams::AddInt64Array(absl::Span<const int64_t> values) {
  return AddArray(kInt8Oid, values.size(), [values](std::string& out) {
    for (int64_t value : values) {
      AppendInt32(out, 8);
      char bytes[8];
      absl::big_endian::Store64(bytes, static_cast<uint64_t>(value));
      out.append(bytes, 8);
    }
  });
}

PgParams& PgParams::AddInt32Array(absl::Span<const int32_t> values) {
  return AddArray(kInt4Oid, values.size(), [values](std::string& out) {
    for (int32_t value : values) {
      AppendInt32(out, 4);
      AppendInt32(out, static_cast<uint32_t>(value));
    }
  });
}

PgParams& PgParams::AddTextArray(absl::Span<const absl::string_view> values) {
  return AddArray(kTextOid, values.size(), [values](std::string& out) {
    for (absl::string_view value : values) AppendElement(out, value);
  });
}

PgParams& PgParams::AddBytesArray(absl::Span<const absl::string_view> values) {
  return AddArray(kByteaOid, values.size(), [values](std::string& out) {
    for (absl::string_view value : values) AppendElement(out, value);
  });
}

std::vector<const char*> PgParams::Values() const {
  std::vector<const char*> out;
  out.reserve(values_.size());
  for (const std::string& value : values_) out.push_back(value.data());
  return out;
}

int64_t PgResult::affected() const {
  const char* tuples = PQcmdTuples(result_.get());
  return tuples && *tuples ? std::strtoll(tuples, nullptr, 10) : 0;
}

int64_t PgResult::Int(int row, int column) const {
  if (IsNull(row, column)) return 0;
  const char* value = PQgetvalue(result_.get(), row, column);
  switch (PQftype(result_.get(), column)) {
    case kInt2Oid:
      return static_cast<int16_t>(absl::big_endian::Load16(value));
    case kInt4Oid:
      return static_cast<int32_t>(absl::big_endian::Load32(value));
    case kInt8Oid:
      return static_cast<int64_t>(absl::big_endian::Load64(value));
    default:
      return 0;  // A programming error the store's tests catch.
  }
}

bool PgResult::Bool(int row, int column) const {
  // One byte in binary format.
  return !IsNull(row, column) && PQgetlength(result_.get(), row, column) == 1 &&
         PQgetvalue(result_.get(), row, column)[0] != 0;
}

std::string PgResult::Bytes(int row, int column) const {
  return std::string(PQgetvalue(result_.get(), row, column),
                     PQgetlength(result_.get(), row, column));
}

absl::StatusOr<std::unique_ptr<PgConnection>> PgConnection::Connect(
    absl::string_view uri) {
  if (!IsPostgresUri(uri)) {
    return absl::InvalidArgumentError(
        absl::StrCat("store \"", RedactUri(uri),
                     "\" is not a postgresql:// connection URI"));
  }
  std::string dbname(uri);
  std::vector<const char*> keys = {"dbname"};
  std::vector<const char*> values = {dbname.c_str()};
  if (!absl::StrContains(uri, "connect_timeout=")) {
    keys.push_back("connect_timeout");
    values.push_back("10");
  }
  keys.push_back(nullptr);
  values.push_back(nullptr);
  PGconn* conn = PQconnectdbParams(keys.data(), values.data(),
                                   /*expand_dbname=*/1);
  std::string redacted = RedactUri(uri);
  if (conn == nullptr || PQstatus(conn) != CONNECTION_OK) {
    absl::Status error = absl::UnavailableError(
        absl::StrCat("cannot connect to ", redacted, ": ",
                     conn ? Trimmed(PQerrorMessage(conn)) : "out of memory"));
    PQfinish(conn);
    return error;
  }
  std::unique_ptr<PgConnection> connection(
      new PgConnection(conn, std::move(redacted)));
  connection->HearSessionEnd();
  return connection;
}

void PgConnection::HearSessionEnd() {
  session_ended_.clear();
  PQsetNoticeReceiver(conn_, &NoteSessionEnd, &session_ended_);
}

PgConnection::~PgConnection() { PQfinish(conn_); }

bool PgConnection::IdleSessionEnded() {
  if (!session_ended_.empty() || PQstatus(conn_) != CONNECTION_OK) {
    return true;
  }
  pollfd fd{PQsocket(conn_), POLLIN, 0};
  if (poll(&fd, 1, 0) <= 0) return false;
  // Readable while idle: a notification, or the server's goodbye (its
  // reason, which PQisBusy parses, then its close).
  if (PQconsumeInput(conn_) == 0) return true;
  PQisBusy(conn_);
  return !session_ended_.empty() || PQstatus(conn_) != CONNECTION_OK;
}

absl::Status PgConnection::EnsureConnected() {
  if (!IdleSessionEnded()) return absl::OkStatus();
  return Reconnect();
}

absl::Status PgConnection::Reconnect() {
  in_transaction_ = false;  // The server rolled it back with the session.
  PQreset(conn_);
  if (PQstatus(conn_) != CONNECTION_OK) {
    return absl::UnavailableError(absl::StrCat("cannot reconnect to ",
                                               redacted_uri_, ": ",
                                               Trimmed(PQerrorMessage(conn_))));
  }
  ++sessions_;
  prepared_.clear();  // The server forgot them with the session.
  HearSessionEnd();
  for (const std::string& sql : session_statements_) {
    if (absl::Status s = Exec(sql); !s.ok()) return s;
  }
  for (const std::string& channel : channels_) {
    if (absl::Status s = Exec(absl::StrCat("LISTEN ", channel)); !s.ok()) {
      return s;
    }
  }
  return absl::OkStatus();
}

absl::Status PgConnection::StatusOf(const PGresult* result,
                                    ExecStatusType ok_status) {
  ExecStatusType status = result ? PQresultStatus(result) : PGRES_FATAL_ERROR;
  if (status == ok_status ||
      (ok_status == PGRES_TUPLES_OK && status == PGRES_COMMAND_OK) ||
      (ok_status == PGRES_COMMAND_OK && status == PGRES_TUPLES_OK)) {
    return absl::OkStatus();
  }
  const char* sqlstate_field =
      result ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
  std::string sqlstate = sqlstate_field ? sqlstate_field : "";
  const char* primary_field =
      result ? PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY) : nullptr;
  std::string primary =
      primary_field ? primary_field : Trimmed(PQerrorMessage(conn_));
  if (PQstatus(conn_) != CONNECTION_OK || IsUnavailable(sqlstate)) {
    return absl::UnavailableError(absl::StrCat("postgresql at ", redacted_uri_,
                                               " unavailable: ", primary));
  }
  // A data exception's message quotes the offending value; the SQLSTATE
  // alone says what went wrong without it.
  std::string message =
      absl::StartsWith(sqlstate, "22")
          ? absl::StrCat("postgresql: SQLSTATE ", sqlstate, " (data exception)")
          : absl::StrCat("postgresql: SQLSTATE ", sqlstate, ": ", primary);
  if (sqlstate == "23505") return absl::AlreadyExistsError(message);
  if (sqlstate == "40001" || sqlstate == "40P01") {
    return absl::AbortedError(message);
  }
  return absl::InternalError(message);
}

absl::StatusOr<PgResult> PgConnection::Execute(absl::string_view sql,
                                               const PgParams& params) {
  if (absl::Status started = Start(sql, params); !started.ok()) return started;
  return AwaitStarted();
}

absl::Status PgConnection::Start(absl::string_view sql,
                                 const PgParams& params) {
  if (!in_transaction_) {
    if (absl::Status s = EnsureConnected(); !s.ok()) return s;
  }
  std::string text(sql);
  std::vector<const char*> values = params.Values();
  if (PQsendQueryParams(conn_, text.c_str(), params.size(),
                        /*paramTypes=*/nullptr, values.data(),
                        params.lengths().data(), params.formats().data(),
                        /*resultFormat=*/1) != 1) {
    return StatusOf(nullptr, PGRES_TUPLES_OK);
  }
  return absl::OkStatus();
}

absl::StatusOr<PgResult> PgConnection::AwaitStarted() {
  PgResult result(PQgetResult(conn_));
  // A statement's results end with a null one; the session is idle after.
  while (PGresult* more = PQgetResult(conn_)) PQclear(more);
  if (absl::Status s = StatusOf(result.get(), PGRES_TUPLES_OK); !s.ok()) {
    return s;
  }
  return result;
}

absl::StatusOr<PgResult> PgConnection::ExecutePrepared(absl::string_view sql,
                                                       const PgParams& params) {
  if (!in_transaction_) {
    if (absl::Status s = EnsureConnected(); !s.ok()) return s;
  }
  auto [name, unprepared] = PreparedName(sql);
  if (unprepared) {
    PgResult made(PQprepare(conn_, name.c_str(), std::string(sql).c_str(),
                            params.size(), /*paramTypes=*/nullptr));
    if (absl::Status s = StatusOf(made.get(), PGRES_COMMAND_OK); !s.ok()) {
      prepared_.erase(sql);
      return s;
    }
  }
  std::vector<const char*> values = params.Values();
  PgResult result(PQexecPrepared(conn_, name.c_str(), params.size(),
                                 values.data(), params.lengths().data(),
                                 params.formats().data(),
                                 /*resultFormat=*/1));
  if (absl::Status s = StatusOf(result.get(), PGRES_TUPLES_OK); !s.ok()) {
    return s;
  }
  return result;
}

std::pair<std::string, bool> PgConnection::PreparedName(absl::string_view sql) {
  auto found = prepared_.find(sql);
  if (found != prepared_.end()) return {found->second, false};
  std::string name = absl::StrCat("p", ++statements_named_);
  prepared_.emplace(std::string(sql), name);
  return {std::move(name), true};
}

absl::StatusOr<std::vector<PgResult>> PgConnection::Pipeline(
    absl::Span<const std::string> before,
    absl::Span<const PgStatement> statements,
    absl::Span<const std::string> after) {
  if (PQenterPipelineMode(conn_) != 1) {
    return StatusOf(nullptr, PGRES_COMMAND_OK);
  }
  // What each command sent answers: the PREPARE of `sql` or its run, whose
  // result is returned when it is one of `statements`.
  struct Sent {
    const std::string* sql;
    bool prepare;
    bool returned;
  };
  std::vector<Sent> sent;
  bool sending = true;
  // Every command is prepared once a session, the plain ones (BEGIN, the
  // locks, COMMIT) too: parsed and planned again in each transaction they
  // cost the server ~17 us each (docs/benchmarks.md, round 27).
  const PgParams no_params;
  auto send = [&](const std::string& sql, const PgParams& params,
                  bool returned) {
    if (!sending) return;
    auto [name, unprepared] = PreparedName(sql);
    if (unprepared) {
      sending = PQsendPrepare(conn_, name.c_str(), sql.c_str(), params.size(),
                              /*paramTypes=*/nullptr) == 1;
      if (!sending) {
        prepared_.erase(sql);
        return;
      }
      sent.push_back({&sql, true, false});
    }
    std::vector<const char*> values = params.Values();
    sending =
        PQsendQueryPrepared(conn_, name.c_str(), params.size(), values.data(),
                            params.lengths().data(), params.formats().data(),
                            /*resultFormat=*/1) == 1;
    if (sending) sent.push_back({&sql, false, returned});
  };
  for (const std::string& sql : before) send(sql, no_params, false);
  for (const PgStatement& statement : statements) {
    send(statement.sql, statement.params, true);
  }
  for (const std::string& sql : after) send(sql, no_params, false);
  sending = sending && PQpipelineSync(conn_) == 1;

  // Every command's result, then the sync's; after a failure the server
  // skips the rest of the round trip (PGRES_PIPELINE_ABORTED).
  absl::Status failure =
      sending ? absl::OkStatus() : StatusOf(nullptr, PGRES_COMMAND_OK);
  bool in_step = sending;
  std::vector<PgResult> results;
  for (const Sent& command : sent) {
    PGresult* raw = in_step ? PQgetResult(conn_) : nullptr;
    if (raw == nullptr) {  // Never sent, or the session was lost.
      if (failure.ok()) failure = StatusOf(nullptr, PGRES_COMMAND_OK);
      in_step = false;
      if (command.prepare) prepared_.erase(*command.sql);
      continue;
    }
    PgResult result(raw);
    // A command's results end with a null one.
    while (PGresult* more = PQgetResult(conn_)) PQclear(more);
    absl::Status status = StatusOf(result.get(), PGRES_TUPLES_OK);
    if (!status.ok()) {
      if (failure.ok()) failure = std::move(status);
      if (command.prepare) prepared_.erase(*command.sql);
    } else if (command.returned) {
      results.push_back(std::move(result));
    }
  }
  if (in_step) {
    PgResult sync(PQgetResult(conn_));
    in_step = sync.get() != nullptr &&
              PQresultStatus(sync.get()) == PGRES_PIPELINE_SYNC;
  }
  if (!in_step || PQexitPipelineMode(conn_) != 1) {
    // Out of step with the server: a new session is the only way back.
    if (failure.ok()) failure = StatusOf(nullptr, PGRES_COMMAND_OK);
    if (!failure.ok() && !absl::IsUnavailable(failure)) {
      failure = absl::UnavailableError(failure.message());
    }
    if (PQstatus(conn_) == CONNECTION_OK) Reconnect().IgnoreError();
  }
  if (!failure.ok()) return failure;
  return results;
}

namespace {

// BEGIN, then `prologue`: the first commands of a pipelined transaction.
std::vector<std::string> Opening(absl::Span<const std::string> prologue) {
  std::vector<std::string> opening = {"BEGIN"};
  opening.insert(opening.end(), prologue.begin(), prologue.end());
  return opening;
}

}  // namespace

absl::Status PgConnection::InPipelinedTransaction(
    absl::Span<const std::string> prologue, absl::Span<const PgStatement> first,
    absl::FunctionRef<
        absl::StatusOr<std::vector<PgStatement>>(absl::Span<const PgResult>)>
        then) {
  const std::vector<std::string> opening = Opening(prologue);
  if (absl::Status s = EnsureConnected(); !s.ok()) return s;
  absl::StatusOr<std::vector<PgResult>> results = Pipeline(opening, first, {});
  if (absl::IsUnavailable(results.status()) &&
      PQstatus(conn_) != CONNECTION_OK) {
    // Nothing was committed: the server rolled back with the session.
    if (absl::Status s = EnsureConnected(); !s.ok()) return s;
    results = Pipeline(opening, first, {});
  }
  in_transaction_ = true;
  absl::Status status = results.status();
  if (status.ok()) {
    absl::StatusOr<std::vector<PgStatement>> last = then(*results);
    status = last.status();
    if (status.ok()) {
      const std::string commit[] = {"COMMIT"};
      status = Pipeline({}, *last, commit).status();
    }
  }
  if (!status.ok()) Rollback();
  in_transaction_ = false;
  return status;
}

absl::StatusOr<std::vector<PgResult>> PgConnection::InOneRoundTrip(
    absl::Span<const std::string> prologue,
    absl::Span<const PgStatement> statements) {
  const std::vector<std::string> opening = Opening(prologue);
  if (absl::Status s = EnsureConnected(); !s.ok()) return s;
  const std::string commit[] = {"COMMIT"};
  in_transaction_ = true;
  absl::StatusOr<std::vector<PgResult>> results =
      Pipeline(opening, statements, commit);
  if (!results.ok()) Rollback();
  in_transaction_ = false;
  return results;
}

absl::Status PgConnection::Exec(absl::string_view sql) {
  if (!in_transaction_) {
    if (absl::Status s = EnsureConnected(); !s.ok()) return s;
  }
  std::string text(sql);
  PGresult* result = PQexec(conn_, text.c_str());
  absl::Status status = StatusOf(result, PGRES_COMMAND_OK);
  PQclear(result);
  return status;
}

absl::Status PgConnection::ExecOnEverySession(absl::string_view sql) {
  if (absl::Status s = Exec(sql); !s.ok()) return s;
  session_statements_.emplace_back(sql);
  return absl::OkStatus();
}

absl::Status PgConnection::Begin(absl::string_view isolation,
                                 absl::string_view prologue) {
  const std::string begin = absl::StrCat(
      isolation.empty() ? "BEGIN"
                        : absl::StrCat("BEGIN ISOLATION LEVEL ", isolation),
      prologue.empty() ? "" : "; ", prologue);
  absl::Status begun = Exec(begin);
  if (absl::IsUnavailable(begun) && PQstatus(conn_) != CONNECTION_OK) {
    begun = Exec(begin);  // Reconnects first.
  }
  in_transaction_ = begun.ok();
  return begun;
}

void PgConnection::Rollback() {
  if (PQstatus(conn_) == CONNECTION_OK &&
      PQtransactionStatus(conn_) != PQTRANS_IDLE) {
    PQclear(PQexec(conn_, "ROLLBACK"));
  }
  in_transaction_ = false;
}

absl::Status PgConnection::Listen(absl::string_view channel) {
  if (absl::Status s = Exec(absl::StrCat("LISTEN ", channel)); !s.ok()) {
    return s;
  }
  channels_.emplace_back(channel);
  return absl::OkStatus();
}

absl::StatusOr<std::vector<std::string>> PgConnection::TakeNotifications() {
  const bool read = PQconsumeInput(conn_) != 0;
  std::vector<std::string> payloads;
  // Parses what was read: notifications, and the reason of a server that
  // ends the session (NoteSessionEnd).
  while (PGnotify* notify = PQnotifies(conn_)) {
    payloads.emplace_back(notify->extra ? notify->extra : "");
    PQfreemem(notify);
  }
  if (!read || !session_ended_.empty()) {
    return absl::UnavailableError(
        absl::StrCat("postgresql at ", redacted_uri_, " unavailable: ",
                     session_ended_.empty() ? Trimmed(PQerrorMessage(conn_))
                                            : session_ended_));
  }
  return payloads;
}

absl::StatusOr<std::vector<std::string>> PgConnection::WaitForNotifications(
    absl::Duration timeout) {
  if (absl::Status s = EnsureConnected(); !s.ok()) return s;
  absl::StatusOr<std::vector<std::string>> ready = TakeNotifications();
  if (!ready.ok() || !ready->empty()) return ready;
  pollfd fd{PQsocket(conn_), POLLIN, 0};
  int millis = static_cast<int>(
      std::min<int64_t>(absl::ToInt64Milliseconds(timeout), 1 << 30));
  if (poll(&fd, 1, std::max(millis, 0)) < 0) {
    return absl::InternalError(absl::StrCat("poll: ", std::strerror(errno)));
  }
  return TakeNotifications();
}

}  // namespace storage
