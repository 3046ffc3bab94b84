// Fuzzes the principals file parser (auth/principals_file.h). Tokens are not
// looked up: a lookup costs a key derivation whose iteration count the file
// sets, which would measure PBKDF2 rather than the parser.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "auth/principals_file.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view text(reinterpret_cast<const char*>(data), size);
  absl::StatusOr<auth::Principals> principals =
      auth::ParsePrincipals(text, "fuzz.principals");
  if (!principals.ok()) return 0;
  for (const auth::Principal& principal : principals->all()) {
    (void)principals->FindByCertificate({principal.name});
  }
  return 0;
}
