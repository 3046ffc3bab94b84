#include "auth/audit_chain.h"

#include <vector>

#include "gtest/gtest.h"

namespace auth {
namespace {

using budget::v1::AuditRecord;

std::vector<AuditRecord> Chain(int count) {
  std::vector<AuditRecord> records;
  std::string previous = GenesisHash();
  for (int i = 1; i <= count; ++i) {
    AuditRecord& record = records.emplace_back();
    record.set_sequence(i);
    record.set_principal("office");
    record.set_method("SubmitBudget");
    record.set_node_code("021001");
    record.set_fiscal_year(2024);
    record.set_outcome("OK");
    record.mutable_time()->set_seconds(1700000000 + i);
    record.set_previous_hash(previous);
    record.set_hash(AuditHash(record));
    previous = record.hash();
  }
  return records;
}

TEST(AuditChainTest, IntactChainVerifies) {
  ChainCheck check = VerifyAuditChain(Chain(4), std::nullopt);
  EXPECT_EQ(check.record_count, 4);
  EXPECT_EQ(check.first_bad_sequence, 0);
  EXPECT_EQ(check.damage, budget::v1::AUDIT_DAMAGE_NONE);
}

TEST(AuditChainTest, EditedFieldIsFound) {
  std::vector<AuditRecord> records = Chain(4);
  records[2].set_outcome("PERMISSION_DENIED");
  ChainCheck check = VerifyAuditChain(records, std::nullopt);
  EXPECT_EQ(check.first_bad_sequence, 3);
  EXPECT_EQ(check.damage, budget::v1::AUDIT_DAMAGE_EDITED);
}

TEST(AuditChainTest, EditWithRecomputedHashBreaksTheNextLink) {
  std::vector<AuditRecord> records = Chain(4);
  records[1].set_principal("someone-else");
  records[1].set_hash(AuditHash(records[1]));
  ChainCheck check = VerifyAuditChain(records, std::nullopt);
  EXPECT_EQ(check.first_bad_sequence, 3);
  EXPECT_EQ(check.damage, budget::v1::AUDIT_DAMAGE_EDITED);
}

TEST(AuditChainTest, RemovedRecordIsFound) {
  std::vector<AuditRecord> records = Chain(4);
  records.erase(records.begin() + 1);
  ChainCheck check = VerifyAuditChain(records, std::nullopt);
  EXPECT_EQ(check.first_bad_sequence, 2);
  EXPECT_EQ(check.damage, budget::v1::AUDIT_DAMAGE_REMOVED);
}

TEST(AuditChainTest, RemovedNewestRecordIsFoundThroughTheHead) {
  std::vector<AuditRecord> records = Chain(4);
  const ChainHead head{4, records.back().hash()};
  EXPECT_EQ(VerifyAuditChain(records, head).damage,
            budget::v1::AUDIT_DAMAGE_NONE);
  records.pop_back();
  // Without the head, a trail cut at its end looks whole.
  EXPECT_EQ(VerifyAuditChain(records, std::nullopt).damage,
            budget::v1::AUDIT_DAMAGE_NONE);
  ChainCheck check = VerifyAuditChain(records, head);
  EXPECT_EQ(check.first_bad_sequence, 4);
  EXPECT_EQ(check.damage, budget::v1::AUDIT_DAMAGE_REMOVED);
}

TEST(AuditChainTest, NewestRecordRewrittenWithItsHashIsFoundThroughTheHead) {
  std::vector<AuditRecord> records = Chain(4);
  const ChainHead head{4, records.back().hash()};
  records[3].set_outcome("PERMISSION_DENIED");
  records[3].set_hash(AuditHash(records[3]));
  ChainCheck check = VerifyAuditChain(records, head);
  EXPECT_EQ(check.first_bad_sequence, 4);
  EXPECT_EQ(check.damage, budget::v1::AUDIT_DAMAGE_EDITED);
}

}  // namespace
}  // namespace auth
