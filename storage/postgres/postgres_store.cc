#include "storage/postgres/postgres_store.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"
#include "storage/audit_trail.h"
#include "storage/postgres/pg_audit_rows.h"
#include "storage/postgres/pg_migrations.h"
#include "storage/postgres/pg_submission_batch.h"
#include "storage/revision_answers.h"
#include "storage/stored_budget_parser.h"

namespace storage {
namespace {

using budget::v1::AuditRecord;
using budget::v1::NodeTotals;
using budget::v1::Review;
using budget::v1::Submission;
using budget::v1::Unit;
using budget::v1::UnitBudget;
using google::protobuf::util::TimeUtil;

// The transaction-scoped advisory lock every write holds ("budgetw" in
// ASCII); distinct from the migration lock and from any session lock a
// writer election takes.
constexpr int64_t kWriteLockKey = 0x62756467657477;

// Taken right after BEGIN, in the same round trip.
std::string WriteLockStatement() {
  return absl::StrCat("SELECT pg_advisory_xact_lock(", kWriteLockKey, ")");
}

// Rows read per statement while visiting every budget, so a large store is
// never held in memory at once.
constexpr int64_t kVisitPage = 500;
// Request ids read per statement at start (a few hundred KB).
constexpr int64_t kRequestIdPage = 4096;
// Units a registration INSERT carries at most, bounding what the server
// holds for one statement.
constexpr size_t kUnitsPerStatement = 1000;

// One statement registering `units` after the last registered one: when
// fenced (`writer_epoch` not 0) only while writer_lease, read FOR SHARE,
// still holds that epoch; with `notify_channel`, NOTIFYs it of the
// consolidated revision. Its one row: the lease epoch read (the writer's
// own when unfenced); the caller fails the transaction when it moved on.
// The units go as one array per column, so the text depends only on
// fenced/notifying and is prepared once a session.
PgStatement UnitInsertStatement(absl::Span<const Unit> units,
                                int64_t writer_epoch,
                                absl::string_view notify_channel) {
  PgStatement statement;
  PgParams& params = statement.params;
  std::vector<absl::string_view> code, parent, name;
  std::vector<int32_t> kind;
  for (const Unit& unit : units) {
    code.push_back(unit.code());
    parent.push_back(unit.parent_code());
    name.push_back(unit.name());
    kind.push_back(unit.kind());
  }
  params.Add(writer_epoch)
      .AddTextArray(code)
      .AddTextArray(parent)
      .AddTextArray(name)
      .AddInt32Array(kind);
  std::string& sql = statement.sql;
  sql = absl::StrCat(
      "WITH lease AS (SELECT ",
      writer_epoch != 0
          ? "COALESCE((SELECT epoch FROM writer_lease WHERE id = 1 FOR "
            "SHARE), 0)"
          : "$1::bigint",
      " AS epoch), last AS (SELECT COALESCE(MAX(seq), 0) AS seq FROM units), "
      "inserted AS (INSERT INTO units (seq, code, parent_code, name, kind) "
      "SELECT last.seq + v.nth, v.code, v.parent_code, v.name, v.kind "
      "FROM lease, last, unnest($2::text[], $3::text[], $4::text[], "
      "$5::integer[]) WITH ORDINALITY AS v (code, parent_code, name, kind, "
      "nth) WHERE lease.epoch = $1 RETURNING 1) SELECT lease.epoch");
  if (!notify_channel.empty()) {
    params.AddText(notify_channel);
    // Delivered at COMMIT only, so a listener never reads before the units
    // are visible.
    absl::StrAppend(&sql, ", pg_notify($6, (", kPostgresRevisionQuery,
                    ")::text)");
  }
  absl::StrAppend(&sql, " FROM lease");
  return statement;
}

// AuditTrail::ChainAfter, noting the head it returns in `new_head`.
auto ChainNotingHead(auth::ChainHead& new_head) {
  return [&new_head](const std::optional<auth::ChainHead>& anchor,
                     bool records_exist,
                     absl::Span<budget::v1::AuditRecord* const> batch)
             -> absl::StatusOr<auth::ChainHead> {
    absl::StatusOr<auth::ChainHead> head =
        AuditTrail::ChainAfter(anchor, records_exist, batch);
    if (head.ok()) new_head = *head;
    return head;
  };
}

// The statement appending `chained` after the audit anchor a pipelined
// transaction read last (ReadAuditAnchorStatement), noting the new head in
// `new_head`; none when nothing is chained.
absl::StatusOr<std::vector<PgStatement>> AuditRowsAfterAnchor(
    absl::Span<const PgResult> results,
    absl::Span<budget::v1::AuditRecord* const> chained,
    auth::ChainHead& new_head) {
  std::vector<PgStatement> last;
  if (chained.empty()) return last;
  absl::StatusOr<PgStatement> rows =
      AuditRowsStatement(results.back(), chained, ChainNotingHead(new_head));
  if (!rows.ok()) return rows.status();
  last.push_back(*std::move(rows));
  return last;
}

absl::Status Corrupt(absl::string_view what) {
  return absl::DataLossError(absl::StrCat("stored ", what, " does not parse"));
}

absl::StatusOr<std::unique_ptr<PgConnection>> ConnectChecked(
    absl::string_view uri) {
  absl::StatusOr<std::unique_ptr<PgConnection>> conn =
      PgConnection::Connect(uri);
  if (!conn.ok()) return conn.status();
  if (absl::Status s = CheckPostgresSchema(**conn); !s.ok()) return s;
  return conn;
}

}  // namespace

absl::StatusOr<std::unique_ptr<PostgresStore>> PostgresStore::Open(
    absl::string_view uri) {
  absl::StatusOr<std::unique_ptr<PgConnection>> writer = ConnectChecked(uri);
  if (!writer.ok()) return writer.status();
  // Durable acknowledgement whatever the server's or role's default.
  if (absl::Status s =
          (*writer)->ExecOnEverySession("SET synchronous_commit = on");
      !s.ok()) {
    return s;
  }
  // Payloads are TOASTed: lz4 costs the server a fraction of the default
  // pglz's CPU per submission. A server built without lz4 refuses the SET
  // and keeps pglz, which reads the same.
  (*writer)
      ->ExecOnEverySession("SET default_toast_compression = lz4")
      .IgnoreError();
  absl::StatusOr<std::unique_ptr<PgConnection>> reader =
      PgConnection::Connect(uri);
  if (!reader.ok()) return reader.status();
  return std::unique_ptr<PostgresStore>(
      new PostgresStore(*std::move(writer), *std::move(reader)));
}

absl::Status PostgresStore::WriteTransaction(
    absl::FunctionRef<absl::Status()> body) {
  return writer_->InTransaction(
      [&]() -> absl::Status {
        if (writer_epoch_ != 0) {
          absl::StatusOr<PgResult> lease = writer_->Execute(
              "SELECT epoch FROM writer_lease WHERE id = 1 FOR SHARE");
          if (!lease.ok()) return lease.status();
          if (absl::Status held =
                  LeaseHeld(lease->rows() == 0 ? 0 : lease->Int(0, 0));
              !held.ok()) {
            return held;
          }
        }
        if (absl::Status s = body(); !s.ok()) return s;
        PgParams channel;
        return writer_
            ->Execute(absl::StrCat("SELECT pg_notify($1, (",
                                   kPostgresRevisionQuery, ")::text)"),
                      channel.AddText(kPostgresChangesChannel))
            .status();
      },
      "", WriteLockStatement());
}

absl::Status PostgresStore::LeaseHeld(int64_t epoch_now) const {
  if (epoch_now == writer_epoch_) return absl::OkStatus();
  return absl::UnavailableError(
      absl::StrCat("this ingest service lost the writer lease (epoch ",
                   writer_epoch_, ", now ", epoch_now, ")"));
}

void PostgresStore::SetWriterEpoch(int64_t epoch) {
  absl::MutexLock lock(&mu_);
  writer_epoch_ = epoch;
}

absl::StatusOr<std::vector<Unit>> PostgresStore::LoadUnits() {
  absl::MutexLock lock(&mu_);
  absl::StatusOr<PgResult> rows = writer_->Execute(
      "SELECT code, parent_code, name, kind FROM units ORDER BY seq");
  if (!rows.ok()) return rows.status();
  std::vector<Unit> units(rows->rows());
  for (int i = 0; i < rows->rows(); ++i) {
    units[i].set_code(rows->Bytes(i, 0));
    units[i].set_parent_code(rows->Bytes(i, 1));
    units[i].set_name(rows->Bytes(i, 2));
    units[i].set_kind(static_cast<budget::v1::UnitKind>(rows->Int(i, 3)));
  }
  return units;
}

absl::Status PostgresStore::AddUnits(absl::Span<const Unit> units,
                                     absl::Span<const AuditRecord> audit) {
  if (units.empty()) return absl::OkStatus();
  // Chained in this transaction, so copies: the caller's stay unchained.
  AuditRecordCopies records(audit);
  absl::Span<AuditRecord* const> chained = records.batch();
  absl::MutexLock lock(&mu_);
  // Two round trips whatever the number of units, pipelined: BEGIN, the
  // write lock and one statement a chunk (the lease fence, the rows, on
  // the last chunk the NOTIFY), the audit lock and anchor; the audit rows
  // after it and COMMIT once every chunk found the lease held.
  std::vector<PgStatement> statements;
  for (size_t start = 0; start < units.size(); start += kUnitsPerStatement) {
    const bool last = start + kUnitsPerStatement >= units.size();
    statements.push_back(UnitInsertStatement(
        units.subspan(start, kUnitsPerStatement), writer_epoch_,
        last ? kPostgresChangesChannel : ""));
  }
  const size_t chunks = statements.size();
  if (!chained.empty()) statements.push_back(ReadAuditAnchorStatement());
  const std::string locks[] = {WriteLockStatement()};
  auth::ChainHead new_head;
  absl::Status status = writer_->InPipelinedTransaction(
      locks, statements,
      [&](absl::Span<const PgResult> results)
          -> absl::StatusOr<std::vector<PgStatement>> {
        for (size_t i = 0; i < chunks; ++i) {
          if (absl::Status held = LeaseHeld(results[i].Int(0, 0)); !held.ok()) {
            return held;
          }
        }
        return AuditRowsAfterAnchor(results, chained, new_head);
      });
  if (!chained.empty()) {
    // The head CommitSubmissions may chain after without reading it.
    audit_head_.reset();
    if (status.ok()) audit_head_ = std::move(new_head);
  }
  return status;
}

absl::StatusOr<std::optional<StoredRequest>> PostgresStore::FindRequest(
    absl::string_view request_id) {
  absl::MutexLock lock(&reader_mu_);
  PgParams params;
  absl::StatusOr<PgResult> rows = reader_->ExecutePrepared(
      "SELECT payload, response, stage FROM submissions WHERE request_id = "
      "$1 UNION ALL SELECT payload, response, -1 FROM cycle_records "
      "WHERE request_id = $1",
      params.AddText(request_id));
  if (!rows.ok()) return rows.status();
  if (rows->rows() == 0) return std::nullopt;
  return StoredRequest{rows->Bytes(0, 0), rows->Bytes(0, 1),
                       static_cast<int>(rows->Int(0, 2))};
}

absl::Status PostgresStore::VisitRequestIds(
    absl::FunctionRef<absl::Status(absl::string_view request_id)> visit) {
  absl::MutexLock lock(&mu_);
  // Pages along each table's unique index of request ids (index-only
  // scans), in one snapshot; ids are never empty, so "" precedes them all.
  return writer_->InTransaction(
      [&]() -> absl::Status {
        for (absl::string_view table : {"submissions", "cycle_records"}) {
          const std::string query =
              absl::StrCat("SELECT request_id FROM ", table,
                           " WHERE request_id > $1 ORDER BY request_id "
                           "LIMIT $2");
          std::string after;
          for (;;) {
            PgParams params;
            absl::StatusOr<PgResult> rows = writer_->Execute(
                query, params.AddText(after).Add(kRequestIdPage));
            if (!rows.ok()) return rows.status();
            for (int i = 0; i < rows->rows(); ++i) {
              after = rows->Bytes(i, 0);
              if (absl::Status s = visit(after); !s.ok()) return s;
            }
            if (rows->rows() < kRequestIdPage) break;
          }
        }
        return absl::OkStatus();
      },
      "REPEATABLE READ READ ONLY");
}

absl::StatusOr<int64_t> PostgresStore::ConsolidatedRevisionLocked() {
  // One sequence for submissions and cycle records.
  absl::StatusOr<PgResult> rows = writer_->Execute(kPostgresRevisionQuery);
  if (!rows.ok()) return rows.status();
  return rows->Int(0, 0);
}

absl::StatusOr<int64_t> PostgresStore::ConsolidatedRevision() {
  absl::MutexLock lock(&mu_);
  return ConsolidatedRevisionLocked();
}

absl::Status PostgresStore::CommitSubmissions(
    absl::Span<const NewSubmission> submissions) {
  if (submissions.empty()) return absl::OkStatus();
  if (absl::Status s = CheckConsecutive(submissions); !s.ok()) return s;
  // Chained in this transaction, so copies: the caller's stay unchained.
  AuditRecordCopies records(submissions);
  absl::Span<budget::v1::AuditRecord* const> chained = records.batch();
  absl::MutexLock lock(&mu_);
  std::vector<absl::Span<const NewSubmission>> chunks =
      SubmissionChunks(submissions);
  const std::string locks[] = {WriteLockStatement()};
  auth::ChainHead new_head;
  absl::Status status = absl::UnknownError("not committed");
  if (chained.empty() || audit_head_.has_value()) {
    status = CommitInOneRoundTrip(chunks, locks, chained, new_head);
  }
  // A check failed (a revision not next, the audit head moved) or an
  // error: the two round trips tell which, or commit.
  if (!status.ok() && !absl::IsUnavailable(status)) {
    status = CommitInTwoRoundTrips(chunks, locks, chained, new_head);
  }
  audit_head_.reset();
  if (status.ok() && !chained.empty()) audit_head_ = std::move(new_head);
  if (!absl::IsUnavailable(status)) return status;
  // The connection may have dropped after the server committed: then the
  // batch is durable (visible rows were flushed first), and saying
  // otherwise would make the service roll back what readers already see.
  const Submission& last = submissions.back().metadata;
  PgParams params;
  absl::StatusOr<PgResult> landed = writer_->Execute(
      "SELECT 1 FROM submissions WHERE consolidated_revision = $1 AND "
      "request_id = $2",
      params.Add(last.consolidated_revision()).AddText(last.request_id()));
  return landed.ok() && landed->rows() == 1 ? absl::OkStatus() : status;
}

std::vector<PgStatement> PostgresStore::ChunkStatements(
    absl::Span<const absl::Span<const NewSubmission>> chunks,
    ChunkChecks checks) const {
  std::vector<PgStatement> statements;
  statements.reserve(chunks.size() + 1);
  for (size_t i = 0; i < chunks.size(); ++i) {
    statements.push_back(BuildChunkStatement(
        chunks[i], writer_epoch_,
        i + 1 == chunks.size() ? kPostgresChangesChannel : "", checks));
  }
  return statements;
}

absl::Status PostgresStore::CommitInOneRoundTrip(
    absl::Span<const absl::Span<const NewSubmission>> chunks,
    absl::Span<const std::string> locks,
    absl::Span<budget::v1::AuditRecord* const> chained,
    auth::ChainHead& new_head) {
  // A chunk whose checks fail fails the transaction, and so does
  // append_audit_records when the stored head is no longer audit_head_ (it
  // checks under the audit lock, which it takes): the server then skips
  // the rest, COMMIT included.
  std::vector<PgStatement> statements =
      ChunkStatements(chunks, ChunkChecks::kFailTransaction);
  if (!chained.empty()) {
    absl::StatusOr<PgStatement> rows =
        AuditRowsAfter(*audit_head_, chained, ChainNotingHead(new_head));
    if (!rows.ok()) return rows.status();
    statements.push_back(*std::move(rows));
  }
  return writer_->InOneRoundTrip(locks, statements).status();
}

absl::Status PostgresStore::CommitInTwoRoundTrips(
    absl::Span<const absl::Span<const NewSubmission>> chunks,
    absl::Span<const std::string> locks,
    absl::Span<budget::v1::AuditRecord* const> chained,
    auth::ChainHead& new_head) {
  std::vector<PgStatement> statements =
      ChunkStatements(chunks, ChunkChecks::kReport);
  if (!chained.empty()) statements.push_back(ReadAuditAnchorStatement());
  return writer_->InPipelinedTransaction(
      locks, statements,
      [&](absl::Span<const PgResult> results)
          -> absl::StatusOr<std::vector<PgStatement>> {
        for (size_t i = 0; i < chunks.size(); ++i) {
          if (absl::Status s = ChunkCommitted(chunks[i], results[i]); !s.ok()) {
            return s;
          }
        }
        return AuditRowsAfterAnchor(results, chained, new_head);
      });
}

absl::Status PostgresStore::ChunkCommitted(
    absl::Span<const NewSubmission> chunk, const PgResult& row) const {
  if (absl::Status held = LeaseHeld(row.Int(0, 3)); !held.ok()) return held;
  const Submission& first = chunk.front().metadata;
  if (row.Int(0, 0) + 1 != first.consolidated_revision() || !row.IsNull(0, 1)) {
    return absl::AbortedError(absl::StrCat(
        "store moved on: consolidated revision ", first.consolidated_revision(),
        " is not next after ", row.Int(0, 0),
        row.IsNull(0, 1) ? "" : absl::StrCat("; ", row.Bytes(0, 1))));
  }
  if (!row.IsNull(0, 2)) {
    return absl::AlreadyExistsError(
        absl::StrCat("request id '", row.Bytes(0, 2), "' was used before"));
  }
  if (row.Int(0, 4) != static_cast<int64_t>(chunk.size())) {
    return absl::InternalError(absl::StrCat("inserted ", row.Int(0, 4), " of ",
                                            chunk.size(), " submissions"));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<Submission>> PostgresStore::QuerySubmissions(
    absl::string_view unit_code, int32_t fiscal_year, int64_t revision,
    bool with_budgets) {
  // revision < 0: all; 0: the latest; otherwise that one.
  PgParams params;
  absl::StatusOr<PgResult> rows = writer_->Execute(
      "SELECT consolidated_revision, revision, request_id, payload, "
      "submitted_by, submitted_at_us, warnings, stage FROM submissions "
      "WHERE unit_code = $1 AND fiscal_year = $2 AND ($3::bigint < 0 OR "
      "revision = $3::bigint OR ($3::bigint = 0 AND revision = (SELECT "
      "MAX(revision) FROM submissions WHERE unit_code = $1 AND fiscal_year = "
      "$2))) ORDER BY revision",
      params.AddText(unit_code).Add(fiscal_year).Add(revision));
  if (!rows.ok()) return rows.status();
  std::vector<Submission> out(rows->rows());
  for (int i = 0; i < rows->rows(); ++i) {
    Submission& s = out[i];
    s.set_unit_code(std::string(unit_code));
    s.set_fiscal_year(fiscal_year);
    s.set_consolidated_revision(rows->Int(i, 0));
    s.set_revision(rows->Int(i, 1));
    s.set_request_id(rows->Bytes(i, 2));
    if (with_budgets &&
        !s.mutable_budget()->ParseFromString(rows->Bytes(i, 3))) {
      return Corrupt("budget");
    }
    s.set_submitted_by(rows->Bytes(i, 4));
    *s.mutable_submitted_at() =
        TimeUtil::MicrosecondsToTimestamp(rows->Int(i, 5));
    budget::v1::ValidationReport warnings;
    if (!warnings.ParseFromString(rows->Bytes(i, 6)))
      return Corrupt("warnings");
    *s.mutable_warnings() = std::move(*warnings.mutable_violations());
    s.set_stage(static_cast<budget::v1::BudgetStage>(rows->Int(i, 7)));
    if (absl::Status r = AttachReviews(s); !r.ok()) return r;
  }
  return out;
}

absl::Status PostgresStore::AttachReviews(Submission& submission) {
  PgParams params;
  absl::StatusOr<PgResult> rows = writer_->Execute(
      "SELECT decision, comment, reviewer, reviewed_at_us FROM reviews "
      "WHERE unit_code = $1 AND fiscal_year = $2 AND revision = $3 "
      "ORDER BY id",
      params.AddText(submission.unit_code())
          .Add(submission.fiscal_year())
          .Add(submission.revision()));
  if (!rows.ok()) return rows.status();
  for (int i = 0; i < rows->rows(); ++i) {
    Review* review = submission.add_reviews();
    review->set_unit_code(submission.unit_code());
    review->set_fiscal_year(submission.fiscal_year());
    review->set_revision(submission.revision());
    review->set_decision(
        static_cast<budget::v1::ReviewDecision>(rows->Int(i, 0)));
    review->set_comment(rows->Bytes(i, 1));
    review->set_reviewer(rows->Bytes(i, 2));
    *review->mutable_reviewed_at() =
        TimeUtil::MicrosecondsToTimestamp(rows->Int(i, 3));
  }
  return absl::OkStatus();
}

absl::StatusOr<Submission> PostgresStore::GetSubmission(
    absl::string_view unit_code, int32_t fiscal_year, int64_t revision) {
  if (revision < 0) {
    return absl::InvalidArgumentError("revision must be 0 (latest) or more");
  }
  absl::MutexLock lock(&mu_);
  return OneRevision(QuerySubmissions(unit_code, fiscal_year, revision, true),
                     unit_code, fiscal_year, revision);
}

absl::StatusOr<std::vector<Submission>> PostgresStore::ListSubmissions(
    absl::string_view unit_code, int32_t fiscal_year, bool with_budgets) {
  absl::MutexLock lock(&mu_);
  return QuerySubmissions(unit_code, fiscal_year, -1, with_budgets);
}

absl::Status PostgresStore::VisitPayloads(
    absl::string_view query,
    absl::FunctionRef<absl::Status(const std::string&)> visit) {
  // Pages in one snapshot: a commit between pages cannot skew the view.
  // The server reads each page while the one before is visited: read in
  // turn, a start replaying 100,000 budgets added the server's 9.6 s of
  // reading to the service's 23 s of work.
  return writer_->InTransaction(
      [&]() -> absl::Status {
        PgParams first;
        if (absl::Status s =
                writer_->Start(query, first.Add(0).Add(kVisitPage));
            !s.ok()) {
          return s;
        }
        for (;;) {
          absl::StatusOr<PgResult> rows = writer_->AwaitStarted();
          if (!rows.ok()) return rows.status();
          const int count = rows->rows();
          const bool more = count == kVisitPage;
          if (more) {
            PgParams next;
            absl::Status s = writer_->Start(
                query, next.Add(rows->Int(count - 1, 0)).Add(kVisitPage));
            if (!s.ok()) return s;
          }
          for (int i = 0; i < count; ++i) {
            if (absl::Status s = visit(rows->Bytes(i, 1)); !s.ok()) {
              // The next page's result is taken, so that the session is
              // idle for the rollback.
              if (more) writer_->AwaitStarted().IgnoreError();
              return s;
            }
          }
          if (!more) return absl::OkStatus();
        }
      },
      "REPEATABLE READ READ ONLY");
}

absl::Status PostgresStore::VisitLatestBudgets(
    absl::FunctionRef<absl::Status(const UnitBudget&)> visit) {
  absl::MutexLock lock(&mu_);
  StoredBudgetParser parser;
  return VisitPayloads(
      "SELECT consolidated_revision, payload FROM submissions AS s "
      "WHERE consolidated_revision > $1 AND revision = (SELECT "
      "MAX(revision) FROM submissions WHERE unit_code = s.unit_code "
      "AND fiscal_year = s.fiscal_year) ORDER BY consolidated_revision "
      "LIMIT $2",
      [&](const std::string& payload) { return parser.Visit(payload, visit); });
}

absl::StatusOr<NodeTotals> PostgresStore::GetNodeTotals(
    absl::string_view node_code, int32_t fiscal_year) {
  absl::MutexLock lock(&mu_);
  PgParams params;
  absl::StatusOr<PgResult> rows = writer_->Execute(
      "SELECT income_fen, expenditure_fen, consolidated_revision FROM "
      "node_totals WHERE node_code = $1 AND fiscal_year = $2",
      params.AddText(node_code).Add(fiscal_year));
  if (!rows.ok()) return rows.status();
  if (rows->rows() == 0) {
    return absl::NotFoundError(
        absl::StrCat("no totals for ", node_code, " in ", fiscal_year));
  }
  NodeTotals totals;
  totals.set_node_code(std::string(node_code));
  totals.set_fiscal_year(fiscal_year);
  totals.set_income_fen(rows->Int(0, 0));
  totals.set_expenditure_fen(rows->Int(0, 1));
  totals.set_revision(rows->Int(0, 2));
  return totals;
}

absl::Status PostgresStore::RequestIdUnused(absl::string_view request_id,
                                            absl::string_view table) {
  PgParams params;
  absl::StatusOr<PgResult> used = writer_->Execute(
      absl::StrCat("SELECT 1 FROM ", table, " WHERE request_id = $1"),
      params.AddText(request_id));
  if (!used.ok()) return used.status();
  if (used->rows() > 0) {
    return absl::AlreadyExistsError(
        absl::StrCat("request id '", request_id, "' was used before"));
  }
  return absl::OkStatus();
}

absl::Status PostgresStore::CommitCycleRecords(
    absl::Span<const NewCycleRecord> records) {
  absl::MutexLock lock(&mu_);
  return WriteTransaction([&]() -> absl::Status {
    for (const NewCycleRecord& record : records) {
      absl::StatusOr<int64_t> consolidated = ConsolidatedRevisionLocked();
      if (!consolidated.ok()) return consolidated.status();
      if (record.consolidated_revision != *consolidated + 1) {
        return absl::AbortedError(
            absl::StrCat("store moved on: consolidated revision ",
                         record.consolidated_revision, " is not next after ",
                         *consolidated));
      }
      if (absl::Status unique =
              RequestIdUnused(record.request_id, "submissions");
          !unique.ok()) {
        return unique;
      }
      PgParams row;
      absl::StatusOr<PgResult> inserted = writer_->Execute(
          "INSERT INTO cycle_records (consolidated_revision, node_code, "
          "fiscal_year, request_id, payload, response) "
          "VALUES ($1, $2, $3, $4, $5, $6)",
          row.Add(record.consolidated_revision)
              .AddText(record.node_code)
              .Add(record.fiscal_year)
              .AddText(record.request_id)
              .AddBytes(record.payload)
              .AddBytes(record.response));
      if (!inserted.ok()) return inserted.status();
      if (record.audit.has_value()) {
        if (absl::Status audited =
                AppendAuditInTransaction({&*record.audit, 1});
            !audited.ok()) {
          return audited;
        }
      }
    }
    return absl::OkStatus();
  });
}

absl::Status PostgresStore::AppendAuditInTransaction(
    absl::Span<const AuditRecord> audit) {
  if (audit.empty()) return absl::OkStatus();
  // Chained in this transaction, so copies: the caller's stay unchained.
  AuditRecordCopies records(audit);
  audit_head_.reset();
  const PgStatement read = ReadAuditAnchorStatement();
  absl::StatusOr<PgResult> anchor = writer_->Execute(read.sql, read.params);
  if (!anchor.ok()) return anchor.status();
  auth::ChainHead new_head;
  absl::StatusOr<PgStatement> rows =
      AuditRowsStatement(*anchor, records.batch(), ChainNotingHead(new_head));
  if (!rows.ok()) return rows.status();
  return writer_->Execute(rows->sql, rows->params).status();
}

absl::Status PostgresStore::VisitCycleRecords(
    absl::FunctionRef<absl::Status(absl::string_view payload)> visit) {
  absl::MutexLock lock(&mu_);
  return VisitPayloads(
      "SELECT consolidated_revision, payload FROM cycle_records "
      "WHERE consolidated_revision > $1 ORDER BY consolidated_revision "
      "LIMIT $2",
      [&](const std::string& payload) { return visit(payload); });
}

absl::Status PostgresStore::AddReview(const Review& review,
                                      absl::Span<const AuditRecord> audit) {
  absl::MutexLock lock(&mu_);
  int64_t added = 0;
  absl::Status status = WriteTransaction([&]() -> absl::Status {
    PgParams params;
    absl::StatusOr<PgResult> inserted = writer_->Execute(
        "INSERT INTO reviews (id, unit_code, fiscal_year, revision, "
        "decision, comment, reviewer, reviewed_at_us) "
        "SELECT (SELECT COALESCE(MAX(id), 0) + 1 FROM reviews), $1::text, "
        "$2::integer, $3::bigint, $4::integer, $5::text, $6::text, "
        "$7::bigint WHERE EXISTS (SELECT 1 FROM submissions WHERE "
        "unit_code = $1 AND fiscal_year = $2 AND revision = $3)",
        params.AddText(review.unit_code())
            .Add(review.fiscal_year())
            .Add(review.revision())
            .Add(review.decision())
            .AddText(review.comment())
            .AddText(review.reviewer())
            .Add(TimeUtil::TimestampToMicroseconds(review.reviewed_at())));
    if (!inserted.ok()) return inserted.status();
    added = inserted->affected();
    // No revision to review: nothing stored, nothing to record.
    if (added == 0) return absl::OkStatus();
    return AppendAuditInTransaction(audit);
  });
  if (status.ok() && added == 0) {
    return NoSuchRevision(review.unit_code(), review.fiscal_year(),
                          review.revision());
  }
  return status;
}

absl::Status PostgresStore::AddLock(const YearLock& lock_row) {
  absl::MutexLock lock(&mu_);
  return WriteTransaction([&]() -> absl::Status {
    PgParams params;
    absl::Status inserted =
        writer_
            ->Execute(
                absl::StrCat("INSERT INTO locks (node_code, fiscal_year, "
                             "locked_by, locked_at_us, consolidated_revision) "
                             "VALUES ($1, $2, $3, $4, GREATEST($5::bigint, (",
                             kPostgresRevisionQuery, ")))"),
                params.AddText(lock_row.node_code)
                    .Add(lock_row.fiscal_year)
                    .AddText(lock_row.locked_by)
                    .Add(lock_row.locked_at_micros)
                    .Add(lock_row.consolidated_revision))
            .status();
    if (!inserted.ok() || !lock_row.audit.has_value()) return inserted;
    return AppendAuditInTransaction({&*lock_row.audit, 1});
  });
}

absl::StatusOr<std::vector<YearLock>> PostgresStore::LoadLocks() {
  absl::MutexLock lock(&mu_);
  absl::StatusOr<PgResult> rows = writer_->Execute(
      "SELECT node_code, fiscal_year, locked_by, locked_at_us, "
      "consolidated_revision FROM locks "
      // Byte order, as SQLite sorts, whatever the database's collation.
      "ORDER BY node_code COLLATE \"C\", fiscal_year");
  if (!rows.ok()) return rows.status();
  std::vector<YearLock> locks;
  for (int i = 0; i < rows->rows(); ++i) {
    locks.push_back({rows->Bytes(i, 0), static_cast<int32_t>(rows->Int(i, 1)),
                     rows->Bytes(i, 2), rows->Int(i, 3), rows->Int(i, 4)});
  }
  return locks;
}

}  // namespace storage
