// Every RPC of the three services × every role × inside / outside its
// scope, through the real binaries: the status code of each call, against
// a table written out from issue 8's roles. Allowed calls may still fail
// for their own reasons (a validate-only budget that is empty, a lock of an
// unapproved year), but never with UNAUTHENTICATED or PERMISSION_DENIED.
#include <functional>
#include <map>
#include <set>
#include <string>

#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "tests/security/security_fixture.h"

namespace security_test {
namespace {

using budget::v1::Dimension;

struct Call {
  int32_t year;
  std::string node;
};

class AccessTableE2eTest : public SecurityFixture {
 protected:
  using Rpc = std::function<grpc::Status(grpc::ClientContext*, const Call&)>;

  std::map<std::string, Rpc> Rpcs() {
    std::map<std::string, Rpc> rpcs;
    rpcs["RegisterUnit"] = [this](grpc::ClientContext* c, const Call& call) {
      budget::v1::RegisterUnitRequest r;
      r.mutable_unit()->set_code(call.node + "99");
      r.mutable_unit()->set_parent_code(call.node);
      budget::v1::RegisterUnitResponse out;
      return ingest_stub_->RegisterUnit(c, r, &out);
    };
    rpcs["ListUnits"] = [this](grpc::ClientContext* c, const Call& call) {
      budget::v1::ListUnitsRequest r;
      r.set_root_code(call.node);
      budget::v1::ListUnitsResponse out;
      return ingest_stub_->ListUnits(c, r, &out);
    };
    rpcs["SubmitBudget"] = [this](grpc::ClientContext* c, const Call& call) {
      budget::v1::SubmitBudgetRequest r;
      r.set_request_id("table-" + call.node);
      r.set_validate_only(true);
      r.mutable_budget()->set_unit_code(call.node);
      r.mutable_budget()->set_fiscal_year(call.year);
      budget::v1::SubmitBudgetResponse out;
      return ingest_stub_->SubmitBudget(c, r, &out);
    };
    rpcs["GetSubmission"] = [this](grpc::ClientContext* c, const Call& call) {
      budget::v1::GetSubmissionRequest r;
      r.set_unit_code(call.node);
      r.set_fiscal_year(call.year);
      budget::v1::Submission out;
      return ingest_stub_->GetSubmission(c, r, &out);
    };
    rpcs["ListSubmissions"] = [this](grpc::ClientContext* c, const Call& call) {
      budget::v1::ListSubmissionsRequest r;
      r.set_unit_code(call.node);
      r.set_fiscal_year(call.year);
      budget::v1::ListSubmissionsResponse out;
      return ingest_stub_->ListSubmissions(c, r, &out);
    };
    rpcs["ReviewSubmission"] = [this](grpc::ClientContext* c,
                                      const Call& call) {
      budget::v1::ReviewSubmissionRequest r;  // Returned without comment.
      r.set_unit_code(call.node);
      r.set_fiscal_year(call.year);
      r.set_revision(1);
      r.set_decision(budget::v1::REVIEW_DECISION_RETURNED);
      budget::v1::Review out;
      return ingest_stub_->ReviewSubmission(c, r, &out);
    };
    rpcs["LockYear"] = [this](grpc::ClientContext* c, const Call& call) {
      budget::v1::LockYearRequest r;  // 2023 is not approved.
      r.set_node_code(call.node);
      r.set_fiscal_year(2023);
      budget::v1::LockYearResponse out;
      return ingest_stub_->LockYear(c, r, &out);
    };
    rpcs["GetDisclosureTable"] = [this](grpc::ClientContext* c,
                                        const Call& call) {
      budget::v1::GetDisclosureTableRequest r;
      r.set_node_code(call.node);
      r.set_fiscal_year(call.year);
      r.set_table_id("01");
      budget::v1::DisclosureTable out;
      return query_stub_->GetDisclosureTable(c, r, &out);
    };
    rpcs["Aggregate"] = [this](grpc::ClientContext* c, const Call& call) {
      budget::v1::AggregateRequest r;
      r.set_node_code(call.node);
      r.set_fiscal_year(call.year);
      budget::v1::AggregateResponse out;
      return query_stub_->Aggregate(c, r, &out);
    };
    rpcs["GetSummary"] = [this](grpc::ClientContext* c, const Call& call) {
      budget::v1::GetSummaryRequest r;
      r.set_node_code(call.node);
      r.set_fiscal_year(call.year);
      budget::v1::Summary out;
      return query_stub_->GetSummary(c, r, &out);
    };
    rpcs["ListMembers"] = [this](grpc::ClientContext* c, const Call& call) {
      budget::v1::ListMembersRequest r;
      r.set_dimension(budget::v1::DIMENSION_FUNCTION_CLASS);
      r.set_node_code(call.node);
      r.set_fiscal_year(call.year);
      budget::v1::ListMembersResponse out;
      return query_stub_->ListMembers(c, r, &out);
    };
    rpcs["Watch"] = [this](grpc::ClientContext* c, const Call& call) {
      budget::v1::WatchRequest r;
      r.set_node_code(call.node);
      r.set_fiscal_year(call.year);
      c->set_deadline(std::chrono::system_clock::now() +
                      std::chrono::milliseconds(300));
      auto reader = query_stub_->Watch(c, r);
      budget::v1::RevisionEvent event;
      while (reader->Read(&event)) {
      }
      return reader->Finish();
    };
    rpcs["ExportBudget"] = [this](grpc::ClientContext* c, const Call& call) {
      budget::v1::ExportBudgetRequest r;
      r.set_node_code(call.node);
      r.set_fiscal_year(call.year);
      auto reader = query_stub_->ExportBudget(c, r);
      budget::v1::ExportRecord record;
      while (reader->Read(&record)) {
      }
      return reader->Finish();
    };
    rpcs["ListAuditRecords"] = [this](grpc::ClientContext* c, const Call&) {
      budget::v1::ListAuditRecordsRequest r;
      budget::v1::ListAuditRecordsResponse out;
      return audit_stub_->ListAuditRecords(c, r, &out);
    };
    rpcs["VerifyAuditTrail"] = [this](grpc::ClientContext* c, const Call&) {
      budget::v1::VerifyAuditTrailRequest r;
      budget::v1::VerifyAuditTrailResponse out;
      return audit_stub_->VerifyAuditTrail(c, r, &out);
    };
    return rpcs;
  }
};

const std::set<std::string> kQueryReads = {
    "GetDisclosureTable", "Aggregate", "GetSummary",
    "ListMembers",        "Watch",     "ExportBudget"};
const std::set<std::string> kSubmissionReads = {"ListUnits", "GetSubmission",
                                                "ListSubmissions"};
const std::set<std::string> kAudit = {"ListAuditRecords", "VerifyAuditTrail"};

// Allowed inside the scope, per principal (issue 8).
std::set<std::string> AllowedInside(const std::string& role) {
  std::set<std::string> allowed;
  if (role == "public" || role == "") return kQueryReads;  // Published year.
  allowed.insert(kQueryReads.begin(), kQueryReads.end());
  allowed.insert(kSubmissionReads.begin(), kSubmissionReads.end());
  if (role == "submitter") allowed.insert("SubmitBudget");
  if (role == "reviewer") {
    allowed.insert({"ReviewSubmission", "LockYear", "RegisterUnit"});
  }
  if (role == "auditor") allowed.insert(kAudit.begin(), kAudit.end());
  return allowed;
}

bool Refused(grpc::StatusCode code) {
  return code == grpc::StatusCode::PERMISSION_DENIED ||
         code == grpc::StatusCode::UNAUTHENTICATED;
}

TEST_F(AccessTableE2eTest, EveryRpcRoleAndScope) {
  // Inside: unit 021001 (the scope of submitter and reviewer), 2024, which
  // is locked. Outside: its sibling 021002, or for public readers the
  // unpublished 2023.
  for (const std::string role :
       {"submitter", "reviewer", "auditor", "public", ""}) {
    bool reads_by_year = role == "public" || role == "";
    Call inside{2024, "021001"};
    Call outside = reads_by_year ? Call{2023, "021001"} : Call{2024, "021002"};
    std::set<std::string> allowed = AllowedInside(role);
    for (const auto& [method, rpc] : Rpcs()) {
      SCOPED_TRACE(method + " as '" + role + "'");
      bool in = allowed.count(method) > 0;
      // Auditors read everywhere.
      bool out = role == "auditor" && in;
      grpc::StatusCode refusal = role == "" && kQueryReads.count(method) == 0
                                     ? grpc::StatusCode::UNAUTHENTICATED
                                     : grpc::StatusCode::PERMISSION_DENIED;
      grpc::Status got_in = rpc(As(role).get(), inside);
      grpc::Status got_out = rpc(As(role).get(), outside);
      if (in) {
        EXPECT_FALSE(Refused(got_in.error_code())) << got_in.error_message();
      } else {
        EXPECT_EQ(got_in.error_code(), refusal) << got_in.error_message();
      }
      if (out) {
        EXPECT_FALSE(Refused(got_out.error_code())) << got_out.error_message();
      } else {
        EXPECT_EQ(got_out.error_code(), refusal) << got_out.error_message();
      }
    }
  }
}

TEST_F(AccessTableE2eTest, UnknownNodeReadsLikeAForeignOne) {
  Rpc get = Rpcs()["GetSubmission"];
  grpc::Status unknown = get(As("submitter").get(), {2024, "777777"});
  grpc::Status foreign = get(As("submitter").get(), {2024, "021002"});
  EXPECT_EQ(unknown.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(unknown.error_code(), foreign.error_code());
  EXPECT_EQ(unknown.error_message(), foreign.error_message());
}

TEST_F(AccessTableE2eTest, UnknownTokenIsUnauthenticated) {
  for (const auto& [method, rpc] : Rpcs()) {
    grpc::ClientContext context;
    context.AddMetadata("authorization", "Bearer token-nobody");
    EXPECT_EQ(rpc(&context, {2024, "021001"}).error_code(),
              grpc::StatusCode::UNAUTHENTICATED)
        << method;
  }
}

}  // namespace
}  // namespace security_test
