// hash_token: reads a bearer token from stdin (one line) and prints the
// hash to write in the principals file after "token=", so that the token
// itself is never stored:
//
//   head -c 32 /dev/urandom | base64 > office.token
//   hash_token < office.token
#include <cstdio>
#include <iostream>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/str_format.h"
#include "auth/token_hash.h"

int main() {
  std::string token;
  std::getline(std::cin, token);
  absl::StripAsciiWhitespace(&token);
  if (token.empty()) {
    absl::FPrintF(stderr, "hash_token: empty token on stdin\n");
    return 1;
  }
  absl::StatusOr<std::string> hash = auth::HashToken(token);
  if (!hash.ok()) {
    absl::FPrintF(stderr, "hash_token: %s\n", hash.status().ToString());
    return 1;
  }
  absl::PrintF("%s\n", *hash);
  return 0;
}
