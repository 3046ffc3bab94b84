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

constexpr int kSubmissionParams = 11;
constexpr int kTotalsParams = 5;

int ParamsOf(const NewSubmission& submission) {
  return kSubmissionParams +
         kTotalsParams * static_cast<int>(submission.totals.size());
}

// Appends "($n::type, ...)" for `types`, numbering on from `params`.
void AppendRow(std::string& sql, const PgParams& params,
               std::initializer_list<absl::string_view> types) {
  int n = params.size() - static_cast<int>(types.size());
  absl::StrAppend(&sql, sql.back() == ')' ? ", (" : "(");
  bool first = true;
  for (absl::string_view type : types) {
    absl::StrAppend(&sql, first ? "" : ", ", "$", ++n, "::", type);
    first = false;
  }
  sql.push_back(')');
}

}  // namespace

std::vector<absl::Span<const NewSubmission>> SubmissionChunks(
    absl::Span<const NewSubmission> submissions) {
  std::vector<absl::Span<const NewSubmission>> chunks;
  size_t begin = 0;
  int params = 0;
  int64_t bytes = 0;
  for (size_t i = 0; i < submissions.size(); ++i) {
    int more = ParamsOf(submissions[i]);
    int64_t more_bytes = static_cast<int64_t>(submissions[i].payload.size() +
                                              submissions[i].response.size());
    if (i > begin && (params + more > kMaxChunkParams ||
                      bytes + more_bytes > kMaxChunkBytes)) {
      chunks.push_back(submissions.subspan(begin, i - begin));
      begin = i;
      params = 0;
      bytes = 0;
    }
    params += more;
    bytes += more_bytes;
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

ChunkStatement BuildChunkStatement(absl::Span<const NewSubmission> chunk,
                                   int64_t writer_epoch,
                                   absl::string_view notify_channel) {
  ChunkStatement out;
  std::string& sql = out.sql;
  PgParams& params = out.params;
  sql =
      "WITH v (consolidated_revision, unit_code, fiscal_year, revision, "
      "request_id, payload, submitted_by, submitted_at_us, warnings, "
      "response, stage) AS (VALUES ";
  // A node's totals in a chunk: the last submission's (all rows of one
  // upsert must differ in their key).
  std::vector<const NodeTotals*> totals;
  std::vector<int64_t> totals_revision;
  absl::flat_hash_map<std::pair<std::string, int32_t>, size_t> totals_index;
  for (const NewSubmission& submission : chunk) {
    const Submission& meta = submission.metadata;
    budget::v1::ValidationReport warnings;
    *warnings.mutable_violations() = meta.warnings();
    params.Add(meta.consolidated_revision())
        .AddText(meta.unit_code())
        .Add(meta.fiscal_year())
        .Add(meta.revision())
        .AddText(meta.request_id())
        .AddBytes(submission.payload)
        .AddText(meta.submitted_by())
        .Add(TimeUtil::TimestampToMicroseconds(meta.submitted_at()))
        .AddBytes(warnings.SerializeAsString())
        .AddBytes(submission.response)
        .Add(meta.stage());
    AppendRow(sql, params,
              {"bigint", "text", "integer", "bigint", "text", "bytea", "text",
               "bigint", "bytea", "bytea", "integer"});
    for (const NodeTotals& node : submission.totals) {
      auto [it, added] = totals_index.try_emplace(
          std::make_pair(node.node_code(), node.fiscal_year()), totals.size());
      if (added) {
        totals.push_back(&node);
        totals_revision.push_back(meta.consolidated_revision());
      } else {
        totals[it->second] = &node;
        totals_revision[it->second] = meta.consolidated_revision();
      }
    }
  }
  sql += ")";
  if (!totals.empty()) {
    sql +=
        ", t (node_code, fiscal_year, income_fen, expenditure_fen, "
        "consolidated_revision) AS (VALUES ";
    for (size_t i = 0; i < totals.size(); ++i) {
      params.AddText(totals[i]->node_code())
          .Add(totals[i]->fiscal_year())
          .Add(totals[i]->income_fen())
          .Add(totals[i]->expenditure_fen())
          .Add(totals_revision[i]);
      AppendRow(sql, params, {"text", "integer", "bigint", "bigint", "bigint"});
    }
    sql += ")";
  }
  params.Add(chunk.front().metadata.consolidated_revision() - 1);
  const int previous = params.size();
  params.Add(writer_epoch);
  const int epoch = params.size();
  absl::StrAppend(
      &sql,
      writer_epoch != 0
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
      writer_epoch != 0 ? "COALESCE((SELECT epoch FROM lease), 0)"
                        : absl::StrCat("$", epoch, "::bigint"),
      " AS epoch), ok AS (SELECT consolidated = $", previous,
      "::bigint AND moved IS NULL AND clash IS NULL AND epoch = $", epoch,
      "::bigint AS go FROM chk), s AS (INSERT INTO submissions "
      "(consolidated_revision, unit_code, fiscal_year, revision, request_id, "
      "payload, submitted_by, submitted_at_us, warnings, response, stage) "
      "SELECT v.* FROM v, ok WHERE ok.go RETURNING 1)");
  if (!totals.empty()) {
    sql +=
        ", n AS (INSERT INTO node_totals (node_code, fiscal_year, income_fen, "
        "expenditure_fen, consolidated_revision) SELECT t.* FROM t, ok WHERE "
        "ok.go ON CONFLICT (node_code, fiscal_year) DO UPDATE SET "
        "income_fen = excluded.income_fen, "
        "expenditure_fen = excluded.expenditure_fen, "
        "consolidated_revision = excluded.consolidated_revision)";
  }
  if (!notify_channel.empty()) {
    params.AddText(notify_channel)
        .AddText(absl::StrCat(chunk.back().metadata.consolidated_revision()));
    absl::StrAppend(&sql, ", notified AS (SELECT pg_notify($",
                    params.size() - 1, ", $", params.size(),
                    ") FROM ok WHERE ok.go)");
  }
  absl::StrAppend(
      &sql,
      " SELECT chk.consolidated, chk.moved, chk.clash, chk.epoch, "
      "(SELECT COUNT(*) FROM s)",
      notify_channel.empty() ? "" : ", (SELECT COUNT(*) FROM notified)",
      " FROM chk");
  return out;
}

}  // namespace storage
