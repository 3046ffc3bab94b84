// hash_token: reads a token secret from stdin (one line) and prints the
// hash to write in the principals file after "token=", so that the secret
// itself is never stored. The bearer token clients present is
// "ID.SECRET", ID being the hash's salt (auth/token_hash.h): written to
// --token_out, else its ID is printed on stderr.
//
//   head -c 32 /dev/urandom | base64 > office.secret
//   hash_token --token_out=office.token < office.secret
//
// A secret hashed before tokens carried IDs keeps its hash: its bearer token
// is the hash's salt (third $-field), a dot, then the secret.
#include <sys/stat.h>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_format.h"
#include "auth/token_hash.h"

ABSL_FLAG(std::string, token_out, "",
          "File to write the bearer token ID.SECRET to (mode 0600); without "
          "it, the ID is printed on stderr");

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "hash_token [--token_out=FILE] < SECRET_FILE: prints the principals "
      "file's token=HASH value for the secret on stdin");
  absl::ParseCommandLine(argc, argv);
  std::string secret;
  std::getline(std::cin, secret);
  absl::StripAsciiWhitespace(&secret);
  if (secret.empty()) {
    absl::FPrintF(stderr, "hash_token: empty secret on stdin\n");
    return 1;
  }
  absl::StatusOr<std::string> hash = auth::HashToken(secret);
  if (!hash.ok()) {
    absl::FPrintF(stderr, "hash_token: %s\n", hash.status().ToString());
    return 1;
  }
  const std::string token_out = absl::GetFlag(FLAGS_token_out);
  if (token_out.empty()) {
    absl::FPrintF(stderr, "hash_token: bearer token: %s.<the secret>\n",
                  auth::TokenId(*hash));
  } else {
    const mode_t previous = umask(077);
    std::ofstream out(token_out, std::ios::trunc);
    umask(previous);
    out << auth::MintToken(*hash, secret) << "\n";
    if (!out.flush()) {
      absl::FPrintF(stderr, "hash_token: cannot write %s\n", token_out);
      return 1;
    }
  }
  absl::PrintF("%s\n", *hash);
  return 0;
}
