#include "ingest/utf16.h"

#include <cstddef>
#include <optional>

namespace cofin {
namespace {

constexpr bool is_high_surrogate(char16_t u) {
  return u >= 0xD800 && u <= 0xDBFF;
}
constexpr bool is_low_surrogate(char16_t u) {
  return u >= 0xDC00 && u <= 0xDFFF;
}

// Returns the length in UTF-8 of `text`, or nullopt at the first unpaired surrogate.
std::optional<std::size_t> utf8_length(std::u16string_view text) {
  std::size_t length = 0;
  for (std::size_t k = 0; k < text.size(); ++k) {
    const char16_t u = text[k];
    if (u < 0x80) {
      length += 1;
    } else if (u < 0x800) {
      length += 2;
    } else if (is_high_surrogate(u)) {
      if (k + 1 == text.size() || !is_low_surrogate(text[k + 1])) return std::nullopt;
      length += 4;
      ++k;
    } else if (is_low_surrogate(u)) {
      return std::nullopt;
    } else {
      length += 3;
    }
  }
  return length;
}

// Writes the UTF-8 encoding of the scalar value `c` at `p`; returns the position after it.
char* put(char* p, char32_t c) {
  if (c < 0x80) {
    *p++ = static_cast<char>(c);
  } else if (c < 0x800) {
    *p++ = static_cast<char>(0xC0 | (c >> 6));
    *p++ = static_cast<char>(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    *p++ = static_cast<char>(0xE0 | (c >> 12));
    *p++ = static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    *p++ = static_cast<char>(0x80 | (c & 0x3F));
  } else {
    *p++ = static_cast<char>(0xF0 | (c >> 18));
    *p++ = static_cast<char>(0x80 | ((c >> 12) & 0x3F));
    *p++ = static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    *p++ = static_cast<char>(0x80 | (c & 0x3F));
  }
  return p;
}

// Returns the scalar value of the surrogate pair (high, low).
constexpr char32_t combine(char16_t high, char16_t low) {
  return 0x10000 + ((static_cast<char32_t>(high) - 0xD800) << 10) +
         (static_cast<char32_t>(low) - 0xDC00);
}

// Copies every unit of `text` to `out` as a byte (one loop, which vectorises) and returns true
// when all of them were ASCII, so that the copy is the UTF-8 encoding.
bool copy_if_ascii(std::u16string_view text, char* out) {
  char16_t seen = 0;
  for (std::size_t k = 0; k < text.size(); ++k) {
    seen |= text[k];
    out[k] = static_cast<char>(text[k]);
  }
  return seen < 0x80;
}

// Writes the UTF-8 encoding of `text`, whose surrogates utf8_length found paired, at `out`;
// returns the position after it.
char* put_all(std::u16string_view text, char* p) {
  for (std::size_t k = 0; k < text.size(); ++k) {
    const char16_t u = text[k];
    if (u < 0x80) {
      *p++ = static_cast<char>(u);
    } else if (is_high_surrogate(u)) {
      p = put(p, combine(u, text[k + 1]));  // paired: utf8_length checked it
      ++k;
    } else {
      p = put(p, u);
    }
  }
  return p;
}

}  // namespace

bool append_utf8(std::u16string_view text, std::string& out) {
  // Most of a document is ASCII: copy it as bytes, and redo the text the long way only when a
  // unit was not ASCII.
  const std::size_t start = out.size();
  out.resize(start + text.size());
  if (copy_if_ascii(text, out.data() + start)) return true;
  out.resize(start);
  const std::optional<std::size_t> length = utf8_length(text);
  if (!length) return false;
  // Sized exactly, so short values stay in the string's own buffer (no allocation).
  out.resize(start + *length);
  put_all(text, out.data() + start);
  return true;
}

std::ptrdiff_t write_utf8(std::u16string_view text, char* out) {
  if (copy_if_ascii(text, out)) return static_cast<std::ptrdiff_t>(text.size());
  if (!utf8_length(text)) return -1;
  return put_all(text, out) - out;
}

std::string utf8_replacing_invalid(std::u16string_view text) {
  std::string out;
  if (append_utf8(text, out)) return out;
  out.reserve(text.size() * 3);
  char buffer[4];
  for (std::size_t k = 0; k < text.size(); ++k) {
    const char16_t u = text[k];
    char32_t c = u;
    if (is_high_surrogate(u) && k + 1 < text.size() && is_low_surrogate(text[k + 1])) {
      c = combine(u, text[++k]);
    } else if (is_high_surrogate(u) || is_low_surrogate(u)) {
      c = 0xFFFD;
    }
    out.append(buffer, put(buffer, c));
  }
  return out;
}

}  // namespace cofin
