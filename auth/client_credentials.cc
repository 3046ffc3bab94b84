#include "auth/client_credentials.h"

#include <fstream>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace auth {
namespace {

absl::StatusOr<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read ", path));
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

void ClientCredentials::Attach(grpc::ClientContext& context) const {
  if (!token.empty()) context.AddMetadata("authorization", "Bearer " + token);
}

absl::StatusOr<ClientCredentials> MakeClientCredentials(
    const ClientCredentialOptions& options) {
  ClientCredentials credentials;
  if (!options.token.empty() && !options.token_file.empty()) {
    return absl::InvalidArgumentError(
        "--token and --token-file: both given; expected at most one");
  }
  credentials.token = options.token;
  if (!options.token_file.empty()) {
    absl::StatusOr<std::string> token = ReadFile(options.token_file);
    if (!token.ok()) return token.status();
    credentials.token = std::string(absl::StripAsciiWhitespace(*token));
  }
  if (options.cert.empty() != options.key.empty()) {
    return absl::InvalidArgumentError(
        "--cert and --key: one given; expected both or neither");
  }
  if (options.insecure) {
    if (!options.tls_ca.empty() || !options.cert.empty()) {
      return absl::InvalidArgumentError(
          "--insecure with --tls-ca/--cert: expected TLS files or "
          "--insecure, not both");
    }
    credentials.channel = grpc::InsecureChannelCredentials();
    return credentials;
  }
  grpc::SslCredentialsOptions ssl;
  for (auto [path, pem] : {std::pair{&options.tls_ca, &ssl.pem_root_certs},
                           std::pair{&options.cert, &ssl.pem_cert_chain},
                           std::pair{&options.key, &ssl.pem_private_key}}) {
    if (path->empty()) continue;
    absl::StatusOr<std::string> text = ReadFile(*path);
    if (!text.ok()) return text.status();
    *pem = *std::move(text);
  }
  credentials.channel = grpc::SslCredentials(ssl);
  return credentials;
}

}  // namespace auth
