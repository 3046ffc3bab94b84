#include "storage/postgres/postgres_submission_feed.h"

#include <algorithm>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "storage/postgres/pg_migrations.h"
#include "storage/postgres/postgres_store.h"

namespace storage {

absl::StatusOr<std::unique_ptr<SubmissionFeed>> PostgresSubmissionFeed::Open(
    absl::string_view uri) {
  absl::StatusOr<std::unique_ptr<PgConnection>> conn =
      PgConnection::Connect(uri);
  if (!conn.ok()) return conn.status();
  if (absl::Status s = CheckPostgresSchema(**conn); !s.ok()) return s;
  return std::unique_ptr<SubmissionFeed>(
      new PostgresSubmissionFeed(*std::move(conn)));
}

absl::StatusOr<int64_t> PostgresSubmissionFeed::DataVersion() {
  absl::StatusOr<PgResult> version = conn_->Execute(absl::StrCat(
      "SELECT (", kPostgresRevisionQuery,
      ") + (SELECT COUNT(*) FROM units) + (SELECT COUNT(*) FROM locks)"));
  if (!version.ok()) return version.status();
  return version->Int(0, 0);
}

absl::StatusOr<bool> PostgresSubmissionFeed::WaitForChange(
    absl::Duration timeout) {
  if (!listening_) {
    if (absl::Status s = conn_->Listen(kPostgresChangesChannel); !s.ok()) {
      return s;
    }
    listening_ = true;
    waited_sessions_ = conn_->sessions();
    return true;
  }
  absl::StatusOr<std::vector<std::string>> payloads =
      conn_->WaitForNotifications(timeout);
  if (!payloads.ok()) return payloads.status();
  for (const std::string& payload : *payloads) {
    int64_t revision = 0;
    if (absl::SimpleAtoi(payload, &revision)) {
      notified_revision_ = std::max(notified_revision_, revision);
    }
  }
  // A new session missed the notifications sent while there was none.
  const bool reconnected = conn_->sessions() != waited_sessions_;
  waited_sessions_ = conn_->sessions();
  return reconnected || !payloads->empty();
}

absl::StatusOr<FeedBatch> PostgresSubmissionFeed::ReadAfter(
    int64_t after_unit_seq, int64_t after_revision, int limit) {
  FeedBatch batch;
  absl::Status read = conn_->InTransaction(
      [&] {
        return ReadInTransaction(after_unit_seq, after_revision, limit, batch);
      },
      "REPEATABLE READ READ ONLY");
  if (!read.ok()) return read;
  return batch;
}

absl::Status PostgresSubmissionFeed::ReadInTransaction(int64_t after_unit_seq,
                                                       int64_t after_revision,
                                                       int limit,
                                                       FeedBatch& batch) {
  batch.last_unit_seq = after_unit_seq;
  PgParams unit_params;
  absl::StatusOr<PgResult> units = conn_->Execute(
      "SELECT seq, code, parent_code, name, kind FROM units WHERE seq > $1 "
      "ORDER BY seq",
      unit_params.Add(after_unit_seq));
  if (!units.ok()) return units.status();
  for (int i = 0; i < units->rows(); ++i) {
    budget::v1::Unit& unit = batch.units.emplace_back();
    batch.last_unit_seq = units->Int(i, 0);
    unit.set_code(units->Bytes(i, 1));
    unit.set_parent_code(units->Bytes(i, 2));
    unit.set_name(units->Bytes(i, 3));
    unit.set_kind(static_cast<budget::v1::UnitKind>(units->Int(i, 4)));
  }
  PgParams submission_params;
  absl::StatusOr<PgResult> submissions = conn_->Execute(
      // Each side limited on its own index first: with the limit only on
      // the union, PostgreSQL sorts every row after $1, so that reading a
      // backlog batch by batch (a cold start) took time quadratic in it.
      "(SELECT consolidated_revision, revision, payload, stage, false "
      "FROM submissions WHERE consolidated_revision > $1 "
      "ORDER BY consolidated_revision LIMIT $2) UNION ALL "
      "(SELECT consolidated_revision, 0, payload, 0, true FROM cycle_records "
      "WHERE consolidated_revision > $1 ORDER BY consolidated_revision "
      "LIMIT $2) ORDER BY 1 LIMIT $2",
      submission_params.Add(after_revision).Add(limit));
  if (!submissions.ok()) return submissions.status();
  for (int i = 0; i < submissions->rows(); ++i) {
    absl::StatusOr<FeedSubmission> entry = FeedEntry(
        submissions->Int(i, 0), submissions->Int(i, 1), submissions->Int(i, 3),
        submissions->Bool(i, 4), submissions->Bytes(i, 2));
    if (!entry.ok()) return entry.status();
    batch.submissions.push_back(*std::move(entry));
  }
  absl::StatusOr<PgResult> locks =
      conn_->Execute("SELECT node_code, fiscal_year FROM locks");
  if (!locks.ok()) return locks.status();
  for (int i = 0; i < locks->rows(); ++i) {
    batch.locks.emplace(locks->Bytes(i, 0),
                        static_cast<int32_t>(locks->Int(i, 1)));
  }
  return absl::OkStatus();
}

}  // namespace storage
