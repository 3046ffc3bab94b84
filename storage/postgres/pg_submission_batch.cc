#include "storage/postgres/pg_submission_batch.h"

#include <string>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"
#include "storage/postgres/postgres_store.h"

namespace storage {
namespace {

using budget::v1::NodeTotals;
using budget::v1::Submission;
using google::protobuf::util::TimeUtil;

// The statement's text for one shape: fenced or not, notifying or not,
// failing or reporting. The rows go as one array parameter per column
// ($1-$16), so the text is the same for every chunk of that shape and each
// session plans it once.
std::string ChunkSql(bool fenced, bool notify, ChunkChecks checks) {
  return absl::StrCat(
      "WITH v AS (SELECT * FROM unnest($1::bigint[], $2::text[], "
      "$3::integer[], $4::bigint[], $5::text[], $6::bytea[], $7::text[], "
      "$8::bigint[], $9::bytea[], $10::bytea[], $11::integer[]) AS v "
      "(consolidated_revision, unit_code, fiscal_year, revision, request_id, "
      "payload, submitted_by, submitted_at_us, warnings, response, stage)), "
      "t AS (SELECT * FROM unnest($12::text[], $13::integer[], $14::bigint[], "
      "$15::bigint[], $16::bigint[]) AS t (node_code, fiscal_year, "
      "income_fen, expenditure_fen, consolidated_revision))",
      fenced
          ? ", lease AS (SELECT epoch FROM writer_lease WHERE id = 1 FOR SHARE)"
          : "",
      ", chk AS (SELECT (", kPostgresRevisionQuery,
      ") AS consolidated, (SELECT string_agg(f.unit_code || '/' || "
      "f.fiscal_year || ' revision ' || f.revision || ' after ' || f.latest, "
      "', ') FROM (SELECT DISTINCT ON (v.unit_code, v.fiscal_year) "
      "v.unit_code, v.fiscal_year, v.revision, (SELECT "
      "COALESCE(MAX(s.revision), 0) FROM submissions AS s WHERE s.unit_code = "
      "v.unit_code AND s.fiscal_year = v.fiscal_year) AS latest FROM v ORDER "
      "BY v.unit_code, v.fiscal_year, v.revision) AS f WHERE f.revision <> "
      "f.latest + 1) AS moved, (SELECT MIN(c.request_id) FROM cycle_records "
      "AS c WHERE c.request_id IN (SELECT request_id FROM v)) AS clash, ",
      fenced ? "COALESCE((SELECT epoch FROM lease), 0)" : "$18::bigint",
      " AS epoch), ok AS (SELECT consolidated = $17::bigint AND moved IS NULL "
      "AND clash IS NULL AND epoch = $18::bigint AS go FROM chk), "
      "s AS (INSERT INTO submissions (consolidated_revision, unit_code, "
      "fiscal_year, revision, request_id, payload, submitted_by, "
      "submitted_at_us, warnings, response, stage) SELECT v.* FROM v, ok "
      "WHERE ok.go RETURNING 1), "
      "n AS (INSERT INTO node_totals (node_code, fiscal_year, income_fen, "
      "expenditure_fen, consolidated_revision) SELECT t.* FROM t, ok WHERE "
      "ok.go ON CONFLICT (node_code, fiscal_year) DO UPDATE SET "
      "income_fen = excluded.income_fen, "
      "expenditure_fen = excluded.expenditure_fen, "
      "consolidated_revision = excluded.consolidated_revision)",
      notify ? ", notified AS (SELECT pg_notify($19, $20) FROM ok WHERE ok.go)"
             : "",
      " SELECT chk.consolidated, chk.moved, chk.clash, chk.epoch, "
      "(SELECT COUNT(*) FROM s)",
      notify ? ", (SELECT COUNT(*) FROM notified)" : "",
      // Plain SQL raises no error of its own choosing: a division by zero
      // it is. IS TRUE, as a NULL would divide to NULL and pass.
      checks == ChunkChecks::kFailTransaction
          ? ", (SELECT 1 / (go IS TRUE)::integer FROM ok)"
          : "",
      " FROM chk");
}

int64_t BytesOf(const NewSubmission& submission) {
  return static_cast<int64_t>(submission.payload.size() +
                              submission.response.size());
}

}  // namespace

std::vector<absl::Span<const NewSubmission>> SubmissionChunks(
    absl::Span<const NewSubmission> submissions) {
  std::vector<absl::Span<const NewSubmission>> chunks;
  size_t begin = 0;
  int64_t bytes = 0;
  for (size_t i = 0; i < submissions.size(); ++i) {
    const int64_t more = BytesOf(submissions[i]);
    if (i > begin && (i - begin >= static_cast<size_t>(kMaxChunkSubmissions) ||
                      bytes + more > kMaxChunkBytes)) {
      chunks.push_back(submissions.subspan(begin, i - begin));
      begin = i;
      bytes = 0;
    }
    bytes += more;
  }
  if (begin < submissions.size()) chunks.push_back(submissions.subspan(begin));
  return chunks;
}

absl::Status CheckConsecutive(absl::Span<const NewSubmission> submissions) {
  absl::flat_hash_map<std::pair<std::string, int32_t>, int64_t> revisions;
  for (size_t i = 0; i < submissions.size(); ++i) {
    const Submission& meta = submissions[i].metadata;
    if (i > 0 && meta.consolidated_revision() !=
                     submissions[i - 1].metadata.consolidated_revision() + 1) {
      return absl::AbortedError(
          absl::StrCat("consolidated revision ", meta.consolidated_revision(),
                       " is not next after ",
                       submissions[i - 1].metadata.consolidated_revision()));
    }
    auto [it, added] = revisions.try_emplace(
        std::make_pair(meta.unit_code(), meta.fiscal_year()), meta.revision());
    if (!added) {
      if (meta.revision() != it->second + 1) {
        return absl::AbortedError(absl::StrCat(
            "revision ", meta.revision(), " of ", meta.unit_code(), "/",
            meta.fiscal_year(), " is not next after ", it->second));
      }
      it->second = meta.revision();
    }
  }
  return absl::OkStatus();
}

PgStatement BuildChunkStatement(absl::Span<const NewSubmission> chunk,
                                int64_t writer_epoch,
                                absl::string_view notify_channel,
                                ChunkChecks checks) {
  const size_t n = chunk.size();
  std::vector<int64_t> consolidated(n), revision(n), submitted_at(n);
  std::vector<int32_t> year(n), stage(n);
  std::vector<absl::string_view> unit(n), request_id(n), payload(n),
      submitted_by(n), warnings(n), response(n);
  std::vector<std::string> warnings_bytes(n);
  // A node's totals in a chunk: the last submission's (all rows of one
  // upsert must differ in their key).
  std::vector<const NodeTotals*> totals;
  std::vector<int64_t> totals_revision;
  absl::flat_hash_map<std::pair<absl::string_view, int32_t>, size_t>
      totals_index;
  for (size_t i = 0; i < n; ++i) {
    const Submission& meta = chunk[i].metadata;
    consolidated[i] = meta.consolidated_revision();
    unit[i] = meta.unit_code();
    year[i] = meta.fiscal_year();
    revision[i] = meta.revision();
    request_id[i] = meta.request_id();
    payload[i] = chunk[i].payload;
    submitted_by[i] = meta.submitted_by();
    submitted_at[i] = TimeUtil::TimestampToMicroseconds(meta.submitted_at());
    budget::v1::ValidationReport report;
    *report.mutable_violations() = meta.warnings();
    warnings_bytes[i] = report.SerializeAsString();
    warnings[i] = warnings_bytes[i];
    response[i] = chunk[i].response;
    stage[i] = meta.stage();
    for (const NodeTotals& node : chunk[i].totals) {
      auto [it, added] = totals_index.try_emplace(
          std::make_pair(absl::string_view(node.node_code()),
                         node.fiscal_year()),
          totals.size());
      if (added) {
        totals.push_back(&node);
        totals_revision.push_back(meta.consolidated_revision());
      } else {
        totals[it->second] = &node;
        totals_revision[it->second] = meta.consolidated_revision();
      }
    }
  }
  std::vector<absl::string_view> node_code;
  std::vector<int32_t> node_year;
  std::vector<int64_t> income, expenditure;
  for (const NodeTotals* node : totals) {
    node_code.push_back(node->node_code());
    node_year.push_back(node->fiscal_year());
    income.push_back(node->income_fen());
    expenditure.push_back(node->expenditure_fen());
  }

  PgStatement out;
  out.sql = ChunkSql(writer_epoch != 0, !notify_channel.empty(), checks);
  out.params.AddInt64Array(consolidated)
      .AddTextArray(unit)
      .AddInt32Array(year)
      .AddInt64Array(revision)
      .AddTextArray(request_id)
      .AddBytesArray(payload)
      .AddTextArray(submitted_by)
      .AddInt64Array(submitted_at)
      .AddBytesArray(warnings)
      .AddBytesArray(response)
      .AddInt32Array(stage)
      .AddTextArray(node_code)
      .AddInt32Array(node_year)
      .AddInt64Array(income)
      .AddInt64Array(expenditure)
      .AddInt64Array(totals_revision)
      .Add(chunk.front().metadata.consolidated_revision() - 1)
      .Add(writer_epoch);
  if (!notify_channel.empty()) {
    out.params.AddText(notify_channel)
        .AddText(absl::StrCat(chunk.back().metadata.consolidated_revision()));
  }
  return out;
}

}  // namespace storage
