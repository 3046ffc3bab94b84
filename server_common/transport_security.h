// How a service listens: TLS (--tls_cert/--tls_key), mutual TLS
// (--client_ca: a client certificate is required and verified against that
// CA, expiry included), or plaintext only when asked for with --insecure,
// and then only on a loopback address unless --insecure_any_address is
// given too. Nothing is plaintext by default: a service started without
// TLS files and without --insecure refuses to start.
//
// Pure functions apart from reading the PEM files; thread-safe.
#ifndef SERVER_COMMON_TRANSPORT_SECURITY_H_
#define SERVER_COMMON_TRANSPORT_SECURITY_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "grpcpp/security/server_credentials.h"

namespace server_common {

struct TransportOptions {
  std::string tls_cert;   // PEM certificate chain of the server.
  std::string tls_key;    // Its PEM private key.
  std::string client_ca;  // PEM CA that client certificates must chain to.
  bool insecure = false;
  bool insecure_any_address = false;
};

// The options from the --tls_cert, --tls_key, --client_ca, --insecure and
// --insecure_any_address flags (defined in transport_security.cc).
TransportOptions TransportOptionsFromFlags();

// True for 127.0.0.0/8, ::1 and "localhost" (HOST of HOST:PORT).
bool IsLoopbackHost(absl::string_view host);

// INVALID_ARGUMENT, naming the flags, for every inconsistent combination;
// NOT_FOUND for a PEM file that cannot be read.
absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> MakeServerCredentials(
    const TransportOptions& options, absl::string_view listen);

}  // namespace server_common

#endif  // SERVER_COMMON_TRANSPORT_SECURITY_H_
