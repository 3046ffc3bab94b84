// Strict UTF-8 validation (RFC 3629: no overlong forms, no surrogates,
// nothing above U+10FFFF), for text that arrives from files or the wire
// before anything else reads it; and a form of a value a reader can see
// whole, for messages that quote it.
//
// Pure functions; thread-safe.
#ifndef BUDGET_UTF8_H_
#define BUDGET_UTF8_H_

#include <cstddef>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace budget {

// The offset of the first byte of `text` that does not begin a valid UTF-8
// sequence, or absl::string_view::npos when all of `text` is valid.
size_t FirstInvalidUtf8(absl::string_view text);

// The longest prefix of `text` of at most `max_bytes` that does not cut a
// character in two, as a length: for clipping a value to show.
size_t Utf8PrefixLength(absl::string_view text, size_t max_bytes);

// `text` itself when it has at most `max_bytes`; else its longest prefix
// that fits (Utf8PrefixLength), marked and measured: "0210…(4096 bytes)".
std::string ClipText(absl::string_view text, size_t max_bytes);

// The offset of the first character of `text` that controls a terminal or
// the direction of text rather than being text: C0 controls (tab and line
// breaks included), DEL, C1 controls, the line and paragraph separators
// and the bidirectional embeddings, overrides and isolates; npos when there
// is none. Invalid UTF-8 is not looked at (FirstInvalidUtf8).
size_t FirstControlCharacter(absl::string_view text);

// `text` with every character a reader could not see or could mistake for
// another written as \u{XXXX}: control characters (C0, DEL, C1), spaces
// other than U+0020 (no-break, en/em, ideographic, ...), zero-width and
// direction marks, the soft hyphen and the byte-order mark. A byte that
// does not begin valid UTF-8 is written \x{XX}. A backslash is doubled, so
// that the form is unambiguous. Everything else, CJK included, is kept.
std::string VisibleText(absl::string_view text);

// Whether `text` shows anything: a character other than U+0020 and the
// ones VisibleText writes out (other spaces, zero-width and direction
// marks, controls). A name of only those would print blank, or as a
// blank-looking twin of another. Invalid UTF-8 counts as shown (it is
// refused elsewhere, FirstInvalidUtf8).
bool ShowsSomething(absl::string_view text);

// OK, or INVALID_ARGUMENT naming `what`, the text (VisibleText) and the
// byte of its first control character: for a text a caller sends that is
// printed later (names, comments, who submitted or reviewed).
absl::Status CheckNoControlCharacter(absl::string_view what,
                                     absl::string_view text);

}  // namespace budget

#endif  // BUDGET_UTF8_H_
