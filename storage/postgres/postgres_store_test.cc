// What the PostgreSQL store adds to the BudgetStore contract (which
// storage/store_contract_test.cc checks on both backends): versioned
// migrations checked at open, change notifications, and several writers
// serialized on one database.
#include "storage/postgres/postgres_store.h"

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "storage/open_store.h"
#include "storage/postgres/pg_migrations.h"
#include "storage/postgres/pg_submission_batch.h"
#include "tests/testing/postgres_database.h"

namespace storage {
namespace {

using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

class PostgresStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    uri_ = e2e_testing::FreshPostgresDatabase();
    ASSERT_FALSE(uri_.empty());
  }

  std::unique_ptr<PgConnection> Connect() {
    absl::StatusOr<std::unique_ptr<PgConnection>> conn =
        PgConnection::Connect(uri_);
    EXPECT_TRUE(conn.ok()) << conn.status();
    return conn.ok() ? std::move(*conn) : nullptr;
  }

  // A session listening on the store's changes channel.
  std::unique_ptr<PgConnection> Listener() {
    std::unique_ptr<PgConnection> listener = Connect();
    if (listener != nullptr) {
      absl::Status listening = listener->Listen(kPostgresChangesChannel);
      EXPECT_TRUE(listening.ok()) << listening;
      if (!listening.ok()) listener.reset();
    }
    return listener;
  }

  // Moves the writer lease to `epoch` and tells `store` it holds it.
  // Returns the session that moved it, to move it on later; nullptr (and a
  // failure of the running test) if it could not.
  std::unique_ptr<PgConnection> LeaseAt(BudgetStore& store, int epoch) {
    std::unique_ptr<PgConnection> lease = Connect();
    if (lease == nullptr) return nullptr;
    absl::Status moved =
        lease->Exec(absl::StrCat("UPDATE writer_lease SET epoch = ", epoch));
    EXPECT_TRUE(moved.ok()) << moved;
    if (!moved.ok()) return nullptr;
    store.SetWriterEpoch(epoch);
    return lease;
  }

  static NewSubmission Make(int64_t consolidated, const std::string& request) {
    NewSubmission s;
    s.metadata.set_unit_code("021001");
    s.metadata.set_fiscal_year(2024);
    s.metadata.set_revision(consolidated);
    s.metadata.set_consolidated_revision(consolidated);
    s.metadata.set_request_id(request);
    s.payload = "budget " + request;
    s.response = "answer " + request;
    return s;
  }

  std::string uri_;
};

TEST_F(PostgresStoreTest, RefusesAStoreWithoutSchemaNamingTheCommand) {
  absl::StatusOr<std::unique_ptr<BudgetStore>> store = OpenStore(uri_);
  ASSERT_FALSE(store.ok());
  EXPECT_TRUE(absl::IsFailedPrecondition(store.status())) << store.status();
  EXPECT_THAT(
      store.status().message(),
      AllOf(HasSubstr("no schema yet"),
            HasSubstr(absl::StrCat("needs version ", PostgresSchemaVersion())),
            HasSubstr("ingest_service --store=<the same URI> "
                      "--migrate")));
}

TEST_F(PostgresStoreTest, MigratesOnceAndRefusesANewerSchema) {
  absl::StatusOr<std::string> first = MigrateStore(uri_);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_THAT(*first,
              HasSubstr(absl::StrCat("applied ", PostgresSchemaVersion())));
  absl::StatusOr<std::string> again = MigrateStore(uri_);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_THAT(*again, HasSubstr("applied 0 migration(s)"));
  ASSERT_TRUE(OpenStore(uri_).ok());

  std::unique_ptr<PgConnection> conn = Connect();
  ASSERT_NE(conn, nullptr);
  PgParams params;
  ASSERT_TRUE(conn->Execute("INSERT INTO schema_version (version, "
                            "description) VALUES ($1, 'from the future')",
                            params.Add(PostgresSchemaVersion() + 1))
                  .ok());
  absl::StatusOr<std::unique_ptr<BudgetStore>> newer = OpenStore(uri_);
  EXPECT_TRUE(absl::IsFailedPrecondition(newer.status())) << newer.status();
  EXPECT_THAT(
      newer.status().message(),
      HasSubstr(absl::StrCat("schema version ", PostgresSchemaVersion() + 1,
                             ", newer than this build knows")));
  EXPECT_TRUE(absl::IsFailedPrecondition(MigrateStore(uri_).status()));
}

TEST_F(PostgresStoreTest, NotifiesTheNewRevisionOnCommit) {
  ASSERT_TRUE(MigrateStore(uri_).ok());
  std::unique_ptr<PgConnection> listener = Listener();
  ASSERT_NE(listener, nullptr);
  absl::StatusOr<std::unique_ptr<BudgetStore>> store = OpenStore(uri_);
  ASSERT_TRUE(store.ok()) << store.status();
  NewSubmission batch[] = {Make(1, "a"), Make(2, "b")};
  ASSERT_TRUE((*store)->CommitSubmissions(batch).ok());
  absl::StatusOr<std::vector<std::string>> payloads =
      listener->WaitForNotifications(absl::Seconds(30));
  ASSERT_TRUE(payloads.ok()) << payloads.status();
  EXPECT_THAT(*payloads, ElementsAre("2"));
}

TEST_F(PostgresStoreTest, ASecondWriterCannotForkTheHistory) {
  ASSERT_TRUE(MigrateStore(uri_).ok());
  absl::StatusOr<std::unique_ptr<BudgetStore>> one = OpenStore(uri_);
  absl::StatusOr<std::unique_ptr<BudgetStore>> two = OpenStore(uri_);
  ASSERT_TRUE(one.ok() && two.ok());
  ASSERT_TRUE((*one)->CommitSubmission(Make(1, "a")).ok());
  // The second writer decided on the same state as the first.
  absl::Status forked = (*two)->CommitSubmission(Make(1, "b"));
  EXPECT_TRUE(absl::IsAborted(forked)) << forked;
  EXPECT_EQ(*(*two)->ConsolidatedRevision(), 1);
}

TEST_F(PostgresStoreTest, AFencedWriterStopsOnceTheLeaseMovesOn) {
  ASSERT_TRUE(MigrateStore(uri_).ok());
  absl::StatusOr<std::unique_ptr<BudgetStore>> store = OpenStore(uri_);
  ASSERT_TRUE(store.ok()) << store.status();
  std::unique_ptr<PgConnection> lease = LeaseAt(**store, 1);
  ASSERT_NE(lease, nullptr);
  ASSERT_TRUE((*store)->CommitSubmission(Make(1, "a")).ok());

  ASSERT_TRUE(lease->Exec("UPDATE writer_lease SET epoch = 2").ok());
  absl::Status deposed = (*store)->CommitSubmission(Make(2, "b"));
  EXPECT_TRUE(absl::IsUnavailable(deposed)) << deposed;
  EXPECT_THAT(deposed.message(), HasSubstr("lost the writer lease (epoch 1, "
                                           "now 2)"));
  EXPECT_EQ(*(*store)->ConsolidatedRevision(), 1);
}

// Registration's one statement per 1,000 units carries the fence and, on
// the last, the NOTIFY.
TEST_F(PostgresStoreTest, UnitsOverSeveralStatementsAreFencedAndNotifyOnce) {
  ASSERT_TRUE(MigrateStore(uri_).ok());
  std::unique_ptr<PgConnection> listener = Listener();
  ASSERT_NE(listener, nullptr);
  absl::StatusOr<std::unique_ptr<BudgetStore>> store = OpenStore(uri_);
  ASSERT_TRUE(store.ok()) << store.status();
  std::unique_ptr<PgConnection> lease = LeaseAt(**store, 1);
  ASSERT_NE(lease, nullptr);
  std::vector<budget::v1::Unit> units(2500);
  for (size_t i = 0; i < units.size(); ++i) {
    units[i].set_code(absl::StrCat(100000 + i));
    units[i].set_parent_code(i == 0 ? "" : "100000");
    units[i].set_name(absl::StrCat("unit ", i));
    units[i].set_kind(budget::v1::UNIT_KIND_ADMINISTRATIVE);
  }
  ASSERT_TRUE((*store)->AddUnits(units, {}).ok());
  absl::StatusOr<std::vector<std::string>> payloads =
      listener->WaitForNotifications(absl::Seconds(30));
  ASSERT_TRUE(payloads.ok()) << payloads.status();
  EXPECT_THAT(*payloads, ElementsAre("0"));
  absl::StatusOr<std::vector<budget::v1::Unit>> loaded = (*store)->LoadUnits();
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  ASSERT_EQ(loaded->size(), units.size());
  EXPECT_EQ(loaded->back().code(), units.back().code());

  ASSERT_TRUE(lease->Exec("UPDATE writer_lease SET epoch = 2").ok());
  budget::v1::Unit late = units.back();
  late.set_code("999999");
  absl::Status deposed = (*store)->AddUnit(late);
  EXPECT_TRUE(absl::IsUnavailable(deposed)) << deposed;
  EXPECT_THAT(deposed.message(), HasSubstr("lost the writer lease (epoch 1, "
                                           "now 2)"));
  EXPECT_EQ((*store)->LoadUnits()->size(), units.size());
}

TEST_F(PostgresStoreTest,
       ABatchOverSeveralStatementsCommitsWholeNotifyingOnce) {
  ASSERT_TRUE(MigrateStore(uri_).ok());
  std::unique_ptr<PgConnection> listener = Listener();
  ASSERT_NE(listener, nullptr);
  absl::StatusOr<std::unique_ptr<BudgetStore>> store = OpenStore(uri_);
  ASSERT_TRUE(store.ok()) << store.status();
  // More submissions than one statement carries: several chunks, each
  // carrying totals of the same department, the last one's kept.
  std::vector<NewSubmission> batch;
  for (int64_t i = 1; i <= 2 * kMaxChunkSubmissions + 1; ++i) {
    NewSubmission& s = batch.emplace_back(Make(i, absl::StrCat("r", i)));
    s.metadata.set_unit_code(absl::StrCat("u", i));
    s.metadata.set_revision(1);
    budget::v1::NodeTotals& dept = s.totals.emplace_back();
    dept.set_node_code("021");
    dept.set_fiscal_year(2024);
    dept.set_income_fen(i);
    dept.set_expenditure_fen(2 * i);
  }
  ASSERT_GT(SubmissionChunks(batch).size(), 2u);
  ASSERT_TRUE((*store)->CommitSubmissions(batch).ok());
  const int64_t last = static_cast<int64_t>(batch.size());
  EXPECT_EQ(*(*store)->ConsolidatedRevision(), last);
  absl::StatusOr<budget::v1::NodeTotals> dept =
      (*store)->GetNodeTotals("021", 2024);
  ASSERT_TRUE(dept.ok()) << dept.status();
  EXPECT_EQ(dept->income_fen(), last);
  EXPECT_EQ(dept->expenditure_fen(), 2 * last);
  EXPECT_EQ(dept->revision(), last);
  absl::StatusOr<std::vector<std::string>> payloads =
      listener->WaitForNotifications(absl::Seconds(30));
  ASSERT_TRUE(payloads.ok()) << payloads.status();
  EXPECT_THAT(*payloads, ElementsAre(absl::StrCat(last)));

  // A batch whose last chunk is out of order stores none of its chunks.
  std::vector<NewSubmission> broken;
  for (const NewSubmission& s : batch) {
    NewSubmission& next = broken.emplace_back(s);
    next.metadata.set_consolidated_revision(s.metadata.consolidated_revision() +
                                            last);
    next.metadata.set_revision(2);
    next.metadata.set_request_id(
        absl::StrCat("again ", s.metadata.request_id()));
  }
  broken.back().metadata.set_revision(3);
  absl::Status refused = (*store)->CommitSubmissions(broken);
  EXPECT_TRUE(absl::IsAborted(refused)) << refused;
  EXPECT_EQ(*(*store)->ConsolidatedRevision(), last);
}

TEST_F(PostgresStoreTest, LargePayloadsSplitABatchIntoChunksOfBoundedBytes) {
  ASSERT_TRUE(MigrateStore(uri_).ok());
  absl::StatusOr<std::unique_ptr<BudgetStore>> store = OpenStore(uri_);
  ASSERT_TRUE(store.ok()) << store.status();
  std::vector<NewSubmission> batch;
  for (int64_t i = 1; i <= 3; ++i) {
    batch.push_back(Make(i, absl::StrCat("big", i)));
    batch.back().payload.assign(kMaxChunkBytes / 2, static_cast<char>('a' + i));
  }
  // A chunk holds one more submission only while under the bound.
  ASSERT_EQ(SubmissionChunks(batch).size(), 3u);
  ASSERT_TRUE((*store)->CommitSubmissions(batch).ok());
  absl::StatusOr<std::vector<budget::v1::Submission>> stored =
      (*store)->ListSubmissions("021001", 2024, /*with_budgets=*/false);
  ASSERT_TRUE(stored.ok()) << stored.status();
  EXPECT_EQ(stored->size(), 3u);
  absl::StatusOr<std::optional<StoredRequest>> found =
      (*store)->FindRequest("big3");
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_EQ((*found)->payload, batch.back().payload);
}

// A chunk whose revision is not next skips its inserts either way; sent
// in one round trip, the failing variant also keeps COMMIT from running,
// while the reporting one says why in its row.
TEST_F(PostgresStoreTest, AChunkFailingItsChecksFailsOrReports) {
  ASSERT_TRUE(MigrateStore(uri_).ok());
  absl::StatusOr<std::unique_ptr<BudgetStore>> store = OpenStore(uri_);
  ASSERT_TRUE(store.ok()) << store.status();
  ASSERT_TRUE((*store)->CommitSubmission(Make(1, "first")).ok());
  std::unique_ptr<PgConnection> conn = Connect();
  ASSERT_NE(conn, nullptr);
  // Revision 3 of the unit after 1, and consolidated 3 after 1.
  const NewSubmission skipped[] = {Make(3, "skipped")};
  absl::StatusOr<std::vector<PgResult>> failed = conn->InOneRoundTrip(
      {}, {BuildChunkStatement(skipped, 0, "", ChunkChecks::kFailTransaction)});
  EXPECT_THAT(failed.status().message(), HasSubstr("SQLSTATE 22012"));
  absl::StatusOr<std::vector<PgResult>> reported = conn->InOneRoundTrip(
      {}, {BuildChunkStatement(skipped, 0, "", ChunkChecks::kReport)});
  ASSERT_TRUE(reported.ok()) << reported.status();
  const PgResult& row = (*reported)[0];
  EXPECT_EQ(row.Int(0, 0), 1);  // The stored consolidated revision.
  EXPECT_EQ(row.Bytes(0, 1), "021001/2024 revision 3 after 1");
  EXPECT_EQ(row.Int(0, 4), 0);  // Rows inserted.
  EXPECT_EQ(*(*store)->ConsolidatedRevision(), 1);

  // In order, the failing variant inserts and commits.
  const NewSubmission next[] = {Make(2, "next")};
  absl::StatusOr<std::vector<PgResult>> committed = conn->InOneRoundTrip(
      {}, {BuildChunkStatement(next, 0, "", ChunkChecks::kFailTransaction)});
  ASSERT_TRUE(committed.ok()) << committed.status();
  EXPECT_EQ((*committed)[0].Int(0, 4), 1);
  EXPECT_EQ(*(*store)->ConsolidatedRevision(), 2);
}

// The store chains a commit's audit records after the head its last
// commit left without reading it; with the head removed since, the commit
// refuses, as it does when it reads the head.
TEST_F(PostgresStoreTest, ACommitAfterTheAuditHeadWasRemovedIsRefused) {
  ASSERT_TRUE(MigrateStore(uri_).ok());
  absl::StatusOr<std::unique_ptr<BudgetStore>> store = OpenStore(uri_);
  ASSERT_TRUE(store.ok()) << store.status();
  NewSubmission first = Make(1, "first");
  first.audit.emplace().set_principal("tester");
  ASSERT_TRUE((*store)->CommitSubmission(first).ok());
  std::unique_ptr<PgConnection> tamper = Connect();
  ASSERT_NE(tamper, nullptr);
  ASSERT_TRUE(tamper->Exec("DELETE FROM audit_head").ok());
  NewSubmission second = Make(2, "second");
  second.audit.emplace().set_principal("tester");
  absl::Status refused = (*store)->CommitSubmission(second);
  EXPECT_TRUE(absl::IsDataLoss(refused)) << refused;
  EXPECT_EQ(*(*store)->ConsolidatedRevision(), 1);
}

}  // namespace
}  // namespace storage
