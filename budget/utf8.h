// Strict UTF-8 validation (RFC 3629: no overlong forms, no surrogates,
// nothing above U+10FFFF), for text that arrives from files or the wire
// before anything else reads it.
//
// Pure functions; thread-safe.
#ifndef BUDGET_UTF8_H_
#define BUDGET_UTF8_H_

#include <cstddef>

#include "absl/strings/string_view.h"

namespace budget {

// The offset of the first byte of `text` that does not begin a valid UTF-8
// sequence, or absl::string_view::npos when all of `text` is valid.
size_t FirstInvalidUtf8(absl::string_view text);

}  // namespace budget

#endif  // BUDGET_UTF8_H_
