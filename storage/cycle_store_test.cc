// The budget cycle's additions to the store (budget_store.h): the stage of
// each revision and the cycle records (control figures, adjustments)
// sharing the consolidated-revision sequence with submissions, and how the
// read-only feed delivers both in order. Also the in-place upgrade of a
// version 1 file. On both backends (SQLite, PostgreSQL on the test
// cluster) but the upgrade, which is SQLite's.
#include <sqlite3.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "storage/open_store.h"
#include "storage/sqlite_store.h"
#include "storage/submission_feed.h"
#include "tests/testing/scratch_dir.h"
#include "tests/testing/test_store.h"

namespace storage {
namespace {

using budget::v1::BudgetStage;
using budget::v1::CycleRecord;
using budget::v1::UnitBudget;

class CycleStoreTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    spec_ = e2e_testing::FreshStoreSpec(GetParam());
    ASSERT_FALSE(spec_.empty());
    Reopen();
  }

  void Reopen() {
    store_.reset();
    absl::StatusOr<std::unique_ptr<BudgetStore>> opened = OpenStore(spec_);
    ASSERT_TRUE(opened.ok()) << opened.status();
    store_ = std::move(*opened);
  }

  static NewSubmission Revision(int64_t revision, int64_t consolidated,
                                BudgetStage stage, const std::string& request) {
    NewSubmission s;
    s.metadata.set_unit_code("021001");
    s.metadata.set_fiscal_year(2024);
    s.metadata.set_revision(revision);
    s.metadata.set_consolidated_revision(consolidated);
    s.metadata.set_request_id(request);
    s.metadata.set_stage(stage);
    UnitBudget budget;
    budget.set_unit_code("021001");
    budget.set_fiscal_year(2024);
    s.payload = budget.SerializeAsString();
    s.response = "answer " + request;
    return s;
  }

  static NewCycleRecord Record(int64_t consolidated,
                               const std::string& request) {
    CycleRecord record;
    record.set_consolidated_revision(consolidated);
    record.set_request_id(request);
    record.mutable_control_figures()->set_unit_code("021001");
    record.mutable_control_figures()->set_fiscal_year(2024);
    auto* amount = record.mutable_control_figures()->add_amounts();
    amount->set_nature(budget::v1::EXPENDITURE_NATURE_PROJECT);
    amount->set_amount_fen(consolidated * 1000);
    return {
        consolidated,       request, "021001", 2024, record.SerializeAsString(),
        "answer " + request};
  }

  std::vector<std::string> StoredRecords() {
    std::vector<std::string> payloads;
    EXPECT_TRUE(store_
                    ->VisitCycleRecords([&](absl::string_view payload) {
                      payloads.emplace_back(payload);
                      return absl::OkStatus();
                    })
                    .ok());
    return payloads;
  }

  std::string spec_;
  std::unique_ptr<BudgetStore> store_;
};

INSTANTIATE_TEST_SUITE_P(Backends, CycleStoreTest,
                         ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });

TEST_P(CycleStoreTest, StageOfEachRevisionReadsBack) {
  ASSERT_TRUE(store_
                  ->CommitSubmissions(
                      {Revision(1, 1, budget::v1::BUDGET_STAGE_PROPOSAL, "a"),
                       Revision(2, 2, budget::v1::BUDGET_STAGE_SUBMISSION, "b"),
                       Revision(3, 3, budget::v1::BUDGET_STAGE_APPROVED, "c")})
                  .ok());
  Reopen();
  absl::StatusOr<std::vector<budget::v1::Submission>> all =
      store_->ListSubmissions("021001", 2024, false);
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ((*all)[0].stage(), budget::v1::BUDGET_STAGE_PROPOSAL);
  EXPECT_EQ((*all)[1].stage(), budget::v1::BUDGET_STAGE_SUBMISSION);
  EXPECT_EQ(store_->GetSubmission("021001", 2024, 0)->stage(),
            budget::v1::BUDGET_STAGE_APPROVED);
}

TEST_P(CycleStoreTest, RecordsShareTheConsolidatedSequenceWithRevisions) {
  ASSERT_TRUE(store_
                  ->CommitSubmission(
                      Revision(1, 1, budget::v1::BUDGET_STAGE_PROPOSAL, "a"))
                  .ok());
  // A record must take revision 2, not reuse 1 nor skip to 3.
  EXPECT_TRUE(absl::IsAborted(store_->CommitCycleRecords({Record(1, "x")})));
  EXPECT_TRUE(absl::IsAborted(store_->CommitCycleRecords({Record(3, "x")})));
  ASSERT_TRUE(
      store_->CommitCycleRecords({Record(2, "x"), Record(3, "y")}).ok());
  EXPECT_EQ(*store_->ConsolidatedRevision(), 3);
  // The next revision comes after the records.
  EXPECT_TRUE(absl::IsAborted(store_->CommitSubmission(
      Revision(2, 3, budget::v1::BUDGET_STAGE_SUBMISSION, "b"))));
  EXPECT_TRUE(store_
                  ->CommitSubmission(
                      Revision(2, 4, budget::v1::BUDGET_STAGE_SUBMISSION, "b"))
                  .ok());
}

TEST_P(CycleStoreTest, FailedRecordBatchStoresNothing) {
  // The second record is not next: neither is stored.
  EXPECT_TRUE(absl::IsAborted(
      store_->CommitCycleRecords({Record(1, "x"), Record(3, "y")})));
  EXPECT_THAT(StoredRecords(), ::testing::IsEmpty());
  EXPECT_EQ(*store_->ConsolidatedRevision(), 0);
}

TEST_P(CycleStoreTest, RequestIdsAreUniqueAcrossRevisionsAndRecords) {
  ASSERT_TRUE(store_
                  ->CommitSubmission(
                      Revision(1, 1, budget::v1::BUDGET_STAGE_PROPOSAL, "a"))
                  .ok());
  EXPECT_TRUE(
      absl::IsAlreadyExists(store_->CommitCycleRecords({Record(2, "a")})));
  NewCycleRecord record = Record(2, "x");
  ASSERT_TRUE(store_->CommitCycleRecords({record}).ok());
  EXPECT_TRUE(absl::IsAlreadyExists(store_->CommitSubmission(
      Revision(2, 3, budget::v1::BUDGET_STAGE_SUBMISSION, "x"))));
  absl::StatusOr<std::optional<StoredRequest>> found = store_->FindRequest("x");
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_EQ((*found)->payload, record.payload);
  EXPECT_EQ((*found)->response, "answer x");
  EXPECT_EQ((*found)->stage, StoredRequest::kNoStage);
  // A revision's id finds its stage (a retry for another stage is refused).
  absl::StatusOr<std::optional<StoredRequest>> revision =
      store_->FindRequest("a");
  ASSERT_TRUE(revision.ok() && revision->has_value());
  EXPECT_EQ((*revision)->stage, budget::v1::BUDGET_STAGE_PROPOSAL);
}

// Every id, of revisions and records, past a page of the PostgreSQL
// store's paged read (4,096 ids); the visitor's error stops the visit.
TEST_P(CycleStoreTest, VisitRequestIdsListsRevisionsAndRecords) {
  ASSERT_TRUE(store_
                  ->CommitSubmission(
                      Revision(1, 1, budget::v1::BUDGET_STAGE_PROPOSAL, "r1"))
                  .ok());
  ASSERT_TRUE(store_->CommitCycleRecords({Record(2, "x")}).ok());
  std::vector<NewSubmission> later;
  std::vector<std::string> expected = {"r1", "x"};
  for (int64_t revision = 2; revision <= 4200; ++revision) {
    expected.push_back(absl::StrCat("r", revision));
    later.push_back(Revision(revision, revision + 1,
                             budget::v1::BUDGET_STAGE_PROPOSAL,
                             expected.back()));
  }
  ASSERT_TRUE(store_->CommitSubmissions(later).ok());
  std::vector<std::string> ids;
  ASSERT_TRUE(store_
                  ->VisitRequestIds([&](absl::string_view id) {
                    ids.emplace_back(id);
                    return absl::OkStatus();
                  })
                  .ok());
  EXPECT_THAT(ids, ::testing::UnorderedElementsAreArray(expected));

  int visited = 0;
  absl::Status stopped = store_->VisitRequestIds([&](absl::string_view) {
    ++visited;
    return absl::CancelledError("enough");
  });
  EXPECT_TRUE(absl::IsCancelled(stopped)) << stopped;
  EXPECT_EQ(visited, 1);
}

TEST_P(CycleStoreTest, RecordsSurviveReopenByteForByte) {
  NewCycleRecord first = Record(1, "x");
  NewCycleRecord second = Record(2, "y");
  ASSERT_TRUE(store_->CommitCycleRecords({first}).ok());
  ASSERT_TRUE(store_->CommitCycleRecords({second}).ok());
  Reopen();
  EXPECT_THAT(StoredRecords(),
              ::testing::ElementsAre(first.payload, second.payload));
}

TEST_P(CycleStoreTest, FeedDeliversRevisionsAndRecordsInOrder) {
  ASSERT_TRUE(store_
                  ->CommitSubmission(
                      Revision(1, 1, budget::v1::BUDGET_STAGE_PROPOSAL, "a"))
                  .ok());
  ASSERT_TRUE(store_->CommitCycleRecords({Record(2, "x")}).ok());
  ASSERT_TRUE(store_
                  ->CommitSubmission(
                      Revision(2, 3, budget::v1::BUDGET_STAGE_SUBMISSION, "b"))
                  .ok());
  absl::StatusOr<std::unique_ptr<SubmissionFeed>> feed =
      SubmissionFeed::Open(spec_);
  ASSERT_TRUE(feed.ok()) << feed.status();
  absl::StatusOr<FeedBatch> batch = (*feed)->ReadAfter(0, 0, 2, 0);
  ASSERT_TRUE(batch.ok()) << batch.status();
  ASSERT_EQ(batch->submissions.size(), 2u);
  EXPECT_EQ(batch->submissions[0].stage, budget::v1::BUDGET_STAGE_PROPOSAL);
  EXPECT_FALSE(batch->submissions[0].record.has_value());
  ASSERT_TRUE(batch->submissions[1].record.has_value());
  EXPECT_EQ(batch->submissions[1].consolidated_revision, 2);
  EXPECT_EQ(
      batch->submissions[1].record->control_figures().amounts(0).amount_fen(),
      2000);
  batch = (*feed)->ReadAfter(0, 2, 10, 0);
  ASSERT_TRUE(batch.ok());
  ASSERT_EQ(batch->submissions.size(), 1u);
  EXPECT_EQ(batch->submissions[0].stage, budget::v1::BUDGET_STAGE_SUBMISSION);
}

TEST(CycleStoreUpgradeTest, VersionOneFileReadsOutsideTheCycle) {
  std::filesystem::path path = e2e_testing::MakeScratchDir() / "v1.db";
  {
    // The version 1 schema of the submissions table, with one revision.
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    const char* v1 =
        "CREATE TABLE meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);"
        "INSERT INTO meta VALUES ('schema_version', 1);"
        "CREATE TABLE submissions (consolidated_revision INTEGER PRIMARY KEY,"
        " unit_code TEXT NOT NULL, fiscal_year INTEGER NOT NULL,"
        " revision INTEGER NOT NULL, request_id TEXT NOT NULL UNIQUE,"
        " payload BLOB NOT NULL, submitted_by TEXT NOT NULL,"
        " submitted_at_us INTEGER NOT NULL, warnings BLOB NOT NULL,"
        " response BLOB NOT NULL, UNIQUE (unit_code, fiscal_year, revision));"
        "INSERT INTO submissions VALUES (1, '021001', 2024, 1, 'old', x'',"
        " 'someone', 0, x'', x'');";
    ASSERT_EQ(sqlite3_exec(db, v1, nullptr, nullptr, nullptr), SQLITE_OK)
        << sqlite3_errmsg(db);
    sqlite3_close(db);
  }
  absl::StatusOr<std::unique_ptr<SqliteStore>> store =
      SqliteStore::Open(path.string());
  ASSERT_TRUE(store.ok()) << store.status();
  absl::StatusOr<budget::v1::Submission> old =
      (*store)->GetSubmission("021001", 2024, 1);
  ASSERT_TRUE(old.ok()) << old.status();
  EXPECT_EQ(old->stage(), budget::v1::BUDGET_STAGE_UNSPECIFIED);
  EXPECT_TRUE(
      (*store)->CommitCycleRecords({{2, "new", "021001", 2024, "", ""}}).ok());
}

}  // namespace
}  // namespace storage
