// Every RPC of the three services × every role × inside / outside its
// scope, through the real binaries: the status code of each call, against
// a table written out from issue 8's roles. Allowed calls may still fail
// for their own reasons (a validate-only budget that is empty, a lock of an
// unapproved year), but never with UNAUTHENTICATED or PERMISSION_DENIED.
// Besides each RPC plain, the table has (issue 13) the reads with a compare
// year (every year a read touches is authorized), the reads waiting for a
// revision (the caller is refused before any wait), and the submission
// replays whose reply lists only the totals the caller may read.
#include <chrono>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <thread>

#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "tests/security/security_fixture.h"
#include "tests/testing/reference_fixture.h"

namespace security_test {
namespace {

using budget::v1::Dimension;

struct Call {
  int32_t year;
  std::string node;
  // For the waiting reads: a revision not applied yet.
  int64_t next_revision = 0;
};

// The other year of the fixture: a compare year for `year`.
int32_t OtherYear(int32_t year) { return year == 2024 ? 2023 : 2024; }

// The call waits for a revision that does not come: long enough that only
// a wait reaches it.
void ShortDeadline(grpc::ClientContext* c) {
  c->set_deadline(std::chrono::system_clock::now() +
                  std::chrono::milliseconds(300));
}

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
    rpcs["Aggregate+compare"] = [this](grpc::ClientContext* c,
                                       const Call& call) {
      budget::v1::AggregateRequest r;
      r.set_node_code(call.node);
      r.set_fiscal_year(call.year);
      r.set_compare_year(OtherYear(call.year));
      budget::v1::AggregateResponse out;
      return query_stub_->Aggregate(c, r, &out);
    };
    rpcs["GetSummary+compare"] = [this](grpc::ClientContext* c,
                                        const Call& call) {
      budget::v1::GetSummaryRequest r;
      r.set_node_code(call.node);
      r.set_fiscal_year(call.year);
      r.set_compare_year(OtherYear(call.year));
      budget::v1::Summary out;
      return query_stub_->GetSummary(c, r, &out);
    };
    rpcs["GetDisclosureTable+wait"] = [this](grpc::ClientContext* c,
                                             const Call& call) {
      budget::v1::GetDisclosureTableRequest r;
      r.set_node_code(call.node);
      r.set_fiscal_year(call.year);
      r.set_table_id("01");
      r.mutable_read()->set_min_revision(call.next_revision);
      ShortDeadline(c);
      budget::v1::DisclosureTable out;
      return query_stub_->GetDisclosureTable(c, r, &out);
    };
    rpcs["Aggregate+wait"] = [this](grpc::ClientContext* c, const Call& call) {
      budget::v1::AggregateRequest r;
      r.set_node_code(call.node);
      r.set_fiscal_year(call.year);
      r.mutable_read()->set_min_revision(call.next_revision);
      ShortDeadline(c);
      budget::v1::AggregateResponse out;
      return query_stub_->Aggregate(c, r, &out);
    };
    rpcs["GetSummary+wait"] = [this](grpc::ClientContext* c, const Call& call) {
      budget::v1::GetSummaryRequest r;
      r.set_node_code(call.node);
      r.set_fiscal_year(call.year);
      r.mutable_read()->set_min_revision(call.next_revision);
      ShortDeadline(c);
      budget::v1::Summary out;
      return query_stub_->GetSummary(c, r, &out);
    };
    rpcs["ExportBudget+wait"] = [this](grpc::ClientContext* c,
                                       const Call& call) {
      budget::v1::ExportBudgetRequest r;
      r.set_node_code(call.node);
      r.set_fiscal_year(call.year);
      r.mutable_read()->set_min_revision(call.next_revision);
      ShortDeadline(c);
      auto reader = query_stub_->ExportBudget(c, r);
      budget::v1::ExportRecord record;
      while (reader->Read(&record)) {
      }
      return reader->Finish();
    };
    // Replays the fixture's own submission of the unit: the stored reply,
    // which lists the totals of the unit and all its ancestors, filtered
    // for the caller; a listed node the caller may not read fails the call
    // here as FAILED_PRECONDITION (no service answers that to a replay).
    rpcs["SubmitBudget+reply"] = [this](grpc::ClientContext* c,
                                        const Call& call) {
      budget::v1::SubmitBudgetRequest r;
      for (const e2e_testing::ReferenceBudget& file :
           e2e_testing::ReferenceBudgets(call.year)) {
        if (file.budget.unit_code() != call.node) continue;
        r.set_request_id(file.path);
        *r.mutable_budget() = file.budget;
      }
      budget::v1::SubmitBudgetResponse out;
      grpc::Status status = ingest_stub_->SubmitBudget(c, r, &out);
      if (!status.ok()) return status;
      if (!out.replayed() || out.totals().empty()) {
        return grpc::Status(grpc::StatusCode::INTERNAL, "not a replay");
      }
      for (const budget::v1::NodeTotals& totals : out.totals()) {
        if (totals.node_code() != call.node) {
          return grpc::Status(
              grpc::StatusCode::FAILED_PRECONDITION,
              "reply lists the totals of " + totals.node_code());
        }
      }
      return status;
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

const std::set<std::string> kQueryReads = {"GetDisclosureTable",
                                           "Aggregate",
                                           "GetSummary",
                                           "ListMembers",
                                           "Watch",
                                           "ExportBudget",
                                           "Aggregate+compare",
                                           "GetSummary+compare",
                                           "GetDisclosureTable+wait",
                                           "Aggregate+wait",
                                           "GetSummary+wait",
                                           "ExportBudget+wait"};
// Reads naming the unpublished year besides the published one.
const std::set<std::string> kCompareReads = {"Aggregate+compare",
                                             "GetSummary+compare"};
// Reads that wait for the next revision when allowed.
const std::set<std::string> kWaitingReads = {
    "GetDisclosureTable+wait", "Aggregate+wait", "GetSummary+wait",
    "ExportBudget+wait"};
const std::set<std::string> kSubmissionReads = {"ListUnits", "GetSubmission",
                                                "ListSubmissions"};
const std::set<std::string> kAudit = {"ListAuditRecords", "VerifyAuditTrail"};

// Allowed inside the scope, per principal (issue 8).
std::set<std::string> AllowedInside(const std::string& role) {
  std::set<std::string> allowed;
  if (role == "public" || role == "") {  // The published year only.
    for (const std::string& read : kQueryReads) {
      if (kCompareReads.count(read) == 0) allowed.insert(read);
    }
    return allowed;
  }
  allowed.insert(kQueryReads.begin(), kQueryReads.end());
  allowed.insert(kSubmissionReads.begin(), kSubmissionReads.end());
  // Not SubmitBudget+reply: 021001's reference budget states the overall
  // goal of its department, 021, outside submitter@021001's scope
  // (AGoalOutsideTheScopeIsRefused).
  if (role == "submitter") allowed.insert("SubmitBudget");
  if (role == "reviewer") {
    allowed.insert({"ReviewSubmission", "LockYear", "RegisterUnit"});
  }
  if (role == "auditor") allowed.insert(kAudit.begin(), kAudit.end());
  return allowed;
}

// Whether the caller's streams in use refused the call (StreamSlots).
bool StreamSlotsInUse(const grpc::Status& status) {
  return status.error_code() == grpc::StatusCode::RESOURCE_EXHAUSTED &&
         status.error_message().find("streaming already") != std::string::npos;
}

bool Refused(grpc::StatusCode code) {
  return code == grpc::StatusCode::PERMISSION_DENIED ||
         code == grpc::StatusCode::UNAUTHENTICATED;
}

TEST_F(AccessTableE2eTest, EveryRpcRoleAndScope) {
  // Inside: unit 021001 (the scope of submitter and reviewer), 2024, which
  // is locked. Outside: its sibling 021002, or for public readers the
  // unpublished 2023. Reads with a compare year name the other year too.
  const int64_t next_revision = loaded_revision() + 1;
  for (const std::string role :
       {"submitter", "reviewer", "auditor", "public", ""}) {
    bool reads_by_year = role == "public" || role == "";
    Call inside{2024, "021001", next_revision};
    Call outside = reads_by_year ? Call{2023, "021001", next_revision}
                                 : Call{2024, "021002", next_revision};
    std::set<std::string> allowed = AllowedInside(role);
    for (const auto& [method, rpc] : Rpcs()) {
      SCOPED_TRACE(method + " as '" + role + "'");
      bool in = allowed.count(method) > 0;
      // Auditors read everywhere.
      bool out = role == "auditor" && in;
      grpc::StatusCode refusal = role == "" && kQueryReads.count(method) == 0
                                     ? grpc::StatusCode::UNAUTHENTICATED
                                     : grpc::StatusCode::PERMISSION_DENIED;
      // A stream that ended at the client's deadline gives its slot back
      // when the server's timer or the cancellation reaches it, which can
      // be moments after the client moves on to its next call. This table
      // is about who may call, so such a call is made again; the stream
      // limits have their own tests (hostile_input_e2e_test). A slot never
      // given back still fails the check after two seconds.
      auto call_as = [&](const Call& call) {
        const auto give_up =
            std::chrono::steady_clock::now() + std::chrono::seconds(2);
        grpc::Status got = rpc(As(role).get(), call);
        while (StreamSlotsInUse(got) &&
               std::chrono::steady_clock::now() < give_up) {
          std::this_thread::sleep_for(std::chrono::milliseconds(20));
          got = rpc(As(role).get(), call);
        }
        return got;
      };
      grpc::Status got_in = call_as(inside);
      grpc::Status got_out = call_as(outside);
      // Allowed waits are waits; replays succeed with filtered totals.
      auto allowed_code = [&](const grpc::Status& got) {
        if (kWaitingReads.count(method) > 0) {
          EXPECT_EQ(got.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED)
              << got.error_message();
        } else if (method == "SubmitBudget+reply") {
          EXPECT_TRUE(got.ok()) << got.error_message();
        } else {
          EXPECT_FALSE(Refused(got.error_code())) << got.error_message();
        }
      };
      if (in) {
        allowed_code(got_in);
      } else {
        EXPECT_EQ(got_in.error_code(), refusal) << got_in.error_message();
      }
      if (out) {
        allowed_code(got_out);
      } else {
        EXPECT_EQ(got_out.error_code(), refusal) << got_out.error_message();
      }
    }
  }
}

// A caller with every node in scope still gets the whole path: the reply
// is filtered, not emptied.
TEST_F(AccessTableE2eTest, SubmitReplyKeepsEveryNodeTheCallerMayRead) {
  for (const e2e_testing::ReferenceBudget& file :
       e2e_testing::ReferenceBudgets(2024)) {
    if (file.budget.unit_code() != "021001") continue;
    budget::v1::SubmitBudgetRequest request;
    request.set_request_id(file.path);
    *request.mutable_budget() = file.budget;
    budget::v1::SubmitBudgetResponse response;
    ASSERT_TRUE(
        ingest_stub_->SubmitBudget(As("admin").get(), request, &response).ok());
    std::set<std::string> nodes;
    for (const budget::v1::NodeTotals& totals : response.totals()) {
      nodes.insert(totals.node_code());
    }
    EXPECT_EQ(nodes, (std::set<std::string>{"021001", "021"}));
  }
}

// Stating the overall goal of an ancestor submits for that ancestor: its
// table 12 publishes the goal.
TEST_F(AccessTableE2eTest, AGoalOutsideTheScopeIsRefused) {
  budget::v1::SubmitBudgetRequest request;
  for (const e2e_testing::ReferenceBudget& file :
       e2e_testing::ReferenceBudgets(2023)) {
    if (file.budget.unit_code() == "021001")
      *request.mutable_budget() = file.budget;
  }
  ASSERT_EQ(request.budget().unit_code(), "021001");
  request.set_request_id("goal-of-021");
  request.mutable_budget()->mutable_overall_goal()->set_scope_code("021");
  request.mutable_budget()->mutable_overall_goal()->set_annual_objective(
      "本部门年度目标被下属单位改写");
  budget::v1::SubmitBudgetResponse response;
  grpc::Status refused =
      ingest_stub_->SubmitBudget(As("submitter").get(), request, &response);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::PERMISSION_DENIED)
      << refused.error_message();

  // Its own goal is its to state; the reply keeps the totals it may read.
  request.set_request_id("goal-of-021001");
  request.mutable_budget()->mutable_overall_goal()->set_scope_code("021001");
  grpc::Status own =
      ingest_stub_->SubmitBudget(As("submitter").get(), request, &response);
  ASSERT_TRUE(own.ok()) << own.error_message();
  ASSERT_EQ(response.totals_size(), 1);
  EXPECT_EQ(response.totals(0).node_code(), "021001");
}

// Which unit holds a code is told only to a caller who may read that unit:
// reviewer@021001 registering a code its sibling holds is refused as for
// any node outside its scope.
TEST_F(AccessTableE2eTest, ATakenCodeOutsideTheScopeIsNotDescribed) {
  budget::v1::RegisterUnitRequest request;
  request.mutable_unit()->set_code("021002");
  request.mutable_unit()->set_name("探测单位");
  request.mutable_unit()->set_parent_code("021001");
  request.mutable_unit()->set_kind(budget::v1::UNIT_KIND_INSTITUTION);
  budget::v1::RegisterUnitResponse response;
  grpc::Status taken =
      ingest_stub_->RegisterUnit(As("reviewer").get(), request, &response);
  budget::v1::ListUnitsRequest list;
  list.set_root_code("021002");
  budget::v1::ListUnitsResponse listed;
  grpc::Status foreign =
      ingest_stub_->ListUnits(As("reviewer").get(), list, &listed);
  EXPECT_EQ(taken.error_code(), grpc::StatusCode::PERMISSION_DENIED)
      << taken.error_message();
  EXPECT_EQ(foreign.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(taken.error_message(), foreign.error_message());

  // Its own unit is named, for a caller who meant another code.
  request.mutable_unit()->set_code("021001");
  grpc::Status own =
      ingest_stub_->RegisterUnit(As("reviewer").get(), request, &response);
  EXPECT_EQ(own.error_code(), grpc::StatusCode::ALREADY_EXISTS);
  EXPECT_NE(own.error_message().find("already registered as"),
            std::string::npos)
      << own.error_message();
}

// A public reader of the published year gets no comparison with the
// unpublished prior year, which it may not read.
TEST_F(AccessTableE2eTest, PublicSummaryOmitsAnUnpublishedPriorYear) {
  budget::v1::GetSummaryRequest request;
  request.set_node_code("021");
  request.set_fiscal_year(2024);
  for (const std::string who : {"public", "", "auditor"}) {
    SCOPED_TRACE(who);
    budget::v1::Summary summary;
    ASSERT_TRUE(query_stub_->GetSummary(As(who).get(), request, &summary).ok());
    if (who == "auditor") {
      EXPECT_EQ(summary.compare_year(), 2023);
      EXPECT_TRUE(summary.has_income_change());
    } else {
      EXPECT_EQ(summary.compare_year(), 0);
      EXPECT_FALSE(summary.has_income_change());
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
    context.AddMetadata("authorization", "Bearer 00ff.token-nobody");
    EXPECT_EQ(rpc(&context, {2024, "021001"}).error_code(),
              grpc::StatusCode::UNAUTHENTICATED)
        << method;
  }
}

// Two authorization headers are refused, whichever comes first. (Before:
// the first was read, so a call carrying a portal's token and an office's
// was allowed or denied depending on their order.)
TEST_F(AccessTableE2eTest, TwoTokensAreUnauthenticated) {
  const auto rpcs = Rpcs();
  for (const auto& [first, second] :
       std::vector<std::pair<std::string, std::string>>{
           {"admin", "submitter"}, {"submitter", "admin"}}) {
    grpc::ClientContext context;
    context.AddMetadata("authorization", "Bearer " + TokenOf(first));
    context.AddMetadata("authorization", "Bearer " + TokenOf(second));
    EXPECT_EQ(rpcs.at("GetSummary")(&context, {2024, "021001"}).error_code(),
              grpc::StatusCode::UNAUTHENTICATED)
        << first << ", " << second;
  }
}

}  // namespace
}  // namespace security_test
