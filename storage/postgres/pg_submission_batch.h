// The PostgreSQL store's commit of a batch of submissions as few
// statements, one round trip each: a chunk of submissions (as many as fit
// kMaxChunkSubmissions and kMaxChunkBytes) is checked and inserted by one
// statement whose data-modifying CTEs insert the submission rows and upsert
// the node totals, but only when its checks, read in the same snapshot,
// pass:
//   - the store's consolidated revision is the one before the chunk's first;
//   - each unit's first revision in the chunk is next after its stored one
//     (consecutive revisions within the chunk are checked in memory);
//   - no request id of the chunk is a cycle record's;
//   - when fenced, writer_lease still holds the writer's epoch (read FOR
//     SHARE, so a new writer's UPDATE waits for this commit).
// The last chunk also sends the NOTIFY for replicas when the checks pass.
// The rows go as one binary array per column, unnested by the statement,
// so its text depends only on whether it is fenced and notifies: each
// session parses and plans it once (PgConnection::ExecutePrepared), where
// a multi-row VALUES statement of each chunk's shape was parsed and planned
// every time (about a third of the server's CPU per submission).
//
// Thread-compatible: plain functions of their arguments.
#ifndef STORAGE_POSTGRES_PG_SUBMISSION_BATCH_H_
#define STORAGE_POSTGRES_PG_SUBMISSION_BATCH_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/types/span.h"
#include "storage/budget_store.h"
#include "storage/postgres/pg_connection.h"

namespace storage {

// Submissions one chunk statement carries at most.
inline constexpr int kMaxChunkSubmissions = 4096;
// Payload and response bytes one chunk statement carries at most (but
// always one submission), bounding what the server holds for a statement.
inline constexpr int64_t kMaxChunkBytes = 16 << 20;

// `submissions` cut into consecutive chunks, each within
// kMaxChunkSubmissions and kMaxChunkBytes.
std::vector<absl::Span<const NewSubmission>> SubmissionChunks(
    absl::Span<const NewSubmission> submissions);

// ABORTED unless the consolidated revisions of `submissions` run on by one
// and each unit's revisions within them do too.
absl::Status CheckConsecutive(absl::Span<const NewSubmission> submissions);

// What a chunk's statement does when its checks fail: it always skips its
// inserts; then it either reports why in its result row, or fails with
// division_by_zero (SQLSTATE 22012), so that the server skips the rest of
// its transaction, COMMIT included: a transaction sent whole in one round
// trip (PgConnection::InOneRoundTrip) commits only chunks that passed.
enum class ChunkChecks { kReport, kFailTransaction };

// One chunk's statement. Its result row: the stored consolidated revision,
// the units whose revision is not next (text, NULL when none), a cycle
// record's request id the chunk reuses (NULL when none), the lease epoch
// (the writer's own when unfenced), the rows inserted, then (notifying)
// the NOTIFYs sent and (kFailTransaction) 1. Its text depends only on
// whether it is fenced, notifies and fails.
// `writer_epoch` 0: unfenced. `notify_channel` empty: no NOTIFY; otherwise
// the payload is the chunk's last consolidated revision.
PgStatement BuildChunkStatement(absl::Span<const NewSubmission> chunk,
                                int64_t writer_epoch,
                                absl::string_view notify_channel,
                                ChunkChecks checks);

}  // namespace storage

#endif  // STORAGE_POSTGRES_PG_SUBMISSION_BATCH_H_
