#include "budget/tables/display_width.h"

#include <cstdint>

namespace budget {
namespace {

// East Asian Wide and Fullwidth ranges that occur in budget documents.
bool IsWide(uint32_t cp) {
  return (cp >= 0x1100 && cp <= 0x115F) ||  // Hangul Jamo
         (cp >= 0x2E80 && cp <= 0x303E) ||  // CJK radicals, punctuation
         (cp >= 0x3041 && cp <= 0x33FF) ||  // Kana, CJK compatibility
         (cp >= 0x3400 && cp <= 0x4DBF) ||  // CJK extension A
         (cp >= 0x4E00 && cp <= 0x9FFF) ||  // CJK unified ideographs
         (cp >= 0xA960 && cp <= 0xA97F) ||  // Hangul Jamo extended A
         (cp >= 0xAC00 && cp <= 0xD7A3) ||  // Hangul syllables
         (cp >= 0xF900 && cp <= 0xFAFF) ||  // CJK compatibility ideographs
         (cp >= 0xFE30 && cp <= 0xFE4F) ||  // CJK compatibility forms
         (cp >= 0xFF00 && cp <= 0xFF60) ||  // Full-width forms
         (cp >= 0xFFE0 && cp <= 0xFFE6) ||  // Full-width signs
         (cp >= 0x20000 && cp <= 0x3FFFD);  // CJK extensions B and later
}

// Curly quotes “” and the ellipsis print wide in Chinese typesetting.
bool IsWidePunctuation(uint32_t cp) {
  return cp == 0x2018 || cp == 0x2019 || cp == 0x201C || cp == 0x201D ||
         cp == 0x2026 || cp == 0x2014;
}

}  // namespace

int DisplayWidth(absl::string_view text) {
  int width = 0;
  size_t i = 0;
  while (i < text.size()) {
    const unsigned char lead = text[i];
    int length = 1;
    uint32_t cp = lead;
    if (lead >= 0xF0 && lead <= 0xF4) {
      length = 4;
      cp = lead & 0x07;
    } else if (lead >= 0xE0) {
      length = 3;
      cp = lead & 0x0F;
    } else if (lead >= 0xC2 && lead < 0xE0) {
      length = 2;
      cp = lead & 0x1F;
    }
    if (i + length > text.size()) length = 1;
    bool valid = true;
    for (int k = 1; k < length; ++k) {
      const unsigned char next = text[i + k];
      if ((next & 0xC0) != 0x80) valid = false;
      cp = (cp << 6) | (next & 0x3F);
    }
    if (!valid) {
      length = 1;
      cp = lead;
    }
    width += (length > 1 && (IsWide(cp) || IsWidePunctuation(cp))) ? 2 : 1;
    i += length;
  }
  return width;
}

std::string PadRight(absl::string_view text, int width) {
  std::string out(text);
  const int missing = width - DisplayWidth(text);
  if (missing > 0) out.append(missing, ' ');
  return out;
}

std::string PadLeft(absl::string_view text, int width) {
  const int missing = width - DisplayWidth(text);
  std::string out(missing > 0 ? missing : 0, ' ');
  out.append(text.data(), text.size());
  return out;
}

}  // namespace budget
