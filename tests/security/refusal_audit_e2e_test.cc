// Refused calls through the real services cost the audit trail a bounded
// amount: past a peer address's budget of records per interval they are
// counted, and each count is recorded when the interval ends, so that
// every refusal is in the trail, as a record or in a count; a refusal's
// record keeps at most 64 bytes of the caller's node code.
#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "server_common/access_gate.h"
#include "tests/security/security_fixture.h"

namespace security_test {
namespace {

constexpr int kPerPeer = 5;
constexpr absl::Duration kInterval = absl::Seconds(2);

class RefusalAuditE2eTest : public SecurityFixture {
 protected:
  std::vector<std::string> RefusalFlags() const {
    return {"--audit_refusals_per_peer=" + std::to_string(kPerPeer),
            "--audit_refusal_interval=" + absl::FormatDuration(kInterval)};
  }
  std::vector<std::string> ExtraQueryFlags() const override {
    return RefusalFlags();
  }
  std::vector<std::string> ExtraIngestFlags() const override {
    return RefusalFlags();
  }

  // The records after `after`, as the auditor reads them.
  std::vector<budget::v1::AuditRecord> RecordsAfter(int64_t after) {
    std::vector<budget::v1::AuditRecord> records;
    budget::v1::ListAuditRecordsRequest request;
    request.set_after_sequence(after);
    request.set_page_size(10000);
    do {
      budget::v1::ListAuditRecordsResponse response;
      grpc::Status status = audit_stub_->ListAuditRecords(As("auditor").get(),
                                                          request, &response);
      EXPECT_TRUE(status.ok()) << status.error_message();
      records.insert(records.end(), response.records().begin(),
                     response.records().end());
      request.set_after_sequence(response.next_after_sequence());
    } while (request.after_sequence() != 0);
    return records;
  }

  // Refusals the records account for: one each, or the count a record of
  // counted refusals states.
  static int64_t RefusalsIn(const std::vector<budget::v1::AuditRecord>& all) {
    int64_t refusals = 0;
    for (const budget::v1::AuditRecord& record : all) {
      if (record.principal() != "unknown" &&
          record.principal() != "anonymous") {
        continue;
      }
      if (record.method() != server_common::kRefusalsCounted) {
        ++refusals;
        continue;
      }
      int64_t count = 0;
      std::vector<std::string> words = absl::StrSplit(record.request_id(), ' ');
      EXPECT_TRUE(absl::SimpleAtoi(words.front(), &count))
          << record.request_id();
      refusals += count;
    }
    return refusals;
  }
};

TEST_F(RefusalAuditE2eTest, AFloodOfRefusalsIsCountedNotRecordedOneByOne) {
  // The fixture's anonymous reads before the lock was applied are
  // refusals too: their interval ends, and they are recorded, first.
  absl::SleepFor(kInterval + absl::Milliseconds(500));
  const std::vector<budget::v1::AuditRecord> before = RecordsAfter(0);
  ASSERT_FALSE(before.empty());
  const int64_t start = before.back().sequence();

  constexpr int kCalls = 200;
  const std::string long_code(4096, '9');
  for (int i = 0; i < kCalls; ++i) {
    // Anonymous, a node code of 4 KB: PERMISSION_DENIED.
    budget::v1::GetSummaryRequest summary;
    summary.set_node_code(long_code);
    summary.set_fiscal_year(2024);
    budget::v1::Summary ignored;
    EXPECT_EQ(
        query_stub_->GetSummary(As("").get(), summary, &ignored).error_code(),
        grpc::StatusCode::PERMISSION_DENIED);
    // A token of no principal: UNAUTHENTICATED, then RESOURCE_EXHAUSTED
    // once the address is over its failed authentications.
    grpc::ClientContext context;
    context.AddMetadata("authorization", "Bearer 00ff.nobody");
    budget::v1::ListUnitsRequest units;
    budget::v1::ListUnitsResponse listed;
    EXPECT_NE(ingest_stub_->ListUnits(&context, units, &listed).error_code(),
              grpc::StatusCode::OK);
  }

  // The counts are recorded once their interval has ended.
  std::vector<budget::v1::AuditRecord> after;
  const absl::Time deadline = absl::Now() + absl::Seconds(20);
  do {
    absl::SleepFor(absl::Milliseconds(200));
    after = RecordsAfter(start);
  } while (RefusalsIn(after) < 2 * kCalls && absl::Now() < deadline);
  EXPECT_EQ(RefusalsIn(after), 2 * kCalls);
  // Per service and interval: the budget, and a count per principal and
  // outcome. The calls take a few intervals at most.
  EXPECT_LT(after.size(), 100u);
  for (const budget::v1::AuditRecord& record : after) {
    EXPECT_LE(record.node_code().size(), 64u + 20u) << record.node_code();
  }
}

}  // namespace
}  // namespace security_test
