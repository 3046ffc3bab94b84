// What the PostgreSQL audit trail adds to the AuditTrail contract
// (storage/audit_trail_test.cc checks on both backends): the query
// service's records queued in audit_inbox without any lock, and chained by
// the writers, in queue order, once each.
#include "storage/postgres/postgres_audit_trail.h"

#include <chrono>
#include <future>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"
#include "gtest/gtest.h"
#include "storage/open_store.h"
#include "storage/postgres/pg_audit_rows.h"
#include "tests/testing/postgres_database.h"

namespace storage {
namespace {

using budget::v1::AuditRecord;

// A hung call fails the test after this long, never hangs it.
constexpr std::chrono::seconds kBlocked(60);

class PostgresAuditTrailTest : public ::testing::Test {
 protected:
  void SetUp() override {
    uri_ = e2e_testing::FreshPostgresDatabase();
    ASSERT_FALSE(uri_.empty());
    ASSERT_TRUE(MigrateStore(uri_).ok());
    writer_ = Open(AuditAppender::kWriter);
    querier_ = Open(AuditAppender::kQuerier);
    sql_ = Connect();
    ASSERT_NE(writer_, nullptr);
    ASSERT_NE(querier_, nullptr);
    ASSERT_NE(sql_, nullptr);
  }

  std::unique_ptr<AuditTrail> Open(AuditAppender appender) {
    absl::StatusOr<std::unique_ptr<AuditTrail>> trail =
        AuditTrail::Open(uri_, appender);
    EXPECT_TRUE(trail.ok()) << trail.status();
    return trail.ok() ? std::move(*trail) : nullptr;
  }

  std::unique_ptr<PgConnection> Connect() {
    absl::StatusOr<std::unique_ptr<PgConnection>> conn =
        PgConnection::Connect(uri_);
    EXPECT_TRUE(conn.ok()) << conn.status();
    return conn.ok() ? std::move(*conn) : nullptr;
  }

  static AuditRecord Denied(const std::string& principal) {
    AuditRecord record;
    record.set_principal(principal);
    record.set_method("GetDisclosureTable");
    record.set_node_code("021");
    record.set_fiscal_year(2024);
    record.set_outcome("PERMISSION_DENIED");
    return record;
  }

  int64_t Count(const std::string& table) {
    absl::StatusOr<PgResult> count =
        sql_->Execute(absl::StrCat("SELECT count(*) FROM ", table));
    EXPECT_TRUE(count.ok()) << count.status();
    return count.ok() ? count->Int(0, 0) : -1;
  }

  std::vector<AuditRecord> ListAll(AuditTrail& trail) {
    absl::StatusOr<std::vector<AuditRecord>> listed = trail.List(0, 100000);
    EXPECT_TRUE(listed.ok()) << listed.status();
    return listed.ok() ? *std::move(listed) : std::vector<AuditRecord>();
  }

  void ExpectIntact(int64_t records) {
    absl::StatusOr<auth::ChainCheck> check = writer_->Verify();
    ASSERT_TRUE(check.ok()) << check.status();
    EXPECT_EQ(check->record_count, records);
    EXPECT_EQ(check->damage, budget::v1::AUDIT_DAMAGE_NONE);
  }

  std::string uri_;
  std::unique_ptr<AuditTrail> writer_;
  std::unique_ptr<AuditTrail> querier_;
  std::unique_ptr<PgConnection> sql_;  // The superuser's, to look and lock.
};

// Queued, not chained, until a writer lists: then in the order queued,
// after what the writer appended meanwhile, with the time each was queued.
TEST_F(PostgresAuditTrailTest, QueuedRecordsAreChainedInOrderKeepingTheirTime) {
  ASSERT_TRUE(querier_->Append(Denied("q-0")).ok());
  ASSERT_TRUE(querier_->AppendAll({Denied("q-1"), Denied("q-2")}).ok());
  EXPECT_EQ(Count("audit_records"), 0);
  EXPECT_EQ(Count("audit_inbox"), 3);
  absl::StatusOr<PgResult> queued =
      sql_->Execute("SELECT time_us FROM audit_inbox ORDER BY id");
  ASSERT_TRUE(queued.ok()) << queued.status();
  ASSERT_EQ(queued->rows(), 3);
  EXPECT_GT(queued->Int(0, 0), 0);

  // The querier's own List shows the chain as stored, chaining nothing.
  EXPECT_TRUE(ListAll(*querier_).empty());
  EXPECT_EQ(Count("audit_inbox"), 3);

  std::vector<AuditRecord> listed = ListAll(*writer_);
  ASSERT_EQ(listed.size(), 3u);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(listed[i].sequence(), i + 1);
    EXPECT_EQ(listed[i].principal(), absl::StrCat("q-", i));
    EXPECT_EQ(listed[i].method(), "GetDisclosureTable");
    EXPECT_EQ(listed[i].node_code(), "021");
    EXPECT_EQ(listed[i].fiscal_year(), 2024);
    EXPECT_EQ(listed[i].outcome(), "PERMISSION_DENIED");
    EXPECT_EQ(google::protobuf::util::TimeUtil::TimestampToMicroseconds(
                  listed[i].time()),
              queued->Int(i, 0));
  }
  EXPECT_EQ(Count("audit_inbox"), 0);

  ASSERT_TRUE(writer_->Append(Denied("writer")).ok());
  ASSERT_TRUE(querier_->Append(Denied("q-3")).ok());
  absl::StatusOr<auth::ChainCheck> check = writer_->Verify();
  ASSERT_TRUE(check.ok()) << check.status();
  EXPECT_EQ(check->record_count, 5);
  EXPECT_EQ(check->damage, budget::v1::AUDIT_DAMAGE_NONE);
  listed = ListAll(*writer_);
  ASSERT_EQ(listed.size(), 5u);
  EXPECT_EQ(listed[3].principal(), "writer");
  EXPECT_EQ(listed[4].principal(), "q-3");
}

// Two writers (an active and a standby ingest service) chaining a queue of
// several batches at once: they take turns on the audit lock, and every
// record is chained exactly once, in queue order.
TEST_F(PostgresAuditTrailTest, TwoWritersChainEachQueuedRecordOnce) {
  constexpr int kQueued = 2500;  // Three of PostgresAuditTrail's batches.
  std::vector<AuditRecord> records;
  for (int i = 0; i < kQueued; ++i) {
    records.push_back(Denied(absl::StrCat("q-", i)));
  }
  ASSERT_TRUE(querier_->AppendAll(std::move(records)).ok());
  std::unique_ptr<AuditTrail> standby = Open(AuditAppender::kWriter);
  ASSERT_NE(standby, nullptr);

  absl::Status chained[2];
  std::thread other([&] { chained[1] = standby->ChainQueued(); });
  chained[0] = writer_->ChainQueued();
  other.join();
  EXPECT_TRUE(chained[0].ok()) << chained[0];
  EXPECT_TRUE(chained[1].ok()) << chained[1];

  EXPECT_EQ(Count("audit_inbox"), 0);
  std::vector<AuditRecord> listed = ListAll(*standby);
  ASSERT_EQ(listed.size(), static_cast<size_t>(kQueued));
  for (int i = 0; i < kQueued; ++i) {
    ASSERT_EQ(listed[i].principal(), absl::StrCat("q-", i)) << i;
  }
  ExpectIntact(kQueued);
}

// An empty queue costs a writer one read: it takes no lock, so it does not
// wait for a transaction holding the audit lock.
TEST_F(PostgresAuditTrailTest, AnEmptyQueueTakesNoLock) {
  ASSERT_TRUE(sql_->Exec("BEGIN").ok());
  ASSERT_TRUE(sql_->Exec("SELECT * FROM audit_anchor()").ok());
  std::future<absl::Status> chained =
      std::async(std::launch::async, [&] { return writer_->ChainQueued(); });
  const bool returned = chained.wait_for(kBlocked) == std::future_status::ready;
  ASSERT_TRUE(sql_->Exec("ROLLBACK").ok());
  ASSERT_TRUE(returned) << "ChainQueued waited for the audit lock";
  EXPECT_TRUE(chained.get().ok());
}

// The defect migration 6 removed: the querier's session keeps a
// transaction open after queueing (where it could once hold the audit
// lock); the writer's appends go on, and the record is chained once that
// transaction commits.
TEST_F(PostgresAuditTrailTest, AnOpenQueueingTransactionDelaysNoWriter) {
  std::unique_ptr<PgConnection> query = Connect();
  ASSERT_NE(query, nullptr);
  AuditRecord held = Denied("held");
  *held.mutable_time() = google::protobuf::util::TimeUtil::GetCurrentTime();
  AuditRecord* batch[] = {&held};
  const PgStatement queue = QueueAuditRecordsStatement(batch);
  ASSERT_TRUE(query->Exec("BEGIN").ok());
  ASSERT_TRUE(query->Execute(queue.sql, queue.params).ok());

  std::future<absl::Status> appended = std::async(std::launch::async, [&] {
    if (absl::Status s = writer_->Append(Denied("writer")); !s.ok()) return s;
    return writer_->ChainQueued();
  });
  const bool returned =
      appended.wait_for(kBlocked) == std::future_status::ready;
  ASSERT_TRUE(query->Exec("COMMIT").ok());
  ASSERT_TRUE(returned) << "the writer waited for the querier's transaction";
  EXPECT_TRUE(appended.get().ok());

  std::vector<AuditRecord> listed = ListAll(*writer_);
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_EQ(listed[0].principal(), "writer");
  EXPECT_EQ(listed[1].principal(), "held");
  ExpectIntact(2);
}

// A chain that takes no more records (its anchor removed) keeps the queued
// ones queued, and is still listed and verified as stored.
TEST_F(PostgresAuditTrailTest, QueuedRecordsWaitWhileTheChainIsBroken) {
  ASSERT_TRUE(writer_->Append(Denied("writer")).ok());
  ASSERT_TRUE(sql_->Exec("DELETE FROM audit_head").ok());
  ASSERT_TRUE(querier_->Append(Denied("q")).ok());
  EXPECT_TRUE(absl::IsDataLoss(writer_->ChainQueued()));
  EXPECT_EQ(ListAll(*writer_).size(), 1u);
  absl::StatusOr<auth::ChainCheck> check = writer_->Verify();
  ASSERT_TRUE(check.ok()) << check.status();
  EXPECT_EQ(check->damage, budget::v1::AUDIT_DAMAGE_REMOVED);
  EXPECT_EQ(Count("audit_inbox"), 1);
}

}  // namespace
}  // namespace storage
