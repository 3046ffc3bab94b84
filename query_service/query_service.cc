#include "query_service/query_service.h"

#include <algorithm>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/functional/any_invocable.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "auth/budget_masking.h"
#include "auth/failure_limiter.h"
#include "budget/aggregation/aggregator.h"
#include "budget/cycle/stage.h"
#include "budget/tables/disclosure_tables.h"
#include "budget/tables/summary.h"
#include "query_service/aggregate_translation.h"
#include "query_service/parked_writer.h"
#include "query_service/queued_writer.h"
#include "query_service/raw_messages.h"
#include "server_common/call_log.h"
#include "server_common/server_runner.h"
#include "server_common/status_translation.h"
#include "server_common/unary_bytes.h"

namespace query {
namespace {

using budget::v1::ExportRecord;
using budget::v1::RevisionEvent;
using server_common::FinishUnary;
using server_common::Logged;

server_common::CallLog LogFor(absl::string_view method, absl::string_view node,
                              int32_t year) {
  server_common::CallLog log(method);
  log.set_unit(node);
  log.set_year(year);
  return log;
}

// Every catalog code of a classification at `level` (1 类, 2 款, 3 项).
void ListCodes(const budget::Catalog& catalog, budget::CodeSystem system,
               int level, budget::v1::Dimension dimension,
               budget::v1::ListMembersResponse* response) {
  std::vector<std::string> parents = {""};
  for (int depth = 1; depth <= level; ++depth) {
    std::vector<std::string> next;
    for (const std::string& parent : parents) {
      for (const budget::CatalogEntry* entry :
           catalog.Children(system, parent)) {
        next.push_back(entry->code);
        if (depth == level) {
          budget::v1::Member* member = response->add_members();
          member->set_dimension(dimension);
          member->set_value(entry->code);
          member->set_name(entry->name);
        }
      }
    }
    parents = std::move(next);
  }
}

// Members of an enum dimension: every value but UNSPECIFIED.
void ListEnum(const google::protobuf::EnumDescriptor& descriptor,
              budget::Dimension dimension, const budget::Catalog& catalog,
              budget::v1::ListMembersResponse* response) {
  std::string prefix = descriptor.value(0)->name();
  prefix.resize(prefix.size() - std::string("UNSPECIFIED").size());
  for (int i = 1; i < descriptor.value_count(); ++i) {
    std::string value = descriptor.value(i)->name().substr(prefix.size());
    budget::v1::Member* member = response->add_members();
    member->set_dimension(ToProto(dimension));
    member->set_name(budget::NameOf(dimension, value, {&catalog}));
    member->set_value(std::move(value));
  }
}

// Watch's writer: once the revision the request names is applied, checks
// the node and subscribes to the view's applied revisions, pushing those
// that change the node's totals; the subscription and the Watch slot end
// with the call.
class WatchWriter : public ParkedWriter<RevisionEvent> {
 public:
  // A client that stops reading is dropped once `max_backlog` events wait.
  WatchWriter(server_common::CallLog log, ConsolidatedView* view,
              size_t max_backlog, StreamSlots::Slot slot)
      : ParkedWriter(std::move(log), &view->waiters(), max_backlog),
        view_(view),
        slot_(std::move(slot)) {}
  ~WatchWriter() override {
    if (subscription_ != 0) view_->Unsubscribe(subscription_);
  }

  // Runs once after_revision is applied (ParkedWriter::StartAfter).
  void Subscribe(const budget::v1::WatchRequest& request) {
    // Only a caller allowed to watch the node learns that it does not
    // exist; without this the stream would stay open, silent, forever. A
    // node registered before after_revision is known by now.
    const bool known = view_->WithState(
        [&](const budget::Consolidator& consolidator, int64_t) {
          return consolidator.tree().Find(request.node_code()) != nullptr;
        });
    if (!known) {
      Close(grpc::Status(
          grpc::StatusCode::NOT_FOUND,
          absl::StrCat("node '", request.node_code(), "' is not registered")));
      return;
    }
    absl::StatusOr<int64_t> subscribed = view_->Subscribe(
        request.after_revision(),
        [this, node = request.node_code(),
         year = request.fiscal_year()](const AppliedRevision& applied) {
          if (year != 0 && applied.fiscal_year != year) return;
          for (const budget::v1::NodeTotals& totals : applied.path_totals) {
            if (totals.node_code() != node) continue;
            RevisionEvent event;
            event.set_revision(applied.revision);
            event.set_unit_code(applied.unit_code);
            event.set_fiscal_year(applied.fiscal_year);
            event.set_unit_revision(applied.unit_revision);
            event.set_stage(applied.stage);
            *event.mutable_totals() = totals;
            Push(event);
          }
        });
    if (subscribed.ok()) {
      subscription_ = *subscribed;
    } else {
      Close(server_common::ToGrpcStatus(subscribed.status()));
    }
  }

 private:
  ConsolidatedView* view_;
  int64_t subscription_ = 0;
  // Given back after the subscription ends (members outlive the destructor's
  // body), so the slots bound the subscriptions too.
  StreamSlots::Slot slot_;
};

// ExportBudget's writer: holds its export slot until the call ends.
class ExportWriter : public ParkedWriter<ExportRecord> {
 public:
  ExportWriter(server_common::CallLog log, RevisionWaiters* waiters,
               StreamSlots::Slot slot)
      : ParkedWriter(std::move(log), waiters), slot_(std::move(slot)) {}

 private:
  StreamSlots::Slot slot_;
};

// Whose share of a kind of stream's slots a call takes (StreamSlots). A
// name the caller proved (a token or a certificate in the principals file)
// is one caller wherever it connects from. Without one, the peer's address
// without its port stands for the caller: anonymous callers, and the local
// operator every caller is without a principals file (--insecure on
// loopback), have no name to tell them apart, and "anonymous" or the
// operator as one key would let one client take every slot from all the
// others, which is the defect the share is for. An address is what the
// access gate limits failed authentications and audits refusals by too;
// one client opening many connections from it is still one caller.
std::string StreamCaller(const server_common::AccessGate::Access& access,
                         const grpc::CallbackServerContext& context) {
  if (access.authenticated) return absl::StrCat("principal ", access.principal);
  return absl::StrCat("peer ", auth::PeerAddress(context.peer()));
}

// The export of a node and year, read in one consistent snapshot.
absl::StatusOr<std::vector<ExportRecord>> ExportRecords(
    const budget::Consolidator& consolidator, int64_t revision,
    const budget::v1::ExportBudgetRequest& request, int64_t max_lines) {
  const budget::UnitTree& tree = consolidator.tree();
  if (tree.Find(request.node_code()) == nullptr) {
    return absl::NotFoundError(
        absl::StrCat("node '", request.node_code(), "' is not registered"));
  }
  std::vector<budget::UnitTree::Visit> subtree =
      tree.Subtree(request.node_code());
  // Counted on the packed budgets before any is unpacked.
  int64_t lines = 0;
  for (const budget::UnitTree::Visit& visit : subtree) {
    if (std::shared_ptr<const budget::PackedBudget> packed =
            consolidator.Packed(visit.unit->code(), request.fiscal_year())) {
      lines += static_cast<int64_t>(packed->lines().size());
    }
  }
  if (lines > max_lines) {
    return absl::ResourceExhaustedError(absl::StrCat(
        "the export of ", request.node_code(), " ", request.fiscal_year(),
        " holds ", lines, " budget lines; at most ", max_lines,
        " (--max_export_lines): export the nodes below it one at a time"));
  }
  std::vector<ExportRecord> records;
  budget::v1::ExportTrailer trailer;
  for (const budget::UnitTree::Visit& visit : subtree) {
    *records.emplace_back().mutable_unit() = *visit.unit;
    trailer.set_unit_count(trailer.unit_count() + 1);
  }
  for (const budget::UnitTree::Visit& visit : subtree) {
    std::shared_ptr<const budget::v1::UnitBudget> budget =
        consolidator.Budget(visit.unit->code(), request.fiscal_year());
    if (budget == nullptr) continue;
    ExportRecord& record = records.emplace_back();
    *record.mutable_budget() = *budget;
    record.set_stage(budget::ReadStage(request.read().stage()));
    trailer.set_budget_count(trailer.budget_count() + 1);
    trailer.set_expenditure_line_count(trailer.expenditure_line_count() +
                                       budget->expenditures_size());
  }
  trailer.set_revision(revision);
  budget::v1::NodeTotals* totals = trailer.mutable_totals();
  totals->set_node_code(request.node_code());
  totals->set_fiscal_year(request.fiscal_year());
  totals->set_revision(revision);
  if (std::shared_ptr<const budget::NodeRollup> rollup =
          consolidator.Rollup(request.node_code(), request.fiscal_year())) {
    totals->set_income_fen(rollup->income_fen);
    totals->set_expenditure_fen(rollup->expenditure_fen);
  }
  *records.emplace_back().mutable_trailer() = std::move(trailer);
  return records;
}

// What the table builders need to answer for `node` and `year`.
budget::TableRequest TableRequestFor(const budget::Consolidator& consolidator,
                                     const budget::Catalog& catalog,
                                     const std::string& node, int32_t year,
                                     bool cleared) {
  budget::TableRequest table{&consolidator, &catalog, node, year};
  table.cleared = cleared;
  return table;
}

// What a cached answer was asked at `read.stage` (and, for a read of the
// past, the revision read): stages and past states of one node are cached
// side by side.
std::string AtStage(const budget::v1::ReadOptions& read, int64_t revision,
                    absl::string_view what) {
  return absl::StrCat(
      AsOfViews::AsksForPast(read) ? absl::StrCat("as of ", revision, " ") : "",
      budget::StageName(budget::ReadStage(read.stage())), " ", what);
}

// Answers held at once: a few tables of every department stay warm.
constexpr size_t kMaxCachedAnswers = 4096;

// The bytes of a built answer: a message, or bytes its builder wrote.
grpc::Slice AnswerBytes(const google::protobuf::MessageLite& answer) {
  return SerializeToSlice(answer);
}
grpc::Slice AnswerBytes(const std::string& serialized) {
  return grpc::Slice(serialized);
}

// Serves `key` from `cache`, or builds it with `build` (an Answer without
// its revision, or its serialized bytes) and caches it serialized; then
// sends it stamped with the revision read. Runs under the view's shared
// lock.
template <typename Answer, typename Build>
absl::Status ServeCached(AnswerCache& cache, const AnswerKey& key,
                         const budget::Consolidator& consolidator,
                         int64_t revision, Build build,
                         grpc::ByteBuffer* response) {
  const size_t registry_size = consolidator.tree().size();
  std::optional<grpc::Slice> answer = cache.Find(key, registry_size);
  if (!answer.has_value()) {
    auto built = build();
    if (!built.ok()) return built.status();
    answer = AnswerBytes(*built);
    cache.Insert(key, registry_size, *answer);
  }
  Answer stamp;
  stamp.set_revision(revision);
  SendStamped(*answer, stamp, response);
  return absl::OkStatus();
}

bool HasControlColumn(const budget::v1::AggregateRequest& request) {
  return std::any_of(request.compare_columns().begin(),
                     request.compare_columns().end(),
                     [](const budget::v1::CompareColumn& column) {
                       return column.control_figures();
                     });
}

}  // namespace

QueryService::QueryService(ConsolidatedView* view,
                           const budget::Catalog* catalog,
                           const server_common::AccessGate* gate,
                           size_t answer_cache_bytes,
                           absl::Duration max_read_wait, AsOfViews* as_of,
                           StreamLimits stream_limits)
    : view_(view),
      catalog_(catalog),
      gate_(gate),
      answers_(kMaxCachedAnswers, answer_cache_bytes),
      max_read_wait_(max_read_wait),
      as_of_(as_of),
      stream_limits_(stream_limits),
      export_slots_(stream_limits.max_exports,
                    stream_limits.max_exports_per_caller, kExportStreams),
      watch_slots_(stream_limits.max_watches,
                   stream_limits.max_watches_per_caller, kWatchStreams),
      stall_watch_(stream_limits.write_stall) {
  // After revision 0 (none) is never out of the replay log's range.
  drop_answers_subscription_ =
      *view_->Subscribe(0, [this](const AppliedRevision& applied) {
        for (const budget::v1::NodeTotals& node : applied.path_totals) {
          answers_.DropNode(node.node_code());
        }
      });
}

QueryService::~QueryService() {
  view_->Unsubscribe(drop_answers_subscription_);
}

server_common::AccessGate::Access QueryService::Check(
    const grpc::CallbackServerContext& context, auth::Method method,
    absl::string_view node, int32_t year, budget::v1::BudgetStage stage) const {
  if (!budget::v1::BudgetStage_IsValid(stage)) {
    server_common::AccessGate::Access refused;
    refused.status = grpc::Status(
        grpc::StatusCode::INVALID_ARGUMENT,
        absl::StrCat("read.stage: ", stage,
                     " given; expected PROPOSAL, SUBMISSION, APPROVED or "
                     "ADJUSTED"));
    return refused;
  }
  return gate_->Check(context, method, view_->TargetOf(node, year, stage),
                      {node, year});
}

grpc::Status QueryService::CheckCompareYear(
    const grpc::CallbackServerContext& context, auth::Method method,
    absl::string_view node, int32_t fiscal_year, int32_t compare_year,
    budget::v1::BudgetStage stage) const {
  if (compare_year == 0 || compare_year == fiscal_year) {
    return grpc::Status::OK;
  }
  return Check(context, method, node, compare_year, stage).status;
}

grpc::Status QueryService::StateFor(
    const grpc::CallbackServerContext& context, auth::Method method,
    absl::string_view node, const budget::v1::ReadOptions& read,
    std::vector<int32_t> years,
    std::shared_ptr<const ConsolidatedView>* state) const {
  if (!AsOfViews::AsksForPast(read)) {
    // The live view, not owned.
    *state = std::shared_ptr<const ConsolidatedView>(
        std::shared_ptr<const ConsolidatedView>(), view_);
    return grpc::Status::OK;
  }
  if (as_of_ == nullptr) {
    return grpc::Status(grpc::StatusCode::UNIMPLEMENTED,
                        "this service keeps no past states");
  }
  const std::vector<int32_t> checked = years;
  years.push_back(checked.front() - 1);  // A summary's implicit prior year.
  const int64_t applied =
      view_->WithState([](const auto&, int64_t revision) { return revision; });
  absl::StatusOr<std::shared_ptr<const ConsolidatedView>> past =
      as_of_->At(read, std::move(years), applied);
  if (!past.ok()) return server_common::ToGrpcStatus(past.status());
  // Admitted on the present; the past may publish less (a year locked
  // since).
  for (int32_t year : checked) {
    grpc::Status allowed =
        gate_
            ->Check(context, method,
                    (*past)->TargetOf(node, year, read.stage()), {node, year})
            .status;
    if (!allowed.ok()) return allowed;
  }
  *state = *std::move(past);
  return grpc::Status::OK;
}

absl::Time QueryService::WaitDeadline(
    const grpc::CallbackServerContext& context) const {
  return std::min(absl::FromChrono(context.deadline()),
                  absl::Now() + max_read_wait_);
}

grpc::ServerUnaryReactor* QueryService::AnswerAfter(
    grpc::CallbackServerContext* context, server_common::CallLog log,
    const budget::v1::ReadOptions& read, ParkedRead::Answer answer) {
  if (read.min_revision() <= 0) {
    return FinishUnary(context, log, std::move(answer)());
  }
  return ParkedRead::Start(&view_->waiters(), std::move(log),
                           read.min_revision(), WaitDeadline(*context),
                           std::move(answer));
}

grpc::ServerUnaryReactor* QueryService::GetDisclosureTable(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* raw_request,
    grpc::ByteBuffer* response) {
  budget::v1::GetDisclosureTableRequest request;
  grpc::Status parsed = ParseRequest(*raw_request, &request);
  server_common::CallLog log =
      LogFor("GetDisclosureTable", request.node_code(), request.fiscal_year());
  if (!parsed.ok()) return FinishUnary(context, log, parsed);
  server_common::AccessGate::Access access =
      Check(*context, auth::Method::kGetDisclosureTable, request.node_code(),
            request.fiscal_year(), request.read().stage());
  if (!access.status.ok()) return FinishUnary(context, log, access.status);
  const budget::v1::ReadOptions read = request.read();
  return AnswerAfter(
      context, std::move(log), read,
      [this, context, request = std::move(request), cleared = access.cleared,
       response]() {
        std::shared_ptr<const ConsolidatedView> state;
        grpc::Status at = StateFor(*context, auth::Method::kGetDisclosureTable,
                                   request.node_code(), request.read(),
                                   {request.fiscal_year()}, &state);
        if (!at.ok()) return at;
        absl::Status built = state->WithStage(
            request.read().stage(),
            [&](const budget::Consolidator& consolidator, int64_t revision) {
              budget::TableRequest table =
                  TableRequestFor(consolidator, *catalog_, request.node_code(),
                                  request.fiscal_year(), cleared);
              return ServeCached<budget::v1::DisclosureTable>(
                  answers_,
                  {table.node_code, table.fiscal_year,
                   AtStage(request.read(), revision, request.table_id()),
                   table.cleared},
                  consolidator, revision,
                  [&] {
                    return budget::BuildDisclosureTable(request.table_id(),
                                                        table);
                  },
                  response);
            });
        return server_common::ToGrpcStatus(built);
      });
}

grpc::ServerUnaryReactor* QueryService::Aggregate(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* raw_request,
    grpc::ByteBuffer* response) {
  budget::v1::AggregateRequest request;
  grpc::Status parsed = ParseRequest(*raw_request, &request);
  server_common::CallLog log =
      LogFor("Aggregate", request.node_code(), request.fiscal_year());
  if (!parsed.ok()) return FinishUnary(context, log, parsed);
  absl::StatusOr<budget::AggregateQuery> query = ToQuery(request);
  if (!query.ok()) {
    return FinishUnary(context, log,
                       server_common::ToGrpcStatus(query.status()));
  }
  server_common::AccessGate::Access access =
      Check(*context, auth::Method::kAggregate, request.node_code(),
            request.fiscal_year(), request.read().stage());
  if (!access.status.ok()) return FinishUnary(context, log, access.status);
  grpc::Status compare = CheckCompareYear(
      *context, auth::Method::kAggregate, request.node_code(),
      request.fiscal_year(), request.compare_year(), request.read().stage());
  if (!compare.ok()) return FinishUnary(context, log, compare);
  if (request.compare_stage() != budget::v1::BUDGET_STAGE_UNSPECIFIED) {
    compare = Check(*context, auth::Method::kAggregate, request.node_code(),
                    request.fiscal_year(), request.compare_stage())
                  .status;
    if (!compare.ok()) return FinishUnary(context, log, compare);
  }
  for (const budget::v1::CompareColumn& column : request.compare_columns()) {
    // Control figures are as private as proposals: never public.
    compare = Check(*context, auth::Method::kAggregate, request.node_code(),
                    request.fiscal_year(),
                    column.control_figures() ? budget::v1::BUDGET_STAGE_PROPOSAL
                                             : column.stage())
                  .status;
    if (!compare.ok()) return FinishUnary(context, log, compare);
  }
  query->cleared = access.cleared;
  const budget::v1::ReadOptions read = request.read();
  return AnswerAfter(
      context, std::move(log), read,
      [this, context, request = std::move(request), query = *std::move(query),
       response]() {
        std::shared_ptr<const ConsolidatedView> state;
        std::vector<int32_t> years = {request.fiscal_year()};
        if (request.compare_year() != 0)
          years.push_back(request.compare_year());
        grpc::Status at =
            StateFor(*context, auth::Method::kAggregate, request.node_code(),
                     request.read(), std::move(years), &state);
        if (!at.ok()) return at;
        // Everything the answer depends on but the node's state: the
        // request without its consistency options.
        budget::v1::AggregateRequest asked = request;
        asked.clear_read();
        std::string key = asked.SerializeAsString();
        absl::Status done = state->WithStage(
            request.read().stage(),
            [&](const budget::Consolidator& consolidator, int64_t revision) {
              if (HasControlColumn(request)) {
                absl::StrAppend(&key, " control@", state->ControlRevision());
              }
              return ServeCached<budget::v1::AggregateResponse>(
                  answers_,
                  {request.node_code(), request.fiscal_year(),
                   AtStage(request.read(), revision, key), query.cleared},
                  consolidator, revision,
                  [&]() -> absl::StatusOr<std::string> {
                    budget::AggregateQuery staged = query;
                    if (request.compare_stage() !=
                        budget::v1::BUDGET_STAGE_UNSPECIFIED) {
                      staged.compare_source =
                          &state->OtherStage(request.compare_stage());
                    }
                    staged.columns = ToColumns(
                        request,
                        [&](budget::v1::BudgetStage stage)
                            -> const budget::Consolidator& {
                          return state->OtherStage(stage);
                        },
                        [&](absl::string_view unit, int32_t year) {
                          return state->ControlOf(unit, year);
                        });
                    absl::StatusOr<budget::AggregateResult> result =
                        budget::Aggregate(consolidator, *catalog_, staged);
                    if (!result.ok()) return result.status();
                    return SerializePage(request, *result);
                  },
                  response);
            });
        return server_common::ToGrpcStatus(done);
      });
}

grpc::ServerUnaryReactor* QueryService::GetSummary(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* raw_request,
    grpc::ByteBuffer* response) {
  budget::v1::GetSummaryRequest request;
  grpc::Status parsed = ParseRequest(*raw_request, &request);
  server_common::CallLog log =
      LogFor("GetSummary", request.node_code(), request.fiscal_year());
  if (!parsed.ok()) return FinishUnary(context, log, parsed);
  server_common::AccessGate::Access access =
      Check(*context, auth::Method::kGetSummary, request.node_code(),
            request.fiscal_year(), request.read().stage());
  if (!access.status.ok()) return FinishUnary(context, log, access.status);
  int32_t compare_year = request.compare_year();
  if (compare_year != 0) {
    grpc::Status compare = CheckCompareYear(
        *context, auth::Method::kGetSummary, request.node_code(),
        request.fiscal_year(), compare_year, request.read().stage());
    if (!compare.ok()) return FinishUnary(context, log, compare);
  } else {
    // The implicit prior year is compared only when the caller could ask
    // for it: for a public reader, when it is locked too.
    compare_year = request.fiscal_year() - 1;
    if (!gate_->Permits(access, auth::Method::kGetSummary,
                        view_->TargetOf(request.node_code(), compare_year,
                                        request.read().stage()))) {
      compare_year = 0;
    }
  }
  const budget::v1::ReadOptions read = request.read();
  return AnswerAfter(
      context, std::move(log), read,
      [this, context, request = std::move(request), access, compare_year,
       response]() mutable {
        std::shared_ptr<const ConsolidatedView> state;
        std::vector<int32_t> years = {request.fiscal_year()};
        if (request.compare_year() != 0)
          years.push_back(request.compare_year());
        grpc::Status at =
            StateFor(*context, auth::Method::kGetSummary, request.node_code(),
                     request.read(), std::move(years), &state);
        if (!at.ok()) return at;
        // The implicit prior year of a past read: as published then.
        if (request.compare_year() == 0 && compare_year != 0 &&
            !gate_->Permits(access, auth::Method::kGetSummary,
                            state->TargetOf(request.node_code(), compare_year,
                                            request.read().stage()))) {
          compare_year = 0;
        }
        const bool cleared = access.cleared;
        absl::Status built = state->WithStage(
            request.read().stage(),
            [&](const budget::Consolidator& consolidator, int64_t revision) {
              budget::TableRequest table =
                  TableRequestFor(consolidator, *catalog_, request.node_code(),
                                  request.fiscal_year(), cleared);
              return ServeCached<budget::v1::Summary>(
                  answers_,
                  {table.node_code, table.fiscal_year,
                   AtStage(request.read(), revision,
                           absl::StrCat("summary ", compare_year)),
                   table.cleared},
                  consolidator, revision,
                  [&] { return budget::BuildSummary(table, compare_year); },
                  response);
            });
        return server_common::ToGrpcStatus(built);
      });
}

grpc::ServerUnaryReactor* QueryService::ListMembers(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* raw_request,
    grpc::ByteBuffer* response) {
  return server_common::ServeUnaryBytes<budget::v1::ListMembersRequest,
                                        budget::v1::ListMembersResponse>(
      context, *raw_request, response, "ListMembers",
      absl::GetFlag(FLAGS_max_request_messages),
      [this, context](const budget::v1::ListMembersRequest& request,
                      budget::v1::ListMembersResponse* members) {
        return DoListMembers(*context, request, members);
      });
}

grpc::Status QueryService::DoListMembers(
    const grpc::CallbackServerContext& context,
    const budget::v1::ListMembersRequest& request,
    budget::v1::ListMembersResponse* response) {
  server_common::CallLog log =
      LogFor("ListMembers", request.node_code(), request.fiscal_year());
  absl::StatusOr<budget::Dimension> dimension =
      ToDimension(request.dimension(), "dimension");
  if (!dimension.ok()) {
    return Logged(log, server_common::ToGrpcStatus(dimension.status()));
  }
  // Catalogs are public; members under a node are that node's figures. The
  // registry is no catalog: listed without a node, it showed public callers
  // every unit, those with nothing published included.
  if (request.node_code().empty() &&
      (*dimension == budget::Dimension::kUnit ||
       *dimension == budget::Dimension::kChild)) {
    return Logged(
        log,
        grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                     "node_code: empty given; expected a node: units are "
                     "listed under a node (ListUnits lists the registry)"));
  }
  server_common::AccessGate::Access access =
      request.node_code().empty()
          ? gate_->Check(context, auth::Method::kListMembers, {{}, true}, {})
          : Check(context, auth::Method::kListMembers, request.node_code(),
                  request.fiscal_year());
  if (!access.status.ok()) return Logged(log, access.status);
  absl::Status listed = view_->WithState([&](const budget::Consolidator&
                                                 consolidator,
                                             int64_t) -> absl::Status {
    if (!request.node_code().empty()) {
      budget::AggregateQuery query{request.node_code(), request.fiscal_year()};
      query.drilldown = {*dimension};
      query.cleared = access.cleared;
      absl::StatusOr<budget::AggregateResult> result =
          budget::Aggregate(consolidator, *catalog_, query);
      if (!result.ok()) return result.status();
      for (const budget::AggregateRow& row : result->rows) {
        if (row.residual) continue;
        budget::v1::Member* member = response->add_members();
        member->set_dimension(request.dimension());
        member->set_value(result->member(row, 0).value);
        member->set_name(result->member(row, 0).name);
      }
      return absl::OkStatus();
    }
    switch (*dimension) {
      case budget::Dimension::kFunctionClass:
      case budget::Dimension::kFunctionSection:
      case budget::Dimension::kFunctionItem:
        ListCodes(*catalog_, budget::CodeSystem::kFunction,
                  static_cast<int>(*dimension) -
                      static_cast<int>(budget::Dimension::kFunctionClass) + 1,
                  request.dimension(), response);
        return absl::OkStatus();
      case budget::Dimension::kDeptEconomicClass:
      case budget::Dimension::kDeptEconomicSection:
        ListCodes(*catalog_, budget::CodeSystem::kDeptEconomic,
                  *dimension == budget::Dimension::kDeptEconomicClass ? 1 : 2,
                  request.dimension(), response);
        return absl::OkStatus();
      case budget::Dimension::kGovEconomicClass:
      case budget::Dimension::kGovEconomicSection:
        ListCodes(*catalog_, budget::CodeSystem::kGovEconomic,
                  *dimension == budget::Dimension::kGovEconomicClass ? 1 : 2,
                  request.dimension(), response);
        return absl::OkStatus();
      case budget::Dimension::kFundingSource:
        ListEnum(*budget::v1::FundingSource_descriptor(), *dimension, *catalog_,
                 response);
        return absl::OkStatus();
      case budget::Dimension::kNature:
        ListEnum(*budget::v1::ExpenditureNature_descriptor(), *dimension,
                 *catalog_, response);
        return absl::OkStatus();
      case budget::Dimension::kProjectCategory:
        ListEnum(*budget::v1::ProjectCategory_descriptor(), *dimension,
                 *catalog_, response);
        return absl::OkStatus();
      case budget::Dimension::kUnit:  // Refused above.
      case budget::Dimension::kChild:
      case budget::Dimension::kProject:
        break;
    }
    return absl::InvalidArgumentError(
        "node_code: empty given; expected a node: projects have no catalog");
  });
  return Logged(log, server_common::ToGrpcStatus(listed));
}

grpc::ServerWriteReactor<grpc::ByteBuffer>* QueryService::Watch(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* raw_request) {
  budget::v1::WatchRequest request;
  grpc::Status parsed = ParseRequest(*raw_request, &request);
  server_common::CallLog log =
      LogFor("Watch", request.node_code(), request.fiscal_year());
  if (!parsed.ok()) return QueuedWriter<RevisionEvent>::Closed(log, parsed);
  server_common::AccessGate::Access access =
      Check(*context, auth::Method::kWatch, request.node_code(),
            request.fiscal_year());
  if (!access.status.ok()) {
    return QueuedWriter<RevisionEvent>::Closed(log, access.status);
  }
  if (request.after_revision() < 0) {
    return QueuedWriter<RevisionEvent>::Closed(
        log,
        grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                     absl::StrCat("after_revision: ", request.after_revision(),
                                  " given; expected 0 or more")));
  }
  // Taken before the wait for after_revision: a parked Watch holds a
  // waiter and a writer as an open one does.
  absl::StatusOr<StreamSlots::Slot> slot =
      watch_slots_.Take(StreamCaller(access, *context));
  if (!slot.ok()) {
    return QueuedWriter<RevisionEvent>::Closed(
        log, server_common::ToGrpcStatus(slot.status()));
  }
  auto* writer =
      new WatchWriter(std::move(log), view_, stream_limits_.max_watch_backlog,
                      *std::move(slot));
  writer->WatchForStalls(&stall_watch_, context);
  // A node registered moments ago, before a revision the caller names, may
  // not be applied yet: the writer waits for that revision before it looks.
  const int64_t after_revision = request.after_revision();
  writer->StartAfter(
      "after_revision", after_revision, WaitDeadline(*context),
      [request = std::move(request)](ParkedWriter<RevisionEvent>& parked) {
        static_cast<WatchWriter&>(parked).Subscribe(request);
      });
  return writer;
}

grpc::ServerWriteReactor<grpc::ByteBuffer>* QueryService::ExportBudget(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* raw_request) {
  budget::v1::ExportBudgetRequest request;
  grpc::Status parsed = ParseRequest(*raw_request, &request);
  server_common::CallLog log =
      LogFor("ExportBudget", request.node_code(), request.fiscal_year());
  if (!parsed.ok()) return QueuedWriter<ExportRecord>::Closed(log, parsed);
  server_common::AccessGate::Access access =
      Check(*context, auth::Method::kExportBudget, request.node_code(),
            request.fiscal_year(), request.read().stage());
  if (!access.status.ok()) {
    return QueuedWriter<ExportRecord>::Closed(log, access.status);
  }
  absl::StatusOr<StreamSlots::Slot> slot =
      export_slots_.Take(StreamCaller(access, *context));
  if (!slot.ok()) {
    return QueuedWriter<ExportRecord>::Closed(
        log, server_common::ToGrpcStatus(slot.status()));
  }
  auto* writer =
      new ExportWriter(std::move(log), &view_->waiters(), *std::move(slot));
  writer->WatchForStalls(&stall_watch_, context);
  const int64_t min_revision = request.read().min_revision();
  writer->StartAfter(
      "read.min_revision", min_revision, WaitDeadline(*context),
      [this, context, request = std::move(request),
       cleared = access.cleared](ParkedWriter<ExportRecord>& out) {
        out.Close([&]() -> grpc::Status {
          std::shared_ptr<const ConsolidatedView> state;
          grpc::Status at = StateFor(*context, auth::Method::kExportBudget,
                                     request.node_code(), request.read(),
                                     {request.fiscal_year()}, &state);
          if (!at.ok()) return at;
          absl::StatusOr<std::vector<ExportRecord>> records = state->WithStage(
              request.read().stage(),
              [&](const budget::Consolidator& consolidator, int64_t revision) {
                return ExportRecords(consolidator, revision, request,
                                     stream_limits_.max_export_lines);
              });
          if (!records.ok()) {
            return server_common::ToGrpcStatus(records.status());
          }
          for (ExportRecord& record : *records) {
            if (record.has_budget() && !cleared) {
              auth::MaskClassifiedProjects(*record.mutable_budget());
            }
            out.Push(record);
          }
          return grpc::Status::OK;
        }());
      });
  return writer;
}

}  // namespace query
