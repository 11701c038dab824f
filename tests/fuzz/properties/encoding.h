// Properties of the encoding layer: is_valid_utf8 against an independent byte-at-a-time
// implementation of Unicode Table 3-7, and decode_to_utf8 for UTF-8 and Windows-1257.
#pragma once

#include <algorithm>
#include <cstddef>
#include <string>
#include <string_view>

#include "fuzz/properties/common.h"
#include "ingest/encoding.h"

namespace cofin::fuzz {

namespace detail {

// Returns the offset of the first byte of the first ill-formed UTF-8 sequence, or npos.
// Deliberately naive (no fast paths) so that it can judge the optimised validator.
inline std::size_t first_bad_utf8(std::string_view bytes) {
  const auto at = [&](std::size_t k) { return static_cast<unsigned char>(bytes[k]); };
  std::size_t i = 0;
  while (i < bytes.size()) {
    const unsigned char c = at(i);
    std::size_t len = 0;
    unsigned char lo = 0x80, hi = 0xBF;
    if (c < 0x80) {
      ++i;
      continue;
    } else if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
    } else if (c == 0xE0) {
      len = 3, lo = 0xA0;
    } else if (c >= 0xE1 && c <= 0xEC) {
      len = 3;
    } else if (c == 0xED) {
      len = 3, hi = 0x9F;
    } else if (c == 0xEE || c == 0xEF) {
      len = 3;
    } else if (c == 0xF0) {
      len = 4, lo = 0x90;
    } else if (c >= 0xF1 && c <= 0xF3) {
      len = 4;
    } else if (c == 0xF4) {
      len = 4, hi = 0x8F;
    } else {
      return i;
    }
    if (i + len > bytes.size()) return i;
    if (at(i + 1) < lo || at(i + 1) > hi) return i;
    for (std::size_t k = 2; k < len; ++k) {
      if (at(i + k) < 0x80 || at(i + k) > 0xBF) return i;
    }
    i += len;
  }
  return std::string_view::npos;
}

inline bool blank(std::string_view text) {
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; });
}

inline std::size_t ascii_count(std::string_view text) {
  return static_cast<std::size_t>(std::count_if(
      text.begin(), text.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; }));
}

}  // namespace detail

// Input: one selector byte (charset: utf-8, windows-1257), then the file's bytes.
inline Violation encoding(std::string_view input) {
  if (input.empty()) return {};
  const bool windows = (static_cast<unsigned char>(input[0]) & 1) != 0;
  const std::string_view bytes = input.substr(1);

  // The validator agrees with the reference on validity and on the offset.
  std::size_t bad = 12345;
  const bool valid = is_valid_utf8(bytes, &bad);
  const std::size_t expected_bad = detail::first_bad_utf8(bytes);
  if (valid != (expected_bad == std::string_view::npos)) {
    return valid ? "is_valid_utf8 accepted ill-formed UTF-8 at " + std::to_string(expected_bad)
                 : "is_valid_utf8 refused well-formed UTF-8";
  }
  if (!valid && bad != expected_bad) {
    return "is_valid_utf8 gave offset " + std::to_string(bad) + ", expected " +
           std::to_string(expected_bad);
  }

  Diagnostics diags;
  const auto decoded = decode_to_utf8("fuzz.csv", bytes, windows ? "windows-1257" : "utf-8", diags);
  if (auto v = check_diagnostics(diags, decoded.has_value()); !v.empty()) return v;
  if (!decoded) return {};
  const std::string& out = *decoded;
  if (!is_valid_utf8(out, nullptr)) return "decoded text is not valid UTF-8";
  if (out.find('\0') != std::string::npos) return "decoded text holds a NUL";
  if (out.find("\xEF\xBF\xBE") != std::string::npos ||
      out.find("\xEF\xBF\xBF") != std::string::npos) {
    return "decoded text holds U+FFFE or U+FFFF, which no workbook can hold";
  }
  if (detail::blank(out)) return "decoded text is blank but was accepted";
  const bool utf8_source = !windows || bytes.starts_with("\xEF\xBB\xBF");
  if (utf8_source) {
    // UTF-8 is passed through unchanged, less its BOM.
    const std::string_view body =
        bytes.starts_with("\xEF\xBB\xBF") ? bytes.substr(3) : bytes.substr(0);
    if (out != body) return "UTF-8 input changed on decoding";
  } else {
    // Windows-1257 keeps every ASCII byte and turns each other byte into one character.
    if (detail::ascii_count(out) != detail::ascii_count(bytes)) return "ASCII bytes changed";
    std::size_t chars = 0;
    for (unsigned char c : out) chars += (c & 0xC0) != 0x80;
    if (chars != bytes.size()) return "not one character per Windows-1257 byte";
  }
  return {};
}

}  // namespace cofin::fuzz
