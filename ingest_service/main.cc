// ingest_service: the gRPC server that takes unit budgets. See
// ingest_service.h for the service and storage/README.md for the store.
//
//   ingest_service --listen=127.0.0.1:50051 --store=sqlite:./var/budget.db
//       --tls_cert=server.pem --tls_key=server.key --client_ca=ca.pem
//       --principals=principals.txt
//   ingest_service --insecure ...   plaintext on loopback, for development
//   ingest_service --store=postgresql://... --migrate   schema, then exit
//
// Also serves budget.v1.AuditService. SIGHUP reloads the principals file.
// Two ingest services may share one store: the one holding the store's
// writer lease writes, the other is a hot standby (health NOT_SERVING,
// calls UNAVAILABLE) that takes over when the lease becomes free
// (writer_role.h).
// Prints "listening on HOST:PORT" once bound. On SIGTERM or SIGINT: health
// NOT_SERVING, calls in flight get --shutdown_grace to finish, the store is
// closed, exit 0.
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_format.h"
#include "absl/time/time.h"
#include "bench/empty_service.h"
#include "budget/v1/audit_service.grpc.pb.h"
#include "budget/v1/ingest_service.grpc.pb.h"
#include "ingest_service/audit_queue_chainer.h"
#include "ingest_service/audit_service.h"
#include "ingest_service/ingest_metrics.h"
#include "ingest_service/ingest_service.h"
#include "ingest_service/ingestor.h"
#include "ingest_service/writer_role.h"
#include "server_common/access_gate.h"
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

ABSL_FLAG(std::string, listen, "127.0.0.1:50051",
          "HOST:PORT to serve on; port 0 picks a free port");
ABSL_FLAG(std::string, store, "sqlite:./var/budget.db",
          "Where budgets are stored: sqlite:PATH, or a PostgreSQL connection "
          "URI postgresql://USER@HOST:PORT/DB (password from PGPASSFILE)");
ABSL_FLAG(bool, migrate, false,
          "Bring the store's schema to this build's version, then exit; a "
          "PostgreSQL store must be migrated before the services start");
ABSL_FLAG(bool, strict, false,
          "Make fatal, for every submission, the warnings only a complete "
          "catalog and registry rule out (codes or crosswalk pairs missing "
          "from the catalogs, transfers without a registered counterpart)");
ABSL_FLAG(bool, bench_empty_service, false,
          "Also serve budget.bench.v1.EmptyService, the benchmarks' baseline");
ABSL_FLAG(absl::Duration, shutdown_grace, absl::Seconds(10),
          "How long calls in flight may run on after SIGTERM");
ABSL_FLAG(absl::Duration, standby_retry, absl::Milliseconds(500),
          "How often a standby (another ingest service holds the store's "
          "writer lease) tries to take the lease over");

ABSL_FLAG(absl::Duration, audit_chain_interval, absl::Seconds(1),
          "How often to chain the audit records the query services queued "
          "(PostgreSQL store; ListAudit and VerifyAuditTrail also chain "
          "them first)");

namespace {

int Fail(const absl::Status& status) {
  absl::FPrintF(stderr, "ingest_service: %s\n", status.ToString());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  // Before any thread exists, so that every thread inherits the mask.
  server_common::BlockTerminationSignals();
  server_common::SetServiceUsage(
      "ingest_service",
      "ingest_service: serves budget.v1.IngestService and AuditService (budget "
      "submissions, reviews, locks, audit trail); see auth/README.md");
  absl::ParseCommandLine(argc, argv);
  if (absl::GetFlag(FLAGS_migrate)) {
    absl::StatusOr<std::string> migrated =
        storage::MigrateStore(absl::GetFlag(FLAGS_store));
    if (!migrated.ok()) return Fail(migrated.status());
    absl::FPrintF(stderr, "ingest_service: %s\n", *migrated);
    return 0;
  }

  const std::string listen = absl::GetFlag(FLAGS_listen);
  absl::StatusOr<server_common::SecuritySetup> security =
      server_common::SecuritySetupFromFlags(listen);
  if (!security.ok()) return Fail(security.status());

  server_common::Metrics metrics(absl::GetFlag(FLAGS_metrics_listen));
  server_common::SecurityMetrics security_metrics(metrics.registry());
  ingest::IngestMetrics ingest_metrics(metrics.registry());

  absl::StatusOr<const budget::Catalog*> catalog =
      server_common::ServedCatalog();
  if (!catalog.ok()) return Fail(catalog.status());
  ingest::WriterRole role(absl::GetFlag(FLAGS_store),
                          {*catalog, absl::GetFlag(FLAGS_strict)},
                          absl::GetFlag(FLAGS_standby_retry));
  role.set_observer(&ingest_metrics);
  if (absl::Status status = role.TakeOverIfFree(); !status.ok()) {
    return Fail(status);
  }
  absl::StatusOr<std::unique_ptr<storage::AuditTrail>> trail =
      storage::AuditTrail::Open(absl::GetFlag(FLAGS_store));
  if (!trail.ok()) return Fail(trail.status());
  if (absl::GetFlag(FLAGS_audit_chain_interval) <= absl::ZeroDuration()) {
    return Fail(
        absl::InvalidArgumentError("--audit_chain_interval must be positive"));
  }
  ingest::AuditQueueChainer queue_chainer(
      trail->get(), absl::GetFlag(FLAGS_audit_chain_interval));
  metrics.AddGaugeFunction(
      "budget_ingest_writer",
      "1 while this ingest service is the store's writer, 0 while it "
      "stands by",
      [&role] { return role.Current().ok() ? 1.0 : 0.0; });
  metrics.AddGaugeFunction(
      "budget_consolidated_revision",
      "Latest consolidated revision this service stored durably (0 before "
      "it was ever the writer)",
      [&role] {
        std::shared_ptr<ingest::Ingestor> ingestor = role.Latest();
        return ingestor == nullptr
                   ? 0.0
                   : static_cast<double>(ingestor->ConsolidatedRevision());
      });

  server_common::AccessGate gate(
      security->registry.get(), security->policy,
      [audit = trail->get(),
       &security_metrics](std::vector<budget::v1::AuditRecord> records) {
        const size_t count = records.size();
        absl::Status s = audit->AppendAll(std::move(records));
        for (size_t i = 0; i < count; ++i) security_metrics.AuditAppended(s);
        if (!s.ok()) {
          absl::FPrintF(stderr, "ingest_service: audit: %s\n", s.ToString());
        }
      },
      security->failure_limits, security->refusal_limits);
  server_common::ExposeCountedRefusals(gate, metrics);
  gate.set_stored_counter([&security_metrics](size_t count) {
    for (size_t i = 0; i < count; ++i) {
      security_metrics.AuditAppended(absl::OkStatus());
    }
  });
  ingest::IngestService service(&role, &gate,
                                absl::GetFlag(FLAGS_max_request_messages));
  ingest::AuditService audit_service(trail->get(), &gate,
                                     absl::GetFlag(FLAGS_max_request_messages));
  bench::EmptyService empty;
  std::vector<server_common::ServedService> served = {
      {budget::v1::IngestService::service_full_name(), &service},
      {budget::v1::AuditService::service_full_name(), &audit_service}};
  if (absl::GetFlag(FLAGS_bench_empty_service)) {
    served.push_back(
        {budget::bench::v1::EmptyService::service_full_name(), &empty});
  }
  absl::StatusOr<const server_common::ServedProtos*> protos =
      server_common::ServedProtos::Embedded();
  if (!protos.ok()) return Fail(protos.status());
  server_common::DescriptorReflectionService reflection(*protos);
  server_common::HealthService health;
  absl::StatusOr<std::unique_ptr<grpc::Server>> server =
      server_common::StartServer(
          listen, security->credentials, served, health, reflection,
          server_common::CallMetricsInterceptors(metrics));
  if (!server.ok()) return Fail(server.status());
  role.Start([&health, &served](bool writer) {
    auto status = writer ? grpc::health::v1::HealthCheckResponse::SERVING
                         : grpc::health::v1::HealthCheckResponse::NOT_SERVING;
    health.SetServingStatus("", status);
    health.SetServingStatus(served.front().full_name, status);
  });
  if (absl::Status exposed = metrics.Expose(); !exposed.ok()) {
    return Fail(exposed);
  }

  int signal = server_common::WaitForTerminationSignal([&] {
    security_metrics.PrincipalsReloaded(
        server_common::ReloadPrincipals("ingest_service", *security->registry));
  });
  absl::FPrintF(stderr, "ingest_service: %s, shutting down\n",
                server_common::StopReason(signal));
  server_common::StopServer(**server, health,
                            absl::GetFlag(FLAGS_shutdown_grace));
  metrics.StopServing();
  server->reset();
  gate.Close();
  role.Stop();
  queue_chainer.Stop();
  trail->reset();
  absl::FPrintF(stderr, "ingest_service: stopped\n");
  return server_common::StopExitCode();
}
