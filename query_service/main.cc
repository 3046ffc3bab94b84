// query_service: the gRPC server that answers reads over consolidated
// budgets. See query_service.h for the service and store_tailer.h for how
// it follows the store the ingest service writes.
//
//   query_service --listen=127.0.0.1:50052 --store=sqlite:./var/budget.db
//       --tls_cert=server.pem --tls_key=server.key --client_ca=ca.pem
//       --principals=principals.txt [--allow_anonymous_reads]
//   query_service --insecure ...   plaintext on loopback, for development
//
// Denied calls go to the store's audit trail. SIGHUP reloads the
// principals file.
// Opens the store read-only; when the file does not exist yet it serves
// (every node NOT_FOUND, revision 0) and waits for the ingest service to
// create it. Prints "listening on HOST:PORT" once bound. On SIGTERM or
// SIGINT: health NOT_SERVING, calls in flight get --shutdown_grace, open
// streams and reads still waiting for a revision are cancelled, exit 0.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_format.h"
#include "absl/time/time.h"
#include "bench/empty_service.h"
#include "budget/catalog/catalog.h"
#include "budget/v1/query_service.grpc.pb.h"
#include "query_service/allocator_tunables.h"
#include "query_service/consolidated_view.h"
#include "query_service/query_service.h"
#include "query_service/store_tailer.h"
#include "server_common/access_gate.h"
#include "server_common/audit_writer.h"
#include "server_common/descriptor_reflection_service.h"
#include "server_common/health_service.h"
#include "server_common/metrics.h"
#include "server_common/security_metrics.h"
#include "server_common/security_setup.h"
#include "server_common/served_catalog.h"
#include "server_common/served_protos.h"
#include "server_common/server_runner.h"
#include "server_common/service_usage.h"
#include "server_common/termination.h"
#include "storage/audit_trail.h"
#include "storage/open_store.h"

ABSL_FLAG(std::string, listen, "127.0.0.1:50052",
          "HOST:PORT to serve on; port 0 picks a free port");
ABSL_FLAG(std::string, store, "sqlite:./var/budget.db",
          "The ingest service's store, opened read-only: sqlite:PATH, or a "
          "PostgreSQL connection URI postgresql://USER@HOST:PORT/DB");
ABSL_FLAG(absl::Duration, poll_interval, absl::Milliseconds(20),
          "How often a SQLite store is checked for new revisions; a "
          "PostgreSQL store is followed by LISTEN/NOTIFY, read at most this "
          "often (a change after a quiet spell at once)");
ABSL_FLAG(bool, bench_empty_service, false,
          "Also serve budget.bench.v1.EmptyService, the benchmarks' baseline");
// Bounded so that large aggregate pages cannot crowd out the memory of the
// consolidated view itself.
ABSL_FLAG(int64_t, answer_cache_mb, 256,
          "Memory for built answers kept for repeated requests; 0 keeps none "
          "(every request is computed: what the benchmarks compare with SQL)");
// Reads naming a revision (ReadOptions.min_revision) wait without holding
// a thread, but each is a call held open: these bound how long, how far
// ahead and how many.
ABSL_FLAG(absl::Duration, max_read_wait, absl::Seconds(30),
          "Longest a read waits for its min_revision, whatever its deadline; "
          "DEADLINE_EXCEEDED beyond");
ABSL_FLAG(int64_t, max_revision_lead, 1000000,
          "A min_revision more than this many revisions ahead of the applied "
          "one is refused at once with OUT_OF_RANGE");
ABSL_FLAG(int64_t, max_waiting_reads, 10000,
          "Reads that may wait for a revision at once; RESOURCE_EXHAUSTED "
          "beyond");
ABSL_FLAG(int64_t, watch_replay_revisions,
          query::ConsolidatedView::kDefaultReplayRevisions,
          "Newest applied revisions kept for Watch to replay to a caller "
          "asking for those after an older one; older after_revision is "
          "refused OUT_OF_RANGE");
ABSL_FLAG(int32_t, max_as_of_builds, 2,
          "Reads as of a past revision or time (ReadOptions.as_of_*) that "
          "may read their past state from the store at once; more are "
          "refused RESOURCE_EXHAUSTED");
ABSL_FLAG(int64_t, as_of_cache_mb, 256,
          "Memory for past states kept for reads as of them (estimated), "
          "least recently used dropped first");
ABSL_FLAG(int64_t, max_as_of_lines, 5000000,
          "Budget lines a past state may hold; a read as of a past point "
          "needing more is refused RESOURCE_EXHAUSTED");
ABSL_FLAG(int32_t, max_export_streams, query::StreamLimits().max_exports,
          "ExportBudget streams that may run at once (each holds its export "
          "until the client has read it); RESOURCE_EXHAUSTED beyond");
ABSL_FLAG(int32_t, max_export_streams_per_caller,
          query::StreamLimits().max_exports_per_caller,
          "ExportBudget streams one caller may run at once, of "
          "--max_export_streams (a caller: the principal it proved, else its "
          "address without the port); RESOURCE_EXHAUSTED beyond");
ABSL_FLAG(int64_t, max_export_lines, query::StreamLimits().max_export_lines,
          "Budget lines one ExportBudget may hold; a larger export is "
          "refused RESOURCE_EXHAUSTED (export the nodes below it)");
ABSL_FLAG(int64_t, max_watch_backlog,
          static_cast<int64_t>(query::StreamLimits().max_watch_backlog),
          "Events a Watch may have queued for a client that does not read; "
          "past them the stream ends RESOURCE_EXHAUSTED");
ABSL_FLAG(int32_t, max_watch_streams, query::StreamLimits().max_watches,
          "Watch streams that may be open at once, parked ones included: "
          "every applied revision is offered to each of them on the thread "
          "that applies it, and each may queue --max_watch_backlog events "
          "(about 1 MB) for a client that does not read, so 1,000 hold up to "
          "about 1 GB; RESOURCE_EXHAUSTED beyond");
ABSL_FLAG(int32_t, max_watch_streams_per_caller,
          query::StreamLimits().max_watches_per_caller,
          "Watch streams one caller may have open at once, of "
          "--max_watch_streams (a caller: the principal it proved, else its "
          "address without the port), so that one caller cannot take every "
          "slot from the others while a dashboard can still follow a few "
          "dozen nodes; RESOURCE_EXHAUSTED beyond");
ABSL_FLAG(absl::Duration, stream_write_stall, query::StreamLimits().write_stall,
          "How long a message of an ExportBudget or Watch stream may wait for "
          "a client that does not read before the stream is cancelled "
          "(freeing its slot and queue); 0: as long as the call lasts");
ABSL_FLAG(absl::Duration, shutdown_grace, absl::Seconds(10),
          "How long calls in flight may run on after SIGTERM");

int main(int argc, char** argv) {
  query::RunWithAllocatorTunables(argv);  // May start the process again.
  // Before any thread exists, so that every thread inherits the mask.
  server_common::BlockTerminationSignals();
  server_common::SetServiceUsage(
      "query_service",
      "query_service: serves budget.v1.QueryService (reads over consolidated "
      "budgets); see query_service/README.md and auth/README.md");
  absl::ParseCommandLine(argc, argv);
  const std::string listen = absl::GetFlag(FLAGS_listen);
  absl::StatusOr<server_common::SecuritySetup> security =
      server_common::SecuritySetupFromFlags(listen);
  if (!security.ok()) {
    absl::FPrintF(stderr, "query_service: %s\n", security.status().ToString());
    return 1;
  }
  absl::StatusOr<const budget::Catalog*> catalog =
      server_common::ServedCatalog();
  if (!catalog.ok()) {
    absl::FPrintF(stderr, "query_service: %s\n", catalog.status().ToString());
    return 1;
  }

  if (absl::Status schema =
          storage::CheckStoreSchema(absl::GetFlag(FLAGS_store));
      !schema.ok()) {
    absl::FPrintF(stderr, "query_service: %s\n", schema.ToString());
    return 1;
  }

  server_common::Metrics metrics(absl::GetFlag(FLAGS_metrics_listen));
  server_common::SecurityMetrics security_metrics(metrics.registry());
  query::ConsolidatedView view(
      query::RevisionWaiters::Limits{
          std::max<int64_t>(absl::GetFlag(FLAGS_max_revision_lead), 0),
          static_cast<size_t>(
              std::max<int64_t>(absl::GetFlag(FLAGS_max_waiting_reads), 0))},
      static_cast<size_t>(
          std::max<int64_t>(absl::GetFlag(FLAGS_watch_replay_revisions), 0)));
  query::StoreTailer tailer(absl::GetFlag(FLAGS_store),
                            absl::GetFlag(FLAGS_poll_interval), &view);
  tailer.Start();

  // Queued, on PostgreSQL, for the ingest service to chain: this service's
  // role must hold no lock the writer waits for.
  server_common::AuditWriter audit(absl::GetFlag(FLAGS_store),
                                   storage::AuditAppender::kQuerier);
  server_common::AccessGate gate(
      security->registry.get(), security->policy,
      [&audit,
       &security_metrics](std::vector<budget::v1::AuditRecord> records) {
        for (budget::v1::AuditRecord& record : records) {
          security_metrics.AuditAppended(audit.Write(std::move(record)));
        }
      },
      security->failure_limits, security->refusal_limits);
  server_common::ExposeCountedRefusals(gate, metrics);
  query::AsOfViews as_of(
      absl::GetFlag(FLAGS_store),
      {std::max(absl::GetFlag(FLAGS_max_as_of_builds), 0),
       static_cast<size_t>(
           std::max<int64_t>(absl::GetFlag(FLAGS_as_of_cache_mb), 0))
           << 20,
       std::max<int64_t>(absl::GetFlag(FLAGS_max_as_of_lines), 0)});
  query::StreamLimits stream_limits;
  stream_limits.max_exports =
      std::max(absl::GetFlag(FLAGS_max_export_streams), 0);
  stream_limits.max_exports_per_caller =
      std::max(absl::GetFlag(FLAGS_max_export_streams_per_caller), 0);
  stream_limits.max_export_lines =
      std::max<int64_t>(absl::GetFlag(FLAGS_max_export_lines), 0);
  stream_limits.max_watch_backlog = static_cast<size_t>(
      std::max<int64_t>(absl::GetFlag(FLAGS_max_watch_backlog), 1));
  stream_limits.max_watches =
      std::max(absl::GetFlag(FLAGS_max_watch_streams), 0);
  stream_limits.max_watches_per_caller =
      std::max(absl::GetFlag(FLAGS_max_watch_streams_per_caller), 0);
  stream_limits.write_stall = absl::GetFlag(FLAGS_stream_write_stall);
  query::QueryService service(&view, *catalog, &gate,
                              static_cast<size_t>(std::max<int64_t>(
                                  absl::GetFlag(FLAGS_answer_cache_mb), 0))
                                  << 20,
                              absl::GetFlag(FLAGS_max_read_wait), &as_of,
                              stream_limits);
  metrics.AddGaugeFunction(
      "budget_consolidated_revision",
      "Consolidated revision this replica has applied and serves", [&view] {
        return static_cast<double>(view.WithState(
            [](const auto&, int64_t revision) { return revision; }));
      });
  metrics.AddGaugeFunction(
      "budget_replica_lag_revisions",
      "Consolidated revisions the store holds that this replica has not "
      "applied yet",
      [&tailer] { return static_cast<double>(tailer.Lag().revisions); });
  metrics.AddGaugeFunction(
      "budget_replica_lag_seconds",
      "How long the oldest revision not applied yet has been known to this "
      "replica; 0 when caught up",
      [&tailer] { return absl::ToDoubleSeconds(tailer.Lag().behind); });
  metrics.AddCounterFunction(
      "budget_replica_catch_ups_total",
      "Times this replica read the store because it may have changed (on "
      "PostgreSQL at most one per --poll_interval)",
      {}, [&tailer] {
        return std::vector<server_common::Metrics::Sample>{
            {{}, static_cast<double>(tailer.CatchUps())}};
      });
  metrics.AddCounterFunction(
      "budget_answer_cache_lookups_total",
      "Lookups of built answers (tables, summaries, aggregates), by result",
      {"result"}, [&service] {
        query::AnswerCache::Lookups lookups = service.AnswerCacheLookups();
        return std::vector<server_common::Metrics::Sample>{
            {{"hit"}, static_cast<double>(lookups.hits)},
            {{"miss"}, static_cast<double>(lookups.misses)}};
      });
  bench::EmptyService empty;
  bench::CallbackEmptyService callback_empty;
  bench::RawEmptyService raw_empty;
  std::vector<server_common::ServedService> served = {
      {budget::v1::QueryService::service_full_name(), &service}};
  if (absl::GetFlag(FLAGS_bench_empty_service)) {
    served.push_back(
        {budget::bench::v1::EmptyService::service_full_name(), &empty});
    served.push_back(
        {budget::bench::v1::CallbackEmptyService::service_full_name(),
         &callback_empty});
    served.push_back(
        {budget::bench::v1::RawEmptyService::service_full_name(), &raw_empty});
  }
  absl::StatusOr<const server_common::ServedProtos*> protos =
      server_common::ServedProtos::Embedded();
  if (!protos.ok()) {
    absl::FPrintF(stderr, "query_service: %s\n", protos.status().ToString());
    return 1;
  }
  server_common::DescriptorReflectionService reflection(*protos);
  server_common::HealthService health;
  absl::StatusOr<std::unique_ptr<grpc::Server>> server =
      server_common::StartServer(
          listen, security->credentials, served, health, reflection,
          server_common::CallMetricsInterceptors(metrics));
  if (!server.ok()) {
    absl::FPrintF(stderr, "query_service: %s\n", server.status().ToString());
    return 1;
  }
  if (absl::Status exposed = metrics.Expose(); !exposed.ok()) {
    absl::FPrintF(stderr, "query_service: %s\n", exposed.ToString());
    return 1;
  }

  int signal = server_common::WaitForTerminationSignal([&] {
    security_metrics.PrincipalsReloaded(
        server_common::ReloadPrincipals("query_service", *security->registry));
  });
  absl::FPrintF(stderr, "query_service: %s, shutting down\n",
                server_common::StopReason(signal));
  server_common::StopServer(**server, health,
                            absl::GetFlag(FLAGS_shutdown_grace));
  metrics.StopServing();
  server->reset();
  gate.Close();
  tailer.Stop();
  absl::FPrintF(stderr, "query_service: stopped\n");
  // Everything this replica holds is a copy of the store, and nothing is
  // pending once the server and the tailer have stopped (audit records are
  // written before the call they record is answered). So the loaded view is
  // not freed piece by piece: at L that took 8-10 s of CPU after the signal
  // and delayed every restart.
  std::fflush(nullptr);
  std::_Exit(server_common::StopExitCode());
}
