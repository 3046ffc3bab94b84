// The BudgetStore contract (budget_store.h), run on every backend:
// SQLite, and PostgreSQL on the test cluster (a fresh database per test).
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "storage/audit_trail.h"
#include "storage/budget_store.h"
#include "storage/open_store.h"
#include "tests/testing/test_store.h"

namespace storage {
namespace {

using budget::v1::NodeTotals;
using budget::v1::Submission;
using budget::v1::UnitBudget;

class StoreContractTest : public ::testing::TestWithParam<std::string> {
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

  static UnitBudget Budget(const std::string& unit, int64_t fen) {
    UnitBudget budget;
    budget.set_unit_code(unit);
    budget.set_fiscal_year(2024);
    auto* income = budget.add_income();
    income->set_source(budget::v1::FUNDING_SOURCE_GENERAL_PUBLIC_BUDGET);
    income->set_amount_fen(fen);
    return budget;
  }

  static NodeTotals Totals(const std::string& node, int64_t fen) {
    NodeTotals totals;
    totals.set_node_code(node);
    totals.set_fiscal_year(2024);
    totals.set_income_fen(fen);
    totals.set_expenditure_fen(fen);
    return totals;
  }

  // A submission of `unit` as revision `revision` at consolidated
  // revision `consolidated`, moving the department total to `dept_fen`.
  static NewSubmission Make(const std::string& unit, int64_t revision,
                            int64_t consolidated, int64_t fen, int64_t dept_fen,
                            const std::string& request) {
    NewSubmission s;
    s.metadata.set_unit_code(unit);
    s.metadata.set_fiscal_year(2024);
    s.metadata.set_revision(revision);
    s.metadata.set_consolidated_revision(consolidated);
    s.metadata.set_request_id(request);
    s.metadata.set_submitted_by("tester");
    s.metadata.mutable_submitted_at()->set_seconds(1'700'000'000);
    s.metadata.mutable_submitted_at()->set_nanos(123'456'000);
    auto* warning = s.metadata.add_warnings();
    warning->set_rule_id("BGT-W001");
    s.payload = Budget(unit, fen).SerializeAsString();
    s.response = "first answer to " + request;
    s.totals = {Totals(unit, fen), Totals("021", dept_fen)};
    return s;
  }

  // `submission` with the audit record of its call.
  static NewSubmission Audited(NewSubmission submission) {
    budget::v1::AuditRecord record;
    record.set_principal("tester");
    record.set_method("SubmitBudget");
    record.set_request_id(submission.metadata.request_id());
    record.set_outcome("OK");
    submission.audit = record;
    return submission;
  }

  // The first records of `trail` as "sequence:principal:request_id".
  static std::vector<std::string> Chain(AuditTrail& trail) {
    absl::StatusOr<std::vector<budget::v1::AuditRecord>> records =
        trail.List(0, 10);
    EXPECT_TRUE(records.ok()) << records.status();
    std::vector<std::string> order;
    for (const budget::v1::AuditRecord& record :
         records.value_or(std::vector<budget::v1::AuditRecord>())) {
      order.push_back(absl::StrCat(record.sequence(), ":", record.principal(),
                                   ":", record.request_id()));
    }
    return order;
  }

  std::string spec_;
  std::unique_ptr<BudgetStore> store_;
};

INSTANTIATE_TEST_SUITE_P(Backends, StoreContractTest,
                         ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });

TEST_P(StoreContractTest, KeepsEveryRevisionAndItsExactBytes) {
  NewSubmission first = Make("021001", 1, 1, 100, 100, "r1");
  NewSubmission second = Make("021001", 2, 2, 250, 250, "r2");
  ASSERT_TRUE(store_->CommitSubmission(first).ok());
  ASSERT_TRUE(store_->CommitSubmission(second).ok());

  absl::StatusOr<std::vector<Submission>> all =
      store_->ListSubmissions("021001", 2024, true);
  ASSERT_TRUE(all.ok()) << all.status();
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].budget().SerializeAsString(), first.payload);
  EXPECT_EQ((*all)[1].budget().SerializeAsString(), second.payload);
  EXPECT_EQ((*all)[0].request_id(), "r1");
  EXPECT_EQ((*all)[0].submitted_at().nanos(), 123'456'000);
  EXPECT_EQ((*all)[1].warnings(0).rule_id(), "BGT-W001");

  absl::StatusOr<Submission> latest = store_->GetSubmission("021001", 2024, 0);
  ASSERT_TRUE(latest.ok());
  EXPECT_EQ(latest->revision(), 2);
  EXPECT_EQ(latest->consolidated_revision(), 2);
  EXPECT_TRUE(
      absl::IsNotFound(store_->GetSubmission("021001", 2024, 3).status()));
}

TEST_P(StoreContractTest, RequestIdIsUsedOnce) {
  NewSubmission first = Make("021001", 1, 1, 100, 100, "same");
  ASSERT_TRUE(store_->CommitSubmission(first).ok());

  absl::StatusOr<std::optional<StoredRequest>> found =
      store_->FindRequest("same");
  ASSERT_TRUE(found.ok());
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->payload, first.payload);
  EXPECT_EQ((*found)->response, "first answer to same");
  EXPECT_FALSE(store_->FindRequest("other")->has_value());

  absl::Status again =
      store_->CommitSubmission(Make("021002", 1, 2, 7, 107, "same"));
  EXPECT_TRUE(absl::IsAlreadyExists(again)) << again;
}

TEST_P(StoreContractTest, FailedCommitLeavesTotalsUntouched) {
  ASSERT_TRUE(
      store_->CommitSubmission(Make("021001", 1, 1, 100, 100, "a")).ok());
  // A duplicate request id fails the insert after the revision checks; the
  // totals written in the same transaction must roll back with it.
  EXPECT_FALSE(
      store_->CommitSubmission(Make("021002", 1, 2, 50, 150, "a")).ok());
  absl::StatusOr<NodeTotals> dept = store_->GetNodeTotals("021", 2024);
  ASSERT_TRUE(dept.ok());
  EXPECT_EQ(dept->income_fen(), 100);
  EXPECT_EQ(dept->revision(), 1);
  EXPECT_TRUE(absl::IsNotFound(store_->GetNodeTotals("021002", 2024).status()));
  EXPECT_EQ(*store_->ConsolidatedRevision(), 1);
}

TEST_P(StoreContractTest, RefusesRevisionsThatAreNotNext) {
  ASSERT_TRUE(store_->CommitSubmission(Make("021001", 1, 1, 1, 1, "a")).ok());
  EXPECT_TRUE(absl::IsAborted(
      store_->CommitSubmission(Make("021001", 1, 2, 1, 1, "b"))));
  EXPECT_TRUE(absl::IsAborted(
      store_->CommitSubmission(Make("021001", 2, 1, 1, 1, "c"))));
  EXPECT_TRUE(store_->CommitSubmission(Make("021001", 2, 2, 1, 1, "d")).ok());
}

// A store that appends audit records in its commits keeps one chain with
// the audit trail's own appends, and loses a record only with its revision.
TEST_P(StoreContractTest, AuditRecordsCommitWithTheirRevisionsInOneChain) {
  if (!store_->AppendsAuditRecords()) {
    GTEST_SKIP() << "this backend's caller appends the records itself";
  }
  absl::StatusOr<std::unique_ptr<AuditTrail>> trail = AuditTrail::Open(spec_);
  ASSERT_TRUE(trail.ok()) << trail.status();
  budget::v1::AuditRecord denial;
  denial.set_principal("intruder");
  denial.set_outcome("PERMISSION_DENIED");

  ASSERT_TRUE((*trail)->Append(denial).ok());
  std::vector<NewSubmission> two = {
      Audited(Make("021001", 1, 1, 100, 100, "a")),
      Audited(Make("021002", 1, 2, 50, 150, "b"))};
  ASSERT_TRUE(store_->CommitSubmissions(two).ok());
  ASSERT_TRUE((*trail)->Append(denial).ok());
  // Not the next revision: neither the revision nor its record is stored.
  EXPECT_TRUE(absl::IsAborted(
      store_->CommitSubmission(Audited(Make("021001", 1, 3, 7, 107, "lost")))));
  ASSERT_TRUE(
      store_->CommitSubmission(Audited(Make("021001", 2, 3, 7, 57, "c"))).ok());

  EXPECT_THAT(Chain(**trail),
              ::testing::ElementsAre("1:intruder:", "2:tester:a", "3:tester:b",
                                     "4:intruder:", "5:tester:c"));
  absl::StatusOr<auth::ChainCheck> check = (*trail)->Verify();
  ASSERT_TRUE(check.ok()) << check.status();
  EXPECT_EQ(check->damage, budget::v1::AUDIT_DAMAGE_NONE);
  // The caller's records stay as given; the store chained copies.
  EXPECT_EQ(two[0].audit->sequence(), 0);
}

// Units and the records of the calls that registered them are stored in
// one transaction, chained with the other records: a refused batch keeps
// neither, and a submission after it chains after them.
TEST_P(StoreContractTest, UnitRegistrationsCommitWithTheirAuditRecords) {
  if (!store_->AppendsAuditRecords()) {
    GTEST_SKIP() << "this backend's caller appends the records itself";
  }
  absl::StatusOr<std::unique_ptr<AuditTrail>> trail = AuditTrail::Open(spec_);
  ASSERT_TRUE(trail.ok()) << trail.status();
  auto registration = [](const std::string& code) {
    budget::v1::AuditRecord record;
    record.set_principal("tester");
    record.set_method("RegisterUnit");
    record.set_node_code(code);
    record.set_request_id(code);
    record.set_outcome("OK");
    return record;
  };
  std::vector<budget::v1::Unit> units(2);
  units[0].set_code("021");
  units[0].set_kind(budget::v1::UNIT_KIND_GROUP);
  units[1].set_code("021001");
  units[1].set_parent_code("021");
  const budget::v1::AuditRecord records[] = {registration("021"),
                                             registration("021001")};
  ASSERT_TRUE(store_->AddUnits(units, records).ok());
  // A duplicate code: neither the unit beside it nor any record is kept.
  budget::v1::Unit fresh = units[1];
  fresh.set_code("021009");
  const budget::v1::Unit again[] = {fresh, units[1]};
  const budget::v1::AuditRecord again_records[] = {registration("021009"),
                                                   registration("021001")};
  EXPECT_TRUE(absl::IsAlreadyExists(store_->AddUnits(again, again_records)));
  ASSERT_TRUE(
      store_->CommitSubmission(Audited(Make("021001", 1, 1, 1, 1, "a"))).ok());

  EXPECT_THAT(
      Chain(**trail),
      ::testing::ElementsAre("1:tester:021", "2:tester:021001", "3:tester:a"));
  absl::StatusOr<auth::ChainCheck> check = (*trail)->Verify();
  ASSERT_TRUE(check.ok()) << check.status();
  EXPECT_EQ(check->damage, budget::v1::AUDIT_DAMAGE_NONE);
  // The caller's records stay as given; the store chained copies.
  EXPECT_EQ(records[0].sequence(), 0);
}

// A review, a lock and a cycle record each store the record of their call
// in their own transaction; a review of no revision stores neither.
TEST_P(StoreContractTest, ReviewsLocksAndCycleRecordsCommitWithTheirRecords) {
  if (!store_->AppendsAuditRecords()) {
    GTEST_SKIP() << "this backend's caller appends the records itself";
  }
  absl::StatusOr<std::unique_ptr<AuditTrail>> trail = AuditTrail::Open(spec_);
  ASSERT_TRUE(trail.ok()) << trail.status();
  auto call = [](const std::string& id) {
    budget::v1::AuditRecord record;
    record.set_principal("reviewer");
    record.set_request_id(id);
    record.set_outcome("OK");
    return record;
  };
  ASSERT_TRUE(store_->CommitSubmission(Make("021001", 1, 1, 1, 1, "a")).ok());
  budget::v1::Review review;
  review.set_unit_code("021001");
  review.set_fiscal_year(2024);
  review.set_revision(1);
  review.set_decision(budget::v1::REVIEW_DECISION_APPROVED);
  const budget::v1::AuditRecord reviewed = call("review");
  ASSERT_TRUE(store_->AddReview(review, {&reviewed, 1}).ok());
  review.set_revision(9);
  const budget::v1::AuditRecord missing = call("no such revision");
  EXPECT_TRUE(absl::IsNotFound(store_->AddReview(review, {&missing, 1})));
  YearLock lock{"021", 2024, "finance", 7, 1};
  lock.audit = call("lock");
  ASSERT_TRUE(store_->AddLock(lock).ok());
  NewCycleRecord record{2, "cycle-1", "021001", 2024, "figures", "issued"};
  record.audit = call("figures");
  ASSERT_TRUE(store_->CommitCycleRecords({&record, 1}).ok());
  ASSERT_TRUE(
      store_->CommitSubmission(Audited(Make("021001", 2, 3, 2, 2, "b"))).ok());

  EXPECT_THAT(Chain(**trail),
              ::testing::ElementsAre("1:reviewer:review", "2:reviewer:lock",
                                     "3:reviewer:figures", "4:tester:b"));
  absl::StatusOr<auth::ChainCheck> check = (*trail)->Verify();
  ASSERT_TRUE(check.ok()) << check.status();
  EXPECT_EQ(check->damage, budget::v1::AUDIT_DAMAGE_NONE);
}

// A commit chains its records after the stored head, also when another
// appender moved it since the store's last commit (the PostgreSQL store
// chains after the head it left, and checks that it still is).
TEST_P(StoreContractTest, AuditRecordsChainAfterTheHeadAnotherAppenderMoved) {
  if (!store_->AppendsAuditRecords()) {
    GTEST_SKIP() << "this backend's caller appends the records itself";
  }
  absl::StatusOr<std::unique_ptr<AuditTrail>> trail = AuditTrail::Open(spec_);
  ASSERT_TRUE(trail.ok()) << trail.status();
  budget::v1::AuditRecord denial;
  denial.set_principal("intruder");
  ASSERT_TRUE(
      store_->CommitSubmission(Audited(Make("021001", 1, 1, 1, 1, "a"))).ok());
  ASSERT_TRUE(
      store_->CommitSubmission(Audited(Make("021001", 2, 2, 2, 2, "b"))).ok());
  ASSERT_TRUE((*trail)->Append(denial).ok());
  ASSERT_TRUE(
      store_->CommitSubmission(Audited(Make("021001", 3, 3, 3, 3, "c"))).ok());
  ASSERT_TRUE(
      store_->CommitSubmission(Audited(Make("021001", 4, 4, 4, 4, "d"))).ok());
  EXPECT_THAT(Chain(**trail), ::testing::ElementsAre(
                                  "1:tester:a", "2:tester:b",
                                  "3:intruder:", "4:tester:c", "5:tester:d"));
  absl::StatusOr<auth::ChainCheck> check = (*trail)->Verify();
  ASSERT_TRUE(check.ok()) << check.status();
  EXPECT_EQ(check->damage, budget::v1::AUDIT_DAMAGE_NONE);
}

TEST_P(StoreContractTest, UnitsOfOneCallAreStoredInOrderOrNotAtAll) {
  std::vector<budget::v1::Unit> units(3);
  for (int i = 0; i < 3; ++i) {
    units[i].set_code(i == 0 ? "021" : absl::StrCat("02100", i));
    units[i].set_parent_code(i == 0 ? "" : "021");
    units[i].set_name(absl::StrCat("单位", i));
    units[i].set_kind(i == 0 ? budget::v1::UNIT_KIND_GROUP
                             : budget::v1::UNIT_KIND_ADMINISTRATIVE);
  }
  ASSERT_TRUE(store_->AddUnits(units, {}).ok());
  budget::v1::Unit fresh = units[1];
  fresh.set_code("021009");
  // One duplicate fails the whole call: the new unit beside it is not kept.
  const budget::v1::Unit again[] = {fresh, units[2]};
  EXPECT_TRUE(absl::IsAlreadyExists(store_->AddUnits(again, {})));
  EXPECT_TRUE(store_->AddUnits({}, {}).ok());

  Reopen();
  absl::StatusOr<std::vector<budget::v1::Unit>> loaded = store_->LoadUnits();
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  ASSERT_EQ(loaded->size(), 3u);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ((*loaded)[i].SerializeAsString(), units[i].SerializeAsString());
  }
}

TEST_P(StoreContractTest, EverythingSurvivesReopen) {
  budget::v1::Unit dept;
  dept.set_code("021");
  dept.set_name("郑州市工业和信息化局");
  dept.set_kind(budget::v1::UNIT_KIND_GROUP);
  budget::v1::Unit office = dept;
  office.set_code("021001");
  office.set_parent_code("021");
  office.set_kind(budget::v1::UNIT_KIND_ADMINISTRATIVE);
  ASSERT_TRUE(store_->AddUnit(dept).ok());
  ASSERT_TRUE(store_->AddUnit(office).ok());
  EXPECT_TRUE(absl::IsAlreadyExists(store_->AddUnit(office)));
  NewSubmission first = Make("021001", 1, 1, 100, 100, "a");
  ASSERT_TRUE(store_->CommitSubmission(first).ok());
  budget::v1::Review review;
  review.set_unit_code("021001");
  review.set_fiscal_year(2024);
  review.set_revision(1);
  review.set_decision(budget::v1::REVIEW_DECISION_APPROVED);
  review.set_reviewer("finance");
  ASSERT_TRUE(store_->AddReview(review).ok());
  review.set_revision(9);
  EXPECT_TRUE(absl::IsNotFound(store_->AddReview(review)));
  ASSERT_TRUE(store_->AddLock({"021", 2024, "finance", 5, 1}).ok());
  EXPECT_TRUE(absl::IsAlreadyExists(store_->AddLock({"021", 2024, "x", 6, 1})));

  Reopen();

  absl::StatusOr<std::vector<budget::v1::Unit>> units = store_->LoadUnits();
  ASSERT_TRUE(units.ok());
  ASSERT_EQ(units->size(), 2u);
  EXPECT_EQ((*units)[0].name(), "郑州市工业和信息化局");
  EXPECT_EQ((*units)[1].parent_code(), "021");
  absl::StatusOr<Submission> stored = store_->GetSubmission("021001", 2024, 1);
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->budget().SerializeAsString(), first.payload);
  ASSERT_EQ(stored->reviews_size(), 1);
  EXPECT_EQ(stored->reviews(0).decision(),
            budget::v1::REVIEW_DECISION_APPROVED);
  ASSERT_EQ(store_->LoadLocks()->size(), 1u);
  EXPECT_EQ(store_->LoadLocks()->front().node_code, "021");
  EXPECT_EQ(store_->GetNodeTotals("021", 2024)->income_fen(), 100);
}

TEST_P(StoreContractTest, LatestBudgetsHoldsOnlyTheLastRevisionPerUnit) {
  ASSERT_TRUE(store_->CommitSubmission(Make("021001", 1, 1, 1, 1, "a")).ok());
  ASSERT_TRUE(store_->CommitSubmission(Make("021002", 1, 2, 5, 6, "b")).ok());
  ASSERT_TRUE(store_->CommitSubmission(Make("021001", 2, 3, 9, 14, "c")).ok());
  std::vector<UnitBudget> latest;
  ASSERT_TRUE(store_
                  ->VisitLatestBudgets([&](const UnitBudget& budget) {
                    latest.push_back(budget);
                    return absl::OkStatus();
                  })
                  .ok());
  ASSERT_EQ(latest.size(), 2u);
  EXPECT_EQ(latest[0].unit_code(), "021002");
  EXPECT_EQ(latest[1].income(0).amount_fen(), 9);
}

TEST_P(StoreContractTest, VisitingLatestBudgetsStopsAtTheVisitorsError) {
  ASSERT_TRUE(store_->CommitSubmission(Make("021001", 1, 1, 1, 1, "a")).ok());
  ASSERT_TRUE(store_->CommitSubmission(Make("021002", 1, 2, 5, 6, "b")).ok());
  int visited = 0;
  absl::Status status = store_->VisitLatestBudgets([&](const UnitBudget&) {
    ++visited;
    return absl::InternalError("stop");
  });
  EXPECT_EQ(status.message(), "stop");
  EXPECT_EQ(visited, 1);
}

TEST_P(StoreContractTest, AStoredBudgetThatDoesNotParseIsDataLoss) {
  ASSERT_TRUE(store_->CommitSubmission(Make("021001", 1, 1, 1, 1, "a")).ok());
  NewSubmission garbled = Make("021002", 1, 2, 5, 6, "b");
  garbled.payload = "\xff\xff\xff";  // A field with no number and no end.
  ASSERT_TRUE(store_->CommitSubmission(garbled).ok());
  int visited = 0;
  absl::Status status = store_->VisitLatestBudgets([&](const UnitBudget&) {
    ++visited;
    return absl::OkStatus();
  });
  EXPECT_TRUE(absl::IsDataLoss(status)) << status;
  EXPECT_EQ(visited, 1);
}

// More budgets than a store reads in one page (500 on PostgreSQL, which
// reads each page while the one before is visited).
constexpr int kSeveralPages = 1201;

// Units 100000 .. 100000 + count - 1, revision 1 each, in one batch.
std::vector<NewSubmission> ManyUnits(int count) {
  std::vector<NewSubmission> batch;
  for (int i = 0; i < count; ++i) {
    NewSubmission s;
    s.metadata.set_unit_code(absl::StrCat(100000 + i));
    s.metadata.set_fiscal_year(2024);
    s.metadata.set_revision(1);
    s.metadata.set_consolidated_revision(i + 1);
    s.metadata.set_request_id(absl::StrCat("many-", i));
    UnitBudget budget;
    budget.set_unit_code(s.metadata.unit_code());
    budget.set_fiscal_year(2024);
    budget.add_income()->set_amount_fen(i);
    s.payload = budget.SerializeAsString();
    batch.push_back(std::move(s));
  }
  return batch;
}

TEST_P(StoreContractTest, LatestBudgetsSpanningPagesAreVisitedOnceInOrder) {
  ASSERT_TRUE(store_->CommitSubmissions(ManyUnits(kSeveralPages)).ok());
  std::vector<std::string> units;
  ASSERT_TRUE(store_
                  ->VisitLatestBudgets([&](const UnitBudget& budget) {
                    EXPECT_EQ(budget.income(0).amount_fen(),
                              static_cast<int64_t>(units.size()));
                    units.push_back(budget.unit_code());
                    return absl::OkStatus();
                  })
                  .ok());
  ASSERT_EQ(units.size(), static_cast<size_t>(kSeveralPages));
  EXPECT_EQ(units.front(), "100000");
  EXPECT_EQ(units.back(), absl::StrCat(100000 + kSeveralPages - 1));
}

TEST_P(StoreContractTest, VisitorErrorWithAPageAheadLeavesTheStoreUsable) {
  ASSERT_TRUE(store_->CommitSubmissions(ManyUnits(kSeveralPages)).ok());
  int visited = 0;
  absl::Status stopped = store_->VisitLatestBudgets([&](const UnitBudget&) {
    return ++visited == 3 ? absl::InternalError("stop") : absl::OkStatus();
  });
  EXPECT_EQ(stopped.message(), "stop");
  EXPECT_EQ(visited, 3);
  // The store reads and writes as before.
  ASSERT_TRUE(store_
                  ->CommitSubmission(
                      Make("021001", 1, kSeveralPages + 1, 7, 7, "after"))
                  .ok());
  int seen = 0;
  ASSERT_TRUE(store_
                  ->VisitLatestBudgets([&](const UnitBudget&) {
                    ++seen;
                    return absl::OkStatus();
                  })
                  .ok());
  EXPECT_EQ(seen, kSeveralPages + 1);
}

}  // namespace
}  // namespace storage
