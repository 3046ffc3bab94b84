// The audit trail through the real services: writes and refusals are
// recorded, and editing or deleting one record directly in the store (SQLite
// file or PostgreSQL database) is reported by VerifyAuditTrail.
#include <limits>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "tests/security/security_fixture.h"
#include "tests/testing/reference_fixture.h"
#include "tests/testing/test_store.h"

namespace security_test {
namespace {

class AuditE2eTest : public SecurityFixture {
 protected:
  budget::v1::VerifyAuditTrailResponse Verify() {
    budget::v1::VerifyAuditTrailResponse response;
    grpc::Status status = audit_stub_->VerifyAuditTrail(
        As("auditor").get(), budget::v1::VerifyAuditTrailRequest(), &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response;
  }

  void Tamper(const std::string& sql) {
    EXPECT_EQ(e2e_testing::ExecOnTestStore(store_path(), sql), 1);
  }

  void DeleteNewestRecord() {
    Tamper(
        "DELETE FROM audit_records WHERE sequence = "
        "(SELECT MAX(sequence) FROM audit_records)");
  }
};

TEST_F(AuditE2eTest, WritesAndRefusalsAreRecorded) {
  budget::v1::GetSubmissionRequest foreign;
  foreign.set_unit_code("021002");
  foreign.set_fiscal_year(2024);
  budget::v1::Submission ignored;
  ASSERT_EQ(
      ingest_stub_->GetSubmission(As("submitter").get(), foreign, &ignored)
          .error_code(),
      grpc::StatusCode::PERMISSION_DENIED);

  budget::v1::ListAuditRecordsRequest request;
  request.set_page_size(10000);
  budget::v1::ListAuditRecordsResponse response;
  ASSERT_TRUE(
      audit_stub_->ListAuditRecords(As("auditor").get(), request, &response)
          .ok());
  int submissions = 0;
  bool lock = false, refusal = false;
  // A registration is answered after the call that received it returned:
  // its record must name the unit registered, not bytes since reused.
  std::set<std::string> registered, expected;
  for (const budget::v1::Unit& unit : e2e_testing::ReferenceUnits()) {
    expected.insert(unit.code());
  }
  for (const budget::v1::AuditRecord& record : response.records()) {
    if (record.method() == "RegisterUnit" && record.outcome() == "OK") {
      registered.insert(record.node_code());
      // Who registered it, which the record once left empty.
      EXPECT_EQ(record.principal(), "admin") << record.node_code();
    }
    if (record.method() == "SubmitBudget" && record.outcome() == "OK") {
      EXPECT_EQ(record.principal(), "admin");
      EXPECT_FALSE(record.request_id().empty());
      ++submissions;
    }
    lock = lock || (record.method() == "LockYear" &&
                    record.node_code() == "021" && record.outcome() == "OK");
    refusal = refusal ||
              (record.method() == "GetSubmission" &&
               record.principal() == "submitter" &&
               record.node_code() == "021002" && record.fiscal_year() == 2024 &&
               record.outcome() == "PERMISSION_DENIED");
  }
  EXPECT_EQ(registered, expected);
  EXPECT_EQ(submissions, 12);  // Six units, two years.
  EXPECT_TRUE(lock);
  EXPECT_TRUE(refusal);
}

TEST_F(AuditE2eTest, EditedRecordIsFound) {
  budget::v1::VerifyAuditTrailResponse before = Verify();
  ASSERT_TRUE(before.intact());
  ASSERT_GT(before.record_count(), 5);
  Tamper(
      "UPDATE audit_records SET principal = 'someone-else' "
      "WHERE sequence = 4");
  budget::v1::VerifyAuditTrailResponse after = Verify();
  EXPECT_FALSE(after.intact());
  EXPECT_EQ(after.first_bad_sequence(), 4);
  EXPECT_EQ(after.damage(), budget::v1::AUDIT_DAMAGE_EDITED);
}

TEST_F(AuditE2eTest, DeletedRecordIsFound) {
  ASSERT_TRUE(Verify().intact());
  Tamper("DELETE FROM audit_records WHERE sequence = 5");
  budget::v1::VerifyAuditTrailResponse after = Verify();
  EXPECT_FALSE(after.intact());
  EXPECT_EQ(after.first_bad_sequence(), 5);
  EXPECT_EQ(after.damage(), budget::v1::AUDIT_DAMAGE_REMOVED);
}

TEST_F(AuditE2eTest, DeletedNewestRecordIsFound) {
  budget::v1::VerifyAuditTrailResponse before = Verify();
  ASSERT_TRUE(before.intact());
  DeleteNewestRecord();
  budget::v1::VerifyAuditTrailResponse after = Verify();
  EXPECT_FALSE(after.intact());
  EXPECT_EQ(after.first_bad_sequence(), before.record_count());
  EXPECT_EQ(after.damage(), budget::v1::AUDIT_DAMAGE_REMOVED);
}

// Calls after the deletion append new records; they must chain to the
// anchored head, not reuse the deleted sequence number and heal the chain.
TEST_F(AuditE2eTest, DeletedNewestRecordStaysFoundAfterFurtherCalls) {
  budget::v1::VerifyAuditTrailResponse before = Verify();
  ASSERT_TRUE(before.intact());
  DeleteNewestRecord();
  // Two refused reads, each recorded.
  budget::v1::Submission ignored;
  budget::v1::GetSubmissionRequest foreign;
  foreign.set_unit_code("021002");
  foreign.set_fiscal_year(2024);
  ASSERT_EQ(
      ingest_stub_->GetSubmission(As("submitter").get(), foreign, &ignored)
          .error_code(),
      grpc::StatusCode::PERMISSION_DENIED);
  ASSERT_EQ(
      ingest_stub_->GetSubmission(As("submitter").get(), foreign, &ignored)
          .error_code(),
      grpc::StatusCode::PERMISSION_DENIED);
  budget::v1::VerifyAuditTrailResponse after = Verify();
  EXPECT_FALSE(after.intact());
  EXPECT_EQ(after.first_bad_sequence(), before.record_count());
  EXPECT_EQ(after.damage(), budget::v1::AUDIT_DAMAGE_REMOVED);
}

// Registrations in flight together are stored and audited as one batch,
// answered after the calls that received them returned: each record must
// still name its own unit (it once named bytes the call had freed).
TEST_F(AuditE2eTest, RegistrationsInFlightTogetherRecordTheirOwnUnits) {
  constexpr int kThreads = 8;
  constexpr int kPerThread = 40;
  std::set<std::string> expected;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    for (int i = 0; i < kPerThread; ++i) {
      expected.insert(absl::StrCat("0215", t, absl::Dec(i, absl::kZeroPad2)));
    }
    threads.emplace_back([this, t] {
      for (int i = 0; i < kPerThread; ++i) {
        budget::v1::RegisterUnitRequest request;
        budget::v1::Unit& unit = *request.mutable_unit();
        unit.set_code(absl::StrCat("0215", t, absl::Dec(i, absl::kZeroPad2)));
        unit.set_name(absl::StrCat("并发登记单位", unit.code()));
        unit.set_parent_code("021");
        unit.set_kind(budget::v1::UNIT_KIND_INSTITUTION);
        budget::v1::RegisterUnitResponse response;
        grpc::Status status =
            ingest_stub_->RegisterUnit(As("admin").get(), request, &response);
        EXPECT_TRUE(status.ok())
            << unit.code() << ": " << status.error_message();
      }
    });
  }
  for (std::thread& thread : threads) thread.join();

  budget::v1::ListAuditRecordsRequest request;
  request.set_page_size(10'000);
  budget::v1::ListAuditRecordsResponse response;
  ASSERT_TRUE(
      audit_stub_->ListAuditRecords(As("auditor").get(), request, &response)
          .ok());
  std::multiset<std::string> recorded;
  for (const budget::v1::AuditRecord& record : response.records()) {
    if (record.method() == "RegisterUnit" &&
        absl::StartsWith(record.node_code(), "0215")) {
      recorded.insert(record.node_code());
    }
  }
  EXPECT_EQ(recorded,
            std::multiset<std::string>(expected.begin(), expected.end()));
  EXPECT_TRUE(Verify().intact());
}

TEST_F(AuditE2eTest, OnlyAuditorsReadTheTrail) {
  budget::v1::VerifyAuditTrailResponse response;
  EXPECT_EQ(
      audit_stub_
          ->VerifyAuditTrail(As("reviewer").get(),
                             budget::v1::VerifyAuditTrailRequest(), &response)
          .error_code(),
      grpc::StatusCode::PERMISSION_DENIED);
}

// Page sizes outside 0..10,000 and a negative sequence are refused, not
// read as the default. A page walked with a small size meets every record
// once, in order.
TEST_F(AuditE2eTest, PagesAreCheckedAndWalkTheTrailOnce) {
  for (int32_t size : {-1, std::numeric_limits<int32_t>::min(), 10'001,
                       std::numeric_limits<int32_t>::max()}) {
    budget::v1::ListAuditRecordsRequest request;
    request.set_page_size(size);
    budget::v1::ListAuditRecordsResponse response;
    grpc::Status status =
        audit_stub_->ListAuditRecords(As("auditor").get(), request, &response);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << size;
    EXPECT_EQ(
        status.error_message(),
        absl::StrCat("page_size: ", size, " given; expected 0 (100) to 10000"));
  }
  budget::v1::ListAuditRecordsRequest negative;
  negative.set_after_sequence(-5);
  budget::v1::ListAuditRecordsResponse ignored;
  EXPECT_EQ(
      audit_stub_->ListAuditRecords(As("auditor").get(), negative, &ignored)
          .error_code(),
      grpc::StatusCode::INVALID_ARGUMENT);

  budget::v1::ListAuditRecordsRequest all;
  all.set_page_size(10'000);
  budget::v1::ListAuditRecordsResponse whole;
  ASSERT_TRUE(
      audit_stub_->ListAuditRecords(As("auditor").get(), all, &whole).ok());
  std::vector<int64_t> walked;
  budget::v1::ListAuditRecordsRequest page;
  page.set_page_size(7);
  for (int pages = 0; pages < 1000; ++pages) {
    budget::v1::ListAuditRecordsResponse response;
    ASSERT_TRUE(
        audit_stub_->ListAuditRecords(As("auditor").get(), page, &response)
            .ok());
    for (const auto& record : response.records()) {
      walked.push_back(record.sequence());
    }
    if (response.next_after_sequence() == 0) break;
    page.set_after_sequence(response.next_after_sequence());
  }
  // The walk's own calls were recorded after `whole` was read.
  ASSERT_GE(walked.size(), static_cast<size_t>(whole.records_size()));
  for (int i = 0; i < whole.records_size(); ++i) {
    EXPECT_EQ(walked[i], whole.records(i).sequence());
  }
}

}  // namespace
}  // namespace security_test
