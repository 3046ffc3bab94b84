#include "server_common/transport_security.h"

#include <fstream>
#include <sstream>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"

ABSL_FLAG(std::string, tls_cert, "",
          "PEM certificate chain to serve TLS with (needs --tls_key)");
ABSL_FLAG(std::string, tls_key, "", "PEM private key of --tls_cert");
ABSL_FLAG(std::string, client_ca, "",
          "PEM CA: require and verify client certificates (mutual TLS)");
ABSL_FLAG(bool, insecure, false,
          "Serve plaintext, without TLS; only on a loopback address");
ABSL_FLAG(bool, insecure_any_address, false,
          "With --insecure, allow plaintext on a non-loopback address");

namespace server_common {
namespace {

absl::StatusOr<std::string> ReadPem(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read ", path));
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string HostOf(absl::string_view listen) {
  absl::string_view host = listen.substr(0, listen.rfind(':'));
  if (absl::ConsumePrefix(&host, "[")) absl::ConsumeSuffix(&host, "]");
  return std::string(host);
}

}  // namespace

TransportOptions TransportOptionsFromFlags() {
  return {absl::GetFlag(FLAGS_tls_cert), absl::GetFlag(FLAGS_tls_key),
          absl::GetFlag(FLAGS_client_ca), absl::GetFlag(FLAGS_insecure),
          absl::GetFlag(FLAGS_insecure_any_address)};
}

bool IsLoopbackHost(absl::string_view host) {
  return host == "localhost" || host == "::1" || absl::StartsWith(host, "127.");
}

absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> MakeServerCredentials(
    const TransportOptions& options, absl::string_view listen) {
  std::vector<std::string> errors;
  bool tls = !options.tls_cert.empty() || !options.tls_key.empty();
  if (tls && (options.tls_cert.empty() || options.tls_key.empty())) {
    errors.push_back("--tls_cert and --tls_key: one given; expected both");
  }
  if (tls && options.insecure) {
    errors.push_back("--insecure with --tls_cert: expected one or the other");
  }
  if (!tls && !options.client_ca.empty()) {
    errors.push_back("--client_ca without --tls_cert: expected TLS files");
  }
  if (!tls && !options.insecure) {
    errors.push_back(
        "no --tls_cert/--tls_key given; expected TLS files, or --insecure "
        "for plaintext on loopback");
  }
  if (options.insecure_any_address && !options.insecure) {
    errors.push_back("--insecure_any_address without --insecure");
  }
  if (options.insecure && !options.insecure_any_address &&
      !IsLoopbackHost(HostOf(listen))) {
    errors.push_back(absl::StrCat(
        "--insecure on ", listen,
        ": expected a loopback address (127.0.0.1, ::1, localhost) or "
        "--insecure_any_address"));
  }
  if (!errors.empty()) {
    return absl::InvalidArgumentError(absl::StrJoin(errors, "; "));
  }
  if (options.insecure) return grpc::InsecureServerCredentials();

  grpc::SslServerCredentialsOptions ssl(
      options.client_ca.empty()
          ? GRPC_SSL_DONT_REQUEST_CLIENT_CERTIFICATE
          : GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY);
  grpc::SslServerCredentialsOptions::PemKeyCertPair pair;
  absl::StatusOr<std::string> cert = ReadPem(options.tls_cert);
  if (!cert.ok()) return cert.status();
  absl::StatusOr<std::string> key = ReadPem(options.tls_key);
  if (!key.ok()) return key.status();
  pair.cert_chain = *std::move(cert);
  pair.private_key = *std::move(key);
  ssl.pem_key_cert_pairs.push_back(std::move(pair));
  if (!options.client_ca.empty()) {
    absl::StatusOr<std::string> ca = ReadPem(options.client_ca);
    if (!ca.ok()) return ca.status();
    ssl.pem_root_certs = *std::move(ca);
  }
  return grpc::SslServerCredentials(ssl);
}

}  // namespace server_common
