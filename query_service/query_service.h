// The gRPC adapter of budget.v1.QueryService over a ConsolidatedView: waits
// for the revision a request names, translates requests into the domain's
// table, summary and aggregation calls under the view's shared lock, and
// their results and errors back. Built tables, summaries and aggregate pages
// are cached, serialized once, until a revision changes their node
// (answer_cache.h); every method takes raw bytes (raw_messages.h), while
// reflection still describes the real message types (it reads the
// descriptors, not the handlers). One log line per call.
// Each call is first checked with the AccessGate, for every year it reads
// (a compare year too); classified projects are masked for every reader the
// gate does not clear, in tables, aggregates and exports. Only then does a
// read wait for the revision it names, parked without a thread
// (parked_read.h), so that waiting reads cannot starve the others.
//
// Borrows the view, catalog and gate, which must outlive it. Thread-safe.
#ifndef QUERY_SERVICE_QUERY_SERVICE_H_
#define QUERY_SERVICE_QUERY_SERVICE_H_

#include "absl/time/time.h"
#include "budget/catalog/catalog.h"
#include "budget/v1/query_service.grpc.pb.h"
#include "query_service/answer_cache.h"
#include "query_service/as_of_views.h"
#include "query_service/consolidated_view.h"
#include "query_service/parked_read.h"
#include "query_service/stall_watch.h"
#include "query_service/stream_slots.h"
#include "server_common/access_gate.h"

namespace query {

// The generated service with every method taking raw bytes: the cached
// reads send answers serialized once, and every request is read with
// ParseRequest (raw_messages.h), so that bytes that do not parse are
// answered INVALID_ARGUMENT naming what is wrong (gRPC's typed methods
// answer UNIMPLEMENTED with no message).
using GeneratedQueryService = budget::v1::QueryService;
using QueryServiceBase =
    GeneratedQueryService::WithRawCallbackMethod_GetDisclosureTable<
        GeneratedQueryService::WithRawCallbackMethod_Aggregate<
            GeneratedQueryService::WithRawCallbackMethod_GetSummary<
                GeneratedQueryService::WithRawCallbackMethod_ListMembers<
                    GeneratedQueryService::WithRawCallbackMethod_Watch<
                        GeneratedQueryService::
                            WithRawCallbackMethod_ExportBudget<
                                GeneratedQueryService::Service>>>>>>;

// What the streaming reads may cost. An export is built whole before it
// streams and held until the client has read it, so both its size and how
// many stream at once, in all and for one caller, are bounded. A Watch
// queues events while its client does not read, so their number is
// bounded; and every applied revision is offered to every Watch, on the
// thread that applies it, so how many are open, in all and for one caller,
// is bounded too (gRPC bounds streams only per connection). RESOURCE_EXHAUSTED
// beyond any. A stream whose client takes no message for `write_stall` is
// cancelled (stall_watch.h), so that a client that stops reading cannot
// keep its slot or queue for as long as it stays connected.
struct StreamLimits {
  int max_exports = 8;
  int max_exports_per_caller = 2;
  int64_t max_export_lines = 2'000'000;
  // About 100 bytes an event.
  size_t max_watch_backlog = 10'000;
  // At their backlogs, 1,000 Watches hold about 1 GB.
  int max_watches = 1'000;
  int max_watches_per_caller = 64;
  // 0: a stream may wait for its client for as long as the call lasts.
  absl::Duration write_stall = absl::Seconds(30);
};

class QueryService : public QueryServiceBase {
 public:
  // Built answers are kept up to `answer_cache_bytes` (0: none kept). A
  // read waits for its min_revision at most `max_read_wait`. Reads of the
  // past are served from `as_of` (null: UNIMPLEMENTED), borrowed.
  QueryService(ConsolidatedView* view, const budget::Catalog* catalog,
               const server_common::AccessGate* gate, size_t answer_cache_bytes,
               absl::Duration max_read_wait, AsOfViews* as_of = nullptr,
               StreamLimits stream_limits = {});
  ~QueryService() override;

  // The answer cache's hits and misses since start (for metrics).
  AnswerCache::Lookups AnswerCacheLookups() const { return answers_.lookups(); }

  // GetDisclosureTableRequest in, DisclosureTable out.
  grpc::ServerUnaryReactor* GetDisclosureTable(
      grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
      grpc::ByteBuffer* response) override;
  // AggregateRequest in, AggregateResponse out.
  grpc::ServerUnaryReactor* Aggregate(grpc::CallbackServerContext* context,
                                      const grpc::ByteBuffer* request,
                                      grpc::ByteBuffer* response) override;
  // GetSummaryRequest in, Summary out.
  grpc::ServerUnaryReactor* GetSummary(grpc::CallbackServerContext* context,
                                       const grpc::ByteBuffer* request,
                                       grpc::ByteBuffer* response) override;
  // ListMembersRequest in, ListMembersResponse out.
  grpc::ServerUnaryReactor* ListMembers(grpc::CallbackServerContext* context,
                                        const grpc::ByteBuffer* request,
                                        grpc::ByteBuffer* response) override;
  // WatchRequest in, a stream of RevisionEvent out.
  grpc::ServerWriteReactor<grpc::ByteBuffer>* Watch(
      grpc::CallbackServerContext* context,
      const grpc::ByteBuffer* request) override;
  // ExportBudgetRequest in, a stream of ExportRecord out.
  grpc::ServerWriteReactor<grpc::ByteBuffer>* ExportBudget(
      grpc::CallbackServerContext* context,
      const grpc::ByteBuffer* request) override;

 private:
  // ListMembers on its parsed request; writes the call log line.
  grpc::Status DoListMembers(const grpc::CallbackServerContext& context,
                             const budget::v1::ListMembersRequest& request,
                             budget::v1::ListMembersResponse* response);

  // The gate's verdict on a read of `node` in `year` at `stage` (proposals
  // and submissions are never public).
  server_common::AccessGate::Access Check(
      const grpc::CallbackServerContext& context, auth::Method method,
      absl::string_view node, int32_t year,
      budget::v1::BudgetStage stage =
          budget::v1::BUDGET_STAGE_UNSPECIFIED) const;

  // The gate's verdict on a compare year a request names (0 or the fiscal
  // year itself: nothing more to check): every year a read touches passes
  // the same check.
  grpc::Status CheckCompareYear(const grpc::CallbackServerContext& context,
                                auth::Method method, absl::string_view node,
                                int32_t fiscal_year, int32_t compare_year,
                                budget::v1::BudgetStage stage) const;

  // Answers an admitted unary read with `answer` once read.min_revision is
  // applied: at once when it is, else parked until it is, the call's
  // deadline or max_read_wait_.
  grpc::ServerUnaryReactor* AnswerAfter(grpc::CallbackServerContext* context,
                                        server_common::CallLog log,
                                        const budget::v1::ReadOptions& read,
                                        ParkedRead::Answer answer);

  // Sets `*state` to what `read` reads of `node`: the live view, or the
  // past state its as_of fields name (as_of_views.h) holding `years` and
  // the year before the first. A past read, admitted on the present, is
  // checked again for each of `years` with the locks of then, so a public
  // caller reads only years published by then.
  grpc::Status StateFor(const grpc::CallbackServerContext& context,
                        auth::Method method, absl::string_view node,
                        const budget::v1::ReadOptions& read,
                        std::vector<int32_t> years,
                        std::shared_ptr<const ConsolidatedView>* state) const;

  // The call's deadline, or max_read_wait_ from now if sooner.
  absl::Time WaitDeadline(const grpc::CallbackServerContext& context) const;

  ConsolidatedView* view_;  // Watch subscribes.
  const budget::Catalog* catalog_;
  const server_common::AccessGate* gate_;
  AnswerCache answers_;
  const absl::Duration max_read_wait_;
  AsOfViews* const as_of_;
  const StreamLimits stream_limits_;
  // ExportBudget and Watch streams between their start and their end.
  StreamSlots export_slots_;
  StreamSlots watch_slots_;
  // Ends the streams whose client takes nothing; outlives every stream.
  StallWatch stall_watch_;
  int64_t drop_answers_subscription_ = 0;
};

}  // namespace query

#endif  // QUERY_SERVICE_QUERY_SERVICE_H_
