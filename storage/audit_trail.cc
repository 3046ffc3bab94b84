#include "storage/audit_trail.h"

#include <string>
#include <utility>

#include "absl/time/clock.h"
#include "google/protobuf/util/time_util.h"
#include "storage/postgres/pg_connection.h"
#include "storage/postgres/postgres_audit_trail.h"
#include "storage/sqlite_audit_trail.h"

namespace storage {

using budget::v1::AuditRecord;
using google::protobuf::util::TimeUtil;

absl::StatusOr<std::unique_ptr<AuditTrail>> AuditTrail::Open(
    absl::string_view spec, AuditAppender appender) {
  if (IsPostgresUri(spec)) return PostgresAuditTrail::Open(spec, appender);
  // Either appender chains: see AuditAppender::kQuerier.
  return SqliteAuditTrail::Open(spec);
}

AuditRecordCopies::AuditRecordCopies(
    absl::Span<const NewSubmission> submissions) {
  for (const NewSubmission& submission : submissions) {
    if (submission.audit.has_value()) records_.push_back(*submission.audit);
  }
  pointers_.reserve(records_.size());
  for (AuditRecord& record : records_) pointers_.push_back(&record);
}

AuditRecordCopies::AuditRecordCopies(absl::Span<const AuditRecord> records)
    : records_(records.begin(), records.end()) {
  pointers_.reserve(records_.size());
  for (AuditRecord& record : records_) pointers_.push_back(&record);
}

absl::Status AuditTrail::Append(AuditRecord record) {
  std::vector<AuditRecord> one;
  one.push_back(std::move(record));
  return AppendAll(std::move(one));
}

absl::Status AuditTrail::AppendAll(std::vector<AuditRecord> records) {
  if (records.empty()) return absl::OkStatus();
  std::vector<PendingRecord> mine(records.size());
  {
    // Queued together, so one transaction takes them all.
    absl::MutexLock queue_lock(&queue_mu_);
    for (size_t i = 0; i < records.size(); ++i) {
      mine[i].record = std::move(records[i]);
      queue_.push_back(&mine[i]);
    }
  }
  // Whoever writes next writes everything queued by then, so records
  // arriving while one transaction syncs share the next one.
  absl::MutexLock lock(&write_mu_);
  if (!mine.front().durable_or_failed) WriteQueued();
  return mine.front().status;
}

void AuditTrail::WriteQueued() {
  std::vector<PendingRecord*> batch;
  {
    absl::MutexLock queue_lock(&queue_mu_);
    batch.swap(queue_);
  }
  std::vector<AuditRecord*> records;
  records.reserve(batch.size());
  for (PendingRecord* pending : batch) records.push_back(&pending->record);
  absl::Status written = WriteBatch(records);
  for (PendingRecord* pending : batch) {
    pending->status = written;
    pending->durable_or_failed = true;
  }
}

absl::StatusOr<auth::ChainHead> AuditTrail::ChainAfter(
    const std::optional<auth::ChainHead>& anchor, bool records_exist,
    absl::Span<AuditRecord* const> batch) {
  return Chain(anchor, records_exist, batch, RecordTime::kNow);
}

absl::StatusOr<auth::ChainHead> AuditTrail::ChainQueuedAfter(
    const std::optional<auth::ChainHead>& anchor, bool records_exist,
    absl::Span<AuditRecord* const> batch) {
  return Chain(anchor, records_exist, batch, RecordTime::kKept);
}

absl::StatusOr<auth::ChainHead> AuditTrail::Chain(
    const std::optional<auth::ChainHead>& anchor, bool records_exist,
    absl::Span<AuditRecord* const> batch, RecordTime time) {
  // The anchor, not the last row: a deleted newest record must stay a gap
  // that the next record jumps, never a sequence number it reuses.
  if (!anchor.has_value() && records_exist) {
    return absl::DataLossError(
        "audit trail: records exist but their head anchor (table "
        "audit_head) is gone; appends stop rather than anchor a chain "
        "whose end nothing vouches for (see VerifyAuditTrail)");
  }
  auth::ChainHead head =
      anchor.has_value() ? *anchor : auth::ChainHead{0, auth::GenesisHash()};
  const int64_t micros = absl::ToUnixMicros(absl::Now());
  for (AuditRecord* record : batch) {
    record->set_sequence(++head.sequence);
    record->set_previous_hash(std::move(head.hash));
    if (time == RecordTime::kNow) {
      *record->mutable_time() = TimeUtil::MicrosecondsToTimestamp(micros);
    }
    record->set_hash(auth::AuditHash(*record));
    head.hash = record->hash();
  }
  return head;
}

absl::StatusOr<auth::ChainCheck> AuditTrail::Verify() {
  absl::StatusOr<StoredChain> chain = ReadChain();
  if (!chain.ok()) return chain.status();
  if (!chain->head.has_value() && !chain->records.empty()) {
    // The anchor is written with every append, so records without it mean
    // it was removed, and with it whatever records followed.
    auth::ChainCheck check =
        auth::VerifyAuditChain(chain->records, std::nullopt);
    if (check.damage != budget::v1::AUDIT_DAMAGE_NONE) return check;
    check.first_bad_sequence = chain->records.back().sequence() + 1;
    check.damage = budget::v1::AUDIT_DAMAGE_REMOVED;
    return check;
  }
  return auth::VerifyAuditChain(chain->records, chain->head);
}

}  // namespace storage
