#include "budget/utf8.h"

#include <cstdint>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace budget {
namespace {

// Length of the valid sequence starting at `s[i]`, or 0.
size_t SequenceLength(absl::string_view s, size_t i) {
  const auto byte = [&s](size_t k) { return static_cast<uint8_t>(s[k]); };
  const uint8_t lead = byte(i);
  if (lead < 0x80) return 1;
  size_t length;
  uint8_t low = 0x80;  // Bounds of the second byte (RFC 3629, section 4).
  uint8_t high = 0xBF;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    if (lead == 0xE0) low = 0xA0;   // Overlong.
    if (lead == 0xED) high = 0x9F;  // Surrogates.
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    if (lead == 0xF0) low = 0x90;   // Overlong.
    if (lead == 0xF4) high = 0x8F;  // Beyond U+10FFFF.
  } else {
    return 0;
  }
  if (i + length > s.size()) return 0;
  if (byte(i + 1) < low || byte(i + 1) > high) return 0;
  for (size_t k = 2; k < length; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
  }
  return length;
}

// The code point of the valid sequence of `length` bytes at `s[i]`.
uint32_t CodePoint(absl::string_view s, size_t i, size_t length) {
  const auto byte = [&s](size_t k) { return static_cast<uint8_t>(s[k]); };
  if (length == 1) return byte(i);
  uint32_t point = byte(i) & (0xFF >> (length + 1));
  for (size_t k = 1; k < length; ++k)
    point = (point << 6) | (byte(i + k) & 0x3F);
  return point;
}

// Whether `point` is invisible, or a blank a reader takes for U+0020.
bool IsHidden(uint32_t point) {
  return point < 0x20 || (point >= 0x7F && point <= 0xA0) || point == 0xAD ||
         point == 0x034F || point == 0x061C || point == 0x115F ||
         point == 0x1160 || point == 0x1680 || point == 0x180E ||
         (point >= 0x2000 && point <= 0x200F) ||
         (point >= 0x2028 && point <= 0x202F) ||
         (point >= 0x205F && point <= 0x206F) || point == 0x3000 ||
         point == 0x3164 || (point >= 0xFE00 && point <= 0xFE0F) ||
         point == 0xFEFF || point == 0xFFA0 ||
         (point >= 0xFFF0 && point <= 0xFFFB) ||
         (point >= 0xE0000 && point <= 0xE0FFF);
}

// Whether `point` controls rather than reads (FirstControlCharacter).
bool IsControl(uint32_t point) {
  return point < 0x20 || (point >= 0x7F && point <= 0x9F) || point == 0x061C ||
         point == 0x200E || point == 0x200F || point == 0x2028 ||
         point == 0x2029 || (point >= 0x202A && point <= 0x202E) ||
         (point >= 0x2066 && point <= 0x2069);
}

}  // namespace

size_t Utf8PrefixLength(absl::string_view text, size_t max_bytes) {
  if (text.size() <= max_bytes) return text.size();
  size_t end = max_bytes;
  while (end > 0 && (static_cast<uint8_t>(text[end]) & 0xC0) == 0x80) --end;
  return end;
}

std::string ClipText(absl::string_view text, size_t max_bytes) {
  if (text.size() <= max_bytes) return std::string(text);
  return absl::StrCat(text.substr(0, Utf8PrefixLength(text, max_bytes)), "…(",
                      text.size(), " bytes)");
}

size_t FirstControlCharacter(absl::string_view text) {
  // Every control (IsControl) is encoded starting with one of these bytes,
  // and none of them is ever a continuation byte: so only they are decoded.
  // Run on every text of every budget, where decoding each character was 3 %
  // of the ingest service's CPU (docs/benchmarks.md, round 16).
  for (size_t i = 0; i < text.size(); ++i) {
    const uint8_t byte = static_cast<uint8_t>(text[i]);
    if (byte < 0x20 || byte == 0x7F) return i;
    if (byte != 0xC2 && byte != 0xD8 && byte != 0xE2) continue;
    const size_t length = SequenceLength(text, i);
    if (length != 0 && IsControl(CodePoint(text, i, length))) return i;
  }
  return absl::string_view::npos;
}

std::string VisibleText(absl::string_view text) {
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    const size_t length = SequenceLength(text, i);
    if (length == 0) {
      absl::StrAppendFormat(&out, "\\x{%02X}", static_cast<uint8_t>(text[i]));
      ++i;
      continue;
    }
    const uint32_t point = CodePoint(text, i, length);
    if (point == '\\') {
      out += "\\\\";
    } else if (IsHidden(point)) {
      absl::StrAppendFormat(&out, "\\u{%04X}", point);
    } else {
      out.append(text.data() + i, length);
    }
    i += length;
  }
  return out;
}

bool ShowsSomething(absl::string_view text) {
  size_t i = 0;
  while (i < text.size()) {
    const size_t length = SequenceLength(text, i);
    if (length == 0) return true;
    const uint32_t point = CodePoint(text, i, length);
    if (point != ' ' && !IsHidden(point)) return true;
    i += length;
  }
  return false;
}

size_t FirstInvalidUtf8(absl::string_view text) {
  size_t i = 0;
  while (i < text.size()) {
    const size_t length = SequenceLength(text, i);
    if (length == 0) return i;
    i += length;
  }
  return absl::string_view::npos;
}

absl::Status CheckNoControlCharacter(absl::string_view what,
                                     absl::string_view text) {
  const size_t at = FirstControlCharacter(text);
  if (at == absl::string_view::npos) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrCat(
      what, " \"", VisibleText(text), "\" holds a control character at byte ",
      at, "; expected printable text"));
}

}  // namespace budget
