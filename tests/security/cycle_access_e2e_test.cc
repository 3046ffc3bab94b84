// Who may issue control figures, approve and adjust (issue 16), and who
// may read which stage: the cycle's RPCs × every principal of the
// SecurityFixture × inside / outside its scope, through the real binaries,
// beside access_table_e2e_test.cc. Control figures and approval come from a
// reviewer of a node strictly above the unit (reviewer@021001 may not
// approve 021001's own budget); an adjustment from a reviewer of its node
// or above; cycle records and the proposal/submission stages are never
// public, nor is an aggregate's control figures column. Allowed writes are
// made to fail for their own reasons (a negative control figure, a missing
// revision, an adjustment without reason), so the table stores nothing;
// never with UNAUTHENTICATED or PERMISSION_DENIED.
#include <functional>
#include <map>
#include <set>
#include <string>

#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "tests/security/security_fixture.h"

namespace security_test {
namespace {

class CycleAccessE2eTest : public SecurityFixture {
 protected:
  using Rpc = std::function<grpc::Status(grpc::ClientContext*,
                                         const std::string& node)>;

  grpc::Status TableAt(grpc::ClientContext* c, const std::string& node,
                       budget::v1::BudgetStage stage) {
    budget::v1::GetDisclosureTableRequest r;
    r.set_node_code(node);
    r.set_fiscal_year(2024);
    r.set_table_id("01");
    r.mutable_read()->set_stage(stage);
    budget::v1::DisclosureTable out;
    return query_stub_->GetDisclosureTable(c, r, &out);
  }

  std::map<std::string, Rpc> Rpcs() {
    std::map<std::string, Rpc> rpcs;
    rpcs["IssueControlFigures"] = [this](grpc::ClientContext* c,
                                         const std::string& node) {
      budget::v1::IssueControlFiguresRequest r;
      r.set_request_id("control-" + node);
      r.mutable_figures()->set_unit_code(node);
      r.mutable_figures()->set_fiscal_year(2024);
      budget::v1::ControlAmount* amount = r.mutable_figures()->add_amounts();
      amount->set_nature(budget::v1::EXPENDITURE_NATURE_PROJECT);
      amount->set_amount_fen(-1);  // BGT-E100 when allowed.
      budget::v1::IssueControlFiguresResponse out;
      return ingest_stub_->IssueControlFigures(c, r, &out);
    };
    rpcs["ApproveBudget"] = [this](grpc::ClientContext* c,
                                   const std::string& node) {
      budget::v1::ApproveBudgetRequest r;
      r.set_request_id("approve-" + node);
      r.set_unit_code(node);
      r.set_fiscal_year(2024);
      r.set_revision(999);  // NOT_FOUND when allowed.
      budget::v1::SubmitBudgetResponse out;
      return ingest_stub_->ApproveBudget(c, r, &out);
    };
    rpcs["AdjustBudget"] = [this](grpc::ClientContext* c,
                                  const std::string& node) {
      budget::v1::AdjustBudgetRequest r;  // No reason: BGT-E110.
      r.set_request_id("adjust-" + node);
      r.mutable_adjustment()->set_node_code(node);
      r.mutable_adjustment()->set_fiscal_year(2024);
      budget::v1::AdjustBudgetResponse out;
      return ingest_stub_->AdjustBudget(c, r, &out);
    };
    rpcs["ListCycleRecords"] = [this](grpc::ClientContext* c,
                                      const std::string& node) {
      budget::v1::ListCycleRecordsRequest r;
      r.set_node_code(node);
      r.set_fiscal_year(2024);
      budget::v1::ListCycleRecordsResponse out;
      return ingest_stub_->ListCycleRecords(c, r, &out);
    };
    // Reads of the locked (published) year at each stage.
    for (auto [name, stage] :
         {std::pair{"table@proposal", budget::v1::BUDGET_STAGE_PROPOSAL},
          std::pair{"table@submission", budget::v1::BUDGET_STAGE_SUBMISSION},
          std::pair{"table@approved", budget::v1::BUDGET_STAGE_APPROVED},
          std::pair{"table@adjusted", budget::v1::BUDGET_STAGE_ADJUSTED}}) {
      rpcs[name] = [this, stage = stage](grpc::ClientContext* c,
                                         const std::string& node) {
        return TableAt(c, node, stage);
      };
    }
    // Aggregates of the locked year with a comparison column: the control
    // figures are never public, the adjusted stage is once published.
    for (auto [name, control] : {std::pair{"aggregate+control", true},
                                 std::pair{"aggregate+adjusted", false}}) {
      rpcs[name] = [this, control = control](grpc::ClientContext* c,
                                             const std::string& node) {
        budget::v1::AggregateRequest r;
        r.set_node_code(node);
        r.set_fiscal_year(2024);
        r.add_drilldown(budget::v1::DIMENSION_NATURE);
        budget::v1::CompareColumn* column = r.add_compare_columns();
        if (control) {
          column->set_control_figures(true);
        } else {
          column->set_stage(budget::v1::BUDGET_STAGE_ADJUSTED);
        }
        budget::v1::AggregateResponse out;
        return query_stub_->Aggregate(c, r, &out);
      };
    }
    return rpcs;
  }
};

// What each principal may do with unit 021001 (inside) and with its sibling
// 021002 (outside: allowed only for every-node grants). For adjustments the
// node named is the unit itself, and the department 021 as a third target.
struct Expected {
  std::set<std::string> inside;
  std::set<std::string> outside;
  std::set<std::string> department;  // Calls naming node 021.
};

const std::set<std::string> kReads = {"ListCycleRecords",  "table@proposal",
                                      "table@submission",  "table@approved",
                                      "table@adjusted",    "aggregate+control",
                                      "aggregate+adjusted"};
const std::set<std::string> kPublicReads = {"table@approved", "table@adjusted",
                                            "aggregate+adjusted"};

Expected ExpectedFor(const std::string& who) {
  if (who == "admin") {  // submitter@* reviewer@*: everything everywhere.
    std::set<std::string> all = kReads;
    all.insert({"IssueControlFigures", "ApproveBudget", "AdjustBudget"});
    return {all, all, all};
  }
  if (who == "auditor") return {kReads, kReads, kReads};
  // Scoped principals hold no public grant: nothing outside their scope.
  if (who == "reviewer") {  // reviewer@021001: not above its own unit.
    std::set<std::string> inside = kReads;
    inside.insert("AdjustBudget");
    return {inside, {}, {}};
  }
  if (who == "submitter") return {kReads, {}, {}};
  return {kPublicReads, kPublicReads, kPublicReads};  // public, anonymous
}

TEST_F(CycleAccessE2eTest, CycleRpcsRolesAndScopes) {
  for (const std::string who :
       {"admin", "submitter", "reviewer", "auditor", "public", ""}) {
    const Expected expected = ExpectedFor(who);
    for (const auto& [method, rpc] : Rpcs()) {
      for (const auto& [node, allowed] :
           {std::pair{"021001", &expected.inside},
            std::pair{"021002", &expected.outside},
            std::pair{"021", &expected.department}}) {
        SCOPED_TRACE(method + " on " + node + " as '" + who + "'");
        grpc::Status got = rpc(As(who).get(), node);
        if (allowed->count(method) > 0) {
          EXPECT_NE(got.error_code(), grpc::StatusCode::PERMISSION_DENIED)
              << got.error_message();
          EXPECT_NE(got.error_code(), grpc::StatusCode::UNAUTHENTICATED)
              << got.error_message();
          continue;
        }
        // Anonymous callers are unauthenticated but for the reads public
        // callers make (tables and aggregates, at any stage or column: then
        // denied).
        const bool public_read = method.rfind("table@", 0) == 0 ||
                                 method.rfind("aggregate+", 0) == 0;
        grpc::StatusCode refusal = who == "" && !public_read
                                       ? grpc::StatusCode::UNAUTHENTICATED
                                       : grpc::StatusCode::PERMISSION_DENIED;
        EXPECT_EQ(got.error_code(), refusal) << got.error_message();
      }
    }
  }
}

// The allowed calls fail for the reasons the table chose, so each really
// reached the service's rules: nothing was stored by the table.
TEST_F(CycleAccessE2eTest, AllowedCallsReachTheRules) {
  std::map<std::string, Rpc> rpcs = Rpcs();
  EXPECT_EQ(
      rpcs["IssueControlFigures"](As("admin").get(), "021001").error_code(),
      grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(rpcs["ApproveBudget"](As("admin").get(), "021001").error_code(),
            grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(rpcs["AdjustBudget"](As("reviewer").get(), "021001").error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_TRUE(rpcs["table@adjusted"](As("public").get(), "021001").ok());
  EXPECT_TRUE(rpcs["aggregate+adjusted"](As("public").get(), "021").ok());
  EXPECT_TRUE(rpcs["aggregate+control"](As("auditor").get(), "021").ok());
}

}  // namespace
}  // namespace security_test
