// How a command-line client (budgetctl) reaches the services with the
// flags --token/--token-file, --tls-ca, --cert/--key and --insecure: the
// channel credentials, and the bearer token each call carries in the
// `authorization` metadata.
//
//   auth::ClientCredentialOptions options{...from flags...};
//   absl::StatusOr<auth::ClientCredentials> credentials =
//       auth::MakeClientCredentials(options);
//   auto channel = grpc::CreateChannel(address, credentials->channel);
//   grpc::ClientContext context;
//   credentials->Attach(context);
//
// The token is added per call rather than as grpc::CallCredentials because
// gRPC refuses call credentials on a plaintext (--insecure) channel.
//
// Values; thread-compatible.
#ifndef AUTH_CLIENT_CREDENTIALS_H_
#define AUTH_CLIENT_CREDENTIALS_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "grpcpp/client_context.h"
#include "grpcpp/security/credentials.h"

namespace auth {

struct ClientCredentialOptions {
  std::string token;       // --token: the bearer token itself.
  std::string token_file;  // --token-file: a file holding it (trimmed).
  std::string tls_ca;      // --tls-ca: PEM of the CA of the server's cert.
  std::string cert;        // --cert: PEM client certificate (mutual TLS).
  std::string key;         // --key: its PEM private key.
  bool insecure = false;   // --insecure: plaintext, for loopback servers.
};

struct ClientCredentials {
  std::shared_ptr<grpc::ChannelCredentials> channel;
  std::string token;  // Empty: no bearer token.

  // Adds "authorization: Bearer TOKEN" when there is a token.
  void Attach(grpc::ClientContext& context) const;
};

// INVALID_ARGUMENT for contradictory flags (--insecure with TLS files,
// --cert without --key, both --token and --token-file); NOT_FOUND for a
// file that cannot be read. Without --insecure the channel is TLS, using
// --tls-ca or the system roots.
absl::StatusOr<ClientCredentials> MakeClientCredentials(
    const ClientCredentialOptions& options);

}  // namespace auth

#endif  // AUTH_CLIENT_CREDENTIALS_H_
