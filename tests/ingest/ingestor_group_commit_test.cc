// The Ingestor's group commit against a real SQLite store behind a wrapper
// that can hold a transaction open or fail it: batches form while a
// transaction is in flight, and a failed one acknowledges nothing and leaves
// memory as the store is; audit records commit with their revisions.
#include <algorithm>
#include <memory>
#include <numeric>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/functional/any_invocable.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "ingest_service/ingestor.h"
#include "storage/audit_trail.h"
#include "storage/sqlite_store.h"
#include "tests/ingest/gated_store.h"
#include "tests/ingest/test_budgets.h"
#include "tests/testing/scratch_dir.h"

namespace ingest_test {
namespace {

using budget::v1::SubmitBudgetRequest;
using ingest::Ingestor;
using ingest::SubmitOutcome;

class IngestorGroupCommitTest : public ::testing::Test {
 protected:
  static constexpr int kSubmitters = 8;

  void SetUp() override {
    path_ = (e2e_testing::MakeScratchDir() / "budget.db").string();
    auto sqlite = storage::SqliteStore::Open(path_);
    ASSERT_TRUE(sqlite.ok()) << sqlite.status();
    store_ = std::make_unique<GatedStore>(*std::move(sqlite));
    auto ingestor =
        Ingestor::Create(store_.get(), ingest::ValidationSettings());
    ASSERT_TRUE(ingestor.ok()) << ingestor.status();
    ingestor_ = *std::move(ingestor);
    ASSERT_TRUE(ingestor_->RegisterUnit(Department()).ok());
    for (int u = 1; u <= kSubmitters; ++u) {
      units_.push_back(UnitBelowDepartment(absl::StrCat("02100", u),
                                           absl::StrCat("单位", u)));
      ASSERT_TRUE(ingestor_->RegisterUnit(units_.back()).ok());
    }
  }

  SubmitOutcome Submit(int unit, int64_t fen, const std::string& id) {
    SubmitBudgetRequest request;
    request.set_request_id(id);
    *request.mutable_budget() = SalaryBudget(units_[unit], fen);
    return ingestor_->Submit(request, request.submitted_by(),
                             absl::InfiniteFuture());
  }

  // Every unit submits at once; the outcomes in unit order.
  std::vector<SubmitOutcome> SubmitAll(const std::string& id_prefix) {
    std::vector<SubmitOutcome> outcomes(kSubmitters);
    std::vector<std::thread> submitters;
    for (int u = 0; u < kSubmitters; ++u) {
      submitters.emplace_back([&, u] {
        outcomes[u] = Submit(u, 1'000 + u, absl::StrCat(id_prefix, u));
      });
    }
    for (std::thread& submitter : submitters) submitter.join();
    return outcomes;
  }

  // SubmitAsync of `unit`'s budget with the audit record `id` if stored.
  SubmitOutcome SubmitAudited(int unit, const std::string& id) {
    SubmitBudgetRequest request;
    request.set_request_id(id);
    *request.mutable_budget() = SalaryBudget(units_[unit], 1'000);
    budget::v1::AuditRecord record;
    record.set_principal("tester");
    record.set_request_id(id);
    record.set_outcome("OK");
    ingest::Received received;
    received.audit = record;
    SubmitOutcome outcome;
    absl::Notification answered;
    ingestor_->SubmitAsync(request, "tester", absl::InfiniteFuture(),
                           [&](SubmitOutcome given) {
                             outcome = std::move(given);
                             answered.Notify();
                           },
                           {.audit = record});
    answered.WaitForNotification();
    return outcome;
  }

  std::string path_;
  std::unique_ptr<GatedStore> store_;
  std::unique_ptr<Ingestor> ingestor_;
  std::vector<budget::v1::Unit> units_;
};

TEST_F(IngestorGroupCommitTest, SubmissionsQueuedDuringACommitShareTheNext) {
  // The first commit stays open until every submitter has read its unit's
  // latest revision, which it does while queueing; by then every submitter
  // the commit thread did not take into it is queued behind it, so at most
  // one more commit follows.
  store_->HoldNextCommitUntil(0, kSubmitters);
  std::vector<SubmitOutcome> outcomes = SubmitAll("batch-");
  std::vector<bool> seen(kSubmitters + 1, false);
  for (const SubmitOutcome& outcome : outcomes) {
    ASSERT_TRUE(outcome.status.ok()) << outcome.status;
    int64_t revision = outcome.response.consolidated_revision();
    ASSERT_GE(revision, 1);
    ASSERT_LE(revision, kSubmitters);
    EXPECT_FALSE(seen[revision]);
    seen[revision] = true;
  }
  std::vector<size_t> batches = store_->batch_sizes();
  EXPECT_LE(batches.size(), 2u);
  EXPECT_EQ(std::accumulate(batches.begin(), batches.end(), size_t{0}),
            static_cast<size_t>(kSubmitters));
  absl::StatusOr<int64_t> stored = store_->ConsolidatedRevision();
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(*stored, kSubmitters);
}

// Answers are written off the commit thread: while one batch's answer is
// still being written, the next batch commits.
TEST_F(IngestorGroupCommitTest, AnAnswerBeingWrittenDoesNotHoldTheNextCommit) {
  auto submit = [&](int unit, absl::AnyInvocable<void(SubmitOutcome)> done) {
    SubmitBudgetRequest request;
    request.set_request_id(absl::StrCat("slow-answer-", unit));
    *request.mutable_budget() = SalaryBudget(units_[unit], 1'000);
    ingestor_->SubmitAsync(request, "tester", absl::InfiniteFuture(),
                           std::move(done));
  };
  absl::Notification first_answering, first_released, second_answered;
  SubmitOutcome first, second;
  submit(0, [&](SubmitOutcome given) {
    first = std::move(given);
    first_answering.Notify();
    first_released.WaitForNotification();
  });
  first_answering.WaitForNotification();
  submit(1, [&](SubmitOutcome given) {
    second = std::move(given);
    second_answered.Notify();
  });
  // The second budget is durable although the first answer is not done.
  const absl::Time deadline = absl::Now() + absl::Seconds(10);
  while (ingestor_->ConsolidatedRevision() < 2 && absl::Now() < deadline) {
    absl::SleepFor(absl::Milliseconds(5));
  }
  EXPECT_EQ(ingestor_->ConsolidatedRevision(), 2);
  EXPECT_EQ(store_->batch_sizes(), (std::vector<size_t>{1, 1}));
  first_released.Notify();
  second_answered.WaitForNotification();
  EXPECT_TRUE(first.status.ok()) << first.status;
  EXPECT_TRUE(second.status.ok()) << second.status;
  EXPECT_EQ(second.response.consolidated_revision(), 2);
}

TEST_F(IngestorGroupCommitTest, FailedTransactionAcknowledgesNoneAndUndoes) {
  ASSERT_TRUE(Submit(0, 500, "before").status.ok());
  store_->FailCommits(true);
  for (const SubmitOutcome& outcome : SubmitAll("lost-")) {
    EXPECT_TRUE(absl::IsUnavailable(outcome.status)) << outcome.status;
    EXPECT_EQ(outcome.response.consolidated_revision(), 0);
  }
  store_->FailCommits(false);

  // Memory is back at the store's state: the next revisions follow the
  // last durable one and the department holds only durable money.
  SubmitOutcome next = Submit(0, 700, "after");
  ASSERT_TRUE(next.status.ok()) << next.status;
  EXPECT_EQ(next.response.revision(), 2);
  EXPECT_EQ(next.response.consolidated_revision(), 2);
  ASSERT_EQ(next.response.totals_size(), 2);
  EXPECT_EQ(next.response.totals(1).expenditure_fen(), 700);
  // A failed request id was never used, so it may be sent again.
  SubmitOutcome retried = Submit(1, 1'001, "lost-1");
  ASSERT_TRUE(retried.status.ok()) << retried.status;
  EXPECT_FALSE(retried.response.replayed());
  EXPECT_EQ(retried.response.revision(), 1);
  EXPECT_EQ(retried.response.totals(1).expenditure_fen(), 1'701);
}

// A retry whose look-up of its request id (made without the Ingestor's
// lock) is overtaken by its first attempt's commit looks it up again: it
// is replayed, not stored a second time.
TEST_F(IngestorGroupCommitTest, RetryLookedUpWhileItsFirstAttemptCommits) {
  absl::Notification first_answered;
  // The first attempt's commit waits for the retry's look-up (the first:
  // a new id is not looked up), whose "not stored yet" reaches the retry
  // after the first is answered.
  store_->HoldNextCommitUntil(1, 0);
  store_->HoldLookupResult(1, &first_answered);
  SubmitBudgetRequest request;
  request.set_request_id("raced");
  *request.mutable_budget() = SalaryBudget(units_[0], 1'000);
  SubmitOutcome first;
  ingestor_->SubmitAsync(request, "tester", absl::InfiniteFuture(),
                         [&](SubmitOutcome given) {
                           first = std::move(given);
                           first_answered.Notify();
                         });
  SubmitOutcome retry = Submit(0, 1'000, "raced");
  ASSERT_TRUE(first_answered.HasBeenNotified());
  ASSERT_TRUE(first.status.ok()) << first.status;
  ASSERT_TRUE(retry.status.ok()) << retry.status;
  EXPECT_TRUE(retry.response.replayed());
  EXPECT_EQ(retry.response.revision(), first.response.revision());
  absl::StatusOr<std::vector<budget::v1::Submission>> stored =
      store_->ListSubmissions(units_[0].code(), kYear, false);
  ASSERT_TRUE(stored.ok()) << stored.status();
  EXPECT_EQ(stored->size(), 1u);
}

// A request id never used is not looked up in the store; one used before
// (by this ingestor, by an earlier one on the store, by a cycle record, or
// by a failed commit) is, and is answered as the store says.
TEST_F(IngestorGroupCommitTest, LooksUpOnlyRequestIdsThatMayBeStored) {
  for (const SubmitOutcome& outcome : SubmitAll("new-")) {
    ASSERT_TRUE(outcome.status.ok()) << outcome.status;
  }
  EXPECT_EQ(store_->lookups(), 0);
  SubmitOutcome retried = Submit(3, 1'003, "new-3");
  ASSERT_TRUE(retried.status.ok()) << retried.status;
  EXPECT_TRUE(retried.response.replayed());
  EXPECT_GE(store_->lookups(), 1);

  store_->FailCommits(true);
  EXPECT_TRUE(absl::IsUnavailable(Submit(0, 5, "failed").status));
  store_->FailCommits(false);
  // A failed commit's id is looked up, and is still free.
  int before = store_->lookups();
  SubmitOutcome stored = Submit(0, 5, "failed");
  ASSERT_TRUE(stored.status.ok()) << stored.status;
  EXPECT_FALSE(stored.response.replayed());
  EXPECT_EQ(store_->lookups(), before + 1);
  budget::v1::IssueControlFiguresRequest figures;
  figures.set_request_id("figures");
  figures.mutable_figures()->set_unit_code(units_[1].code());
  figures.mutable_figures()->set_fiscal_year(kYear);
  auto* amount = figures.mutable_figures()->add_amounts();
  amount->set_nature(budget::v1::EXPENDITURE_NATURE_PROJECT);
  amount->set_amount_fen(1'000'000);
  ASSERT_TRUE(ingestor_->IssueControlFigures(figures, "tester", std::nullopt).status.ok());

  // A new ingestor on the store, as a new writer's term builds, knows the
  // ids stored before it.
  ingestor_.reset();
  auto ingestor = Ingestor::Create(store_.get(), ingest::ValidationSettings());
  ASSERT_TRUE(ingestor.ok()) << ingestor.status();
  ingestor_ = *std::move(ingestor);
  before = store_->lookups();
  SubmitOutcome replayed = Submit(5, 1'005, "new-5");
  ASSERT_TRUE(replayed.status.ok()) << replayed.status;
  EXPECT_TRUE(replayed.response.replayed());
  SubmitOutcome taken = Submit(0, 7, "figures");
  EXPECT_TRUE(absl::IsAlreadyExists(taken.status)) << taken.status;
  EXPECT_EQ(store_->lookups(), before + 2);
  ASSERT_TRUE(Submit(0, 9, "newer").status.ok());
  EXPECT_EQ(store_->lookups(), before + 2);
}

// A stored revision's audit record is durable with it; a replayed answer
// or a failed transaction leaves the record to the caller.
TEST_F(IngestorGroupCommitTest, AuditRecordIsStoredOnlyWithItsRevision) {
  SubmitOutcome stored = SubmitAudited(0, "first");
  ASSERT_TRUE(stored.status.ok()) << stored.status;
  EXPECT_TRUE(stored.audited);
  SubmitOutcome replayed = SubmitAudited(0, "first");
  ASSERT_TRUE(replayed.status.ok()) << replayed.status;
  EXPECT_TRUE(replayed.response.replayed());
  EXPECT_FALSE(replayed.audited);
  store_->FailCommits(true);
  SubmitOutcome failed = SubmitAudited(1, "failed");
  EXPECT_TRUE(absl::IsUnavailable(failed.status)) << failed.status;
  EXPECT_FALSE(failed.audited);

  absl::StatusOr<std::unique_ptr<storage::AuditTrail>> trail =
      storage::AuditTrail::Open("sqlite:" + path_);
  ASSERT_TRUE(trail.ok()) << trail.status();
  absl::StatusOr<std::vector<budget::v1::AuditRecord>> records =
      (*trail)->List(0, 10);
  ASSERT_TRUE(records.ok()) << records.status();
  ASSERT_EQ(records->size(), 1u);
  EXPECT_EQ((*records)[0].request_id(), "first");
  EXPECT_EQ((*records)[0].sequence(), 1);
}

// The budget is stored as its caller's bytes; a retry encoding the same
// budget otherwise is still the same submission.
TEST_F(IngestorGroupCommitTest, StoresTheBytesSentAndReplaysOtherEncodings) {
  SubmitBudgetRequest request;
  request.set_request_id("bytes");
  *request.mutable_budget() = SalaryBudget(units_[0], 1'000);
  ingest::Received received;
  received.budget_bytes = ReversedFieldOrder(request.budget());
  SubmitOutcome outcome;
  absl::Notification answered;
  ingestor_->SubmitAsync(
      request, "tester", absl::InfiniteFuture(),
      [&](SubmitOutcome given) {
        outcome = std::move(given);
        answered.Notify();
      },
      received);
  answered.WaitForNotification();
  ASSERT_TRUE(outcome.status.ok()) << outcome.status;
  absl::StatusOr<std::optional<storage::StoredRequest>> stored =
      store_->FindRequest("bytes");
  ASSERT_TRUE(stored.ok() && stored->has_value());
  EXPECT_EQ((*stored)->payload, *received.budget_bytes);

  SubmitOutcome retried = Submit(0, 1'000, "bytes");
  ASSERT_TRUE(retried.status.ok()) << retried.status;
  EXPECT_TRUE(retried.response.replayed());
  SubmitOutcome other = Submit(0, 2'000, "bytes");
  EXPECT_TRUE(absl::IsAlreadyExists(other.status)) << other.status;
}

// Registrations in flight together share a transaction; each is checked
// against the registry it joins, and one unit's failure is not the others'.
TEST_F(IngestorGroupCommitTest, ConcurrentRegistrationsAreDecidedOneByOne) {
  constexpr int kDepartments = 4, kPerDepartment = 6;
  std::vector<budget::v1::Unit> departments, children;
  for (int d = 0; d < kDepartments; ++d) {
    budget::v1::Unit department = Department();
    department.set_code(absl::StrCat("03", d));
    departments.push_back(department);
    for (int c = 0; c < kPerDepartment; ++c) {
      budget::v1::Unit child =
          UnitBelowDepartment(absl::StrCat("03", d, "00", c), "单位");
      child.set_parent_code(department.code());
      children.push_back(child);
    }
  }
  store_->FailUnit("031003");
  // Children race their departments (refused while theirs is unknown)
  // and twins of themselves (one wins).
  std::vector<budget::v1::Unit> sent = departments;
  sent.insert(sent.end(), children.begin(), children.end());
  sent.insert(sent.end(), children.begin(), children.end());
  std::vector<absl::Status> outcomes(sent.size());
  std::vector<std::thread> callers;
  for (size_t i = 0; i < sent.size(); ++i) {
    callers.emplace_back(
        [&, i] { outcomes[i] = ingestor_->RegisterUnit(sent[i]).status(); });
  }
  for (std::thread& caller : callers) caller.join();

  for (int d = 0; d < kDepartments; ++d) EXPECT_TRUE(outcomes[d].ok());
  absl::StatusOr<std::vector<budget::v1::Unit>> stored = store_->LoadUnits();
  ASSERT_TRUE(stored.ok()) << stored.status();
  absl::flat_hash_map<std::string, int> position;
  for (size_t i = 0; i < stored->size(); ++i) {
    const budget::v1::Unit& unit = (*stored)[i];
    ASSERT_TRUE(position.emplace(unit.code(), i).second) << unit.code();
    if (!unit.parent_code().empty()) {
      ASSERT_TRUE(position.contains(unit.parent_code())) << unit.code();
    }
  }
  for (size_t c = 0; c < children.size(); ++c) {
    const std::string& code = children[c].code();
    const absl::Status& first = outcomes[kDepartments + c];
    const absl::Status& twin = outcomes[kDepartments + children.size() + c];
    const int accepted = first.ok() + twin.ok();
    if (code == "031003") {
      EXPECT_EQ(accepted, 0);
      EXPECT_TRUE(absl::IsUnavailable(first) || absl::IsInvalidArgument(first))
          << first;
    } else {
      EXPECT_LE(accepted, 1) << code;
    }
    // Acknowledged means stored, and refused means not.
    EXPECT_EQ(position.contains(code), accepted == 1) << code;
    for (const absl::Status& status : {first, twin}) {
      EXPECT_TRUE(status.ok() || absl::IsAlreadyExists(status) ||
                  absl::IsInvalidArgument(status) ||
                  (code == "031003" && absl::IsUnavailable(status)))
          << code << ": " << status;
    }
  }
  // The registry in memory is the stored one.
  absl::StatusOr<std::vector<budget::v1::Unit>> listed =
      ingestor_->ListUnits("");
  ASSERT_TRUE(listed.ok()) << listed.status();
  EXPECT_EQ(listed->size(), stored->size());
  // Nothing is left half registered: one by one, every child now joins or
  // is there already, but the one the store refuses.
  for (const budget::v1::Unit& child : children) {
    const absl::Status again = ingestor_->RegisterUnit(child).status();
    if (child.code() == "031003") {
      EXPECT_TRUE(absl::IsUnavailable(again)) << again;
    } else {
      EXPECT_TRUE(again.ok() || absl::IsAlreadyExists(again)) << again;
    }
  }
}

}  // namespace
}  // namespace ingest_test
