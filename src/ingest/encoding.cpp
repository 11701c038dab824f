#include "ingest/encoding.h"

#include <algorithm>
#include <bit>
#include <cstdint>
#include <cstdio>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace cofin {
namespace {

// Windows-1257 (Baltic) bytes 0x80-0xFF as Unicode code points; 0 = undefined in the code page
// (0x81, 0x83, 0x88, 0x8A, 0x8C, 0x90, 0x98, 0x9A, 0x9C, 0x9F, 0xA1, 0xA5). Bytes below 0x80
// are ASCII. Checked against Python's cp1257 codec (the unicode.org mapping).
constexpr std::uint16_t kWindows1257[128] = {
    0x20AC, 0x0000, 0x201A, 0x0000, 0x201E, 0x2026, 0x2020, 0x2021,  // 0x80
    0x0000, 0x2030, 0x0000, 0x2039, 0x0000, 0x00A8, 0x02C7, 0x00B8,  // 0x88
    0x0000, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,  // 0x90
    0x0000, 0x2122, 0x0000, 0x203A, 0x0000, 0x00AF, 0x02DB, 0x0000,  // 0x98
    0x00A0, 0x0000, 0x00A2, 0x00A3, 0x00A4, 0x0000, 0x00A6, 0x00A7,  // 0xA0
    0x00D8, 0x00A9, 0x0156, 0x00AB, 0x00AC, 0x00AD, 0x00AE, 0x00C6,  // 0xA8
    0x00B0, 0x00B1, 0x00B2, 0x00B3, 0x00B4, 0x00B5, 0x00B6, 0x00B7,  // 0xB0
    0x00F8, 0x00B9, 0x0157, 0x00BB, 0x00BC, 0x00BD, 0x00BE, 0x00E6,  // 0xB8
    0x0104, 0x012E, 0x0100, 0x0106, 0x00C4, 0x00C5, 0x0118, 0x0112,  // 0xC0
    0x010C, 0x00C9, 0x0179, 0x0116, 0x0122, 0x0136, 0x012A, 0x013B,  // 0xC8
    0x0160, 0x0143, 0x0145, 0x00D3, 0x014C, 0x00D5, 0x00D6, 0x00D7,  // 0xD0
    0x0172, 0x0141, 0x015A, 0x016A, 0x00DC, 0x017B, 0x017D, 0x00DF,  // 0xD8
    0x0105, 0x012F, 0x0101, 0x0107, 0x00E4, 0x00E5, 0x0119, 0x0113,  // 0xE0
    0x010D, 0x00E9, 0x017A, 0x0117, 0x0123, 0x0137, 0x012B, 0x013C,  // 0xE8
    0x0161, 0x0144, 0x0146, 0x00F3, 0x014D, 0x00F5, 0x00F6, 0x00F7,  // 0xF0
    0x0173, 0x0142, 0x015B, 0x016B, 0x00FC, 0x017C, 0x017E, 0x02D9,  // 0xF8
};

constexpr std::uint64_t kHighBits = 0x8080808080808080ULL;

inline std::uint64_t load8(const unsigned char* p) {
  std::uint64_t w;
  std::memcpy(&w, p, sizeof w);
  return w;
}

// Returns the physical line (1-based) of byte `offset`.
int line_of(std::string_view bytes, std::size_t offset) {
  offset = std::min(offset, bytes.size());
  return 1 + static_cast<int>(
                 std::count(bytes.begin(), bytes.begin() + static_cast<long>(offset), '\n'));
}

std::string hex_byte(unsigned char c) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "0x%02X", c);
  return buf;
}

bool starts_with_bytes(std::string_view bytes, std::string_view prefix) {
  return bytes.size() >= prefix.size() && bytes.substr(0, prefix.size()) == prefix;
}

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

// Returns the name of the UTF-16/32 encoding whose BOM starts `bytes`, or empty. UTF-32 LE is
// tested before UTF-16 LE: its BOM begins with the UTF-16 LE one.
std::string_view wide_bom(std::string_view bytes) {
  using namespace std::string_view_literals;
  if (starts_with_bytes(bytes, "\xFF\xFE\x00\x00"sv)) return "UTF-32";
  if (starts_with_bytes(bytes, "\x00\x00\xFE\xFF"sv)) return "UTF-32";
  if (starts_with_bytes(bytes, "\xFF\xFE"sv)) return "UTF-16";
  if (starts_with_bytes(bytes, "\xFE\xFF"sv)) return "UTF-16";
  return {};
}

bool only_whitespace(std::string_view text) {
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; });
}

std::string lower_ascii(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// Adds READ-NUL for the NUL at byte `offset` of the file `whole`.
void report_nul(const std::string& file, std::string_view whole, std::size_t offset,
                Diagnostics& diags) {
  std::string message = "NUL byte at byte offset " + std::to_string(offset);
  // A NUL among the first bytes of a text file almost always means UTF-16 without a BOM.
  if (offset < 2)
    message += "; the file looks like UTF-16, which is not supported: save as CSV UTF-8";
  diags.error("READ-NUL", file, line_of(whole, offset), 0, "", std::move(message));
}

// Returns the length of the well-formed UTF-8 sequence at p[i] (lead byte c = p[i] >= 0x80),
// or 0 when it is ill-formed: Table 3-7 of the Unicode Standard (the lead byte fixes the length
// and the range of the second byte; later bytes are 80..BF). A NUL is never a continuation byte.
inline std::size_t utf8_sequence_length(const unsigned char* p, std::size_t i, std::size_t n) {
  const unsigned char c = p[i];
  std::size_t len;
  unsigned char lo = 0x80, hi = 0xBF;
  if (c >= 0xC2 && c <= 0xDF) {
    len = 2;
  } else if (c == 0xE0) {
    len = 3, lo = 0xA0;  // no overlong 3-byte forms
  } else if ((c >= 0xE1 && c <= 0xEC) || c == 0xEE || c == 0xEF) {
    len = 3;
  } else if (c == 0xED) {
    len = 3, hi = 0x9F;  // no UTF-16 surrogates
  } else if (c == 0xF0) {
    len = 4, lo = 0x90;  // no overlong 4-byte forms
  } else if (c >= 0xF1 && c <= 0xF3) {
    len = 4;
  } else if (c == 0xF4) {
    len = 4, hi = 0x8F;  // nothing above U+10FFFF
  } else {
    return 0;  // 80..C1 (continuation or overlong lead) and F5..FF
  }
  if (i + len > n || p[i + 1] < lo || p[i + 1] > hi) return 0;
  for (std::size_t k = 2; k < len; ++k) {
    if ((p[i + k] & 0xC0) != 0x80) return 0;
  }
  return len;
}

void append_utf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

// Returns the UTF-8 text of `bytes` (past any BOM), a view into `bytes`.
// What decode_utf8 refuses in a text, the first of it in the order it is reported: ill-formed
// UTF-8 before the first NUL, else that NUL, else the first noncharacter (U+FFFE, U+FFFF).
struct TextProblem {
  enum Kind { kNone, kIllFormed, kNul, kNoncharacter };
  Kind kind = kNone;
  std::size_t offset = 0;  // of the first byte of the ill-formed sequence, NUL or noncharacter
};

// Returns the first problem of `text` in one pass (the checks were a NUL scan, is_valid_utf8 and
// a search for noncharacters, three passes over every file): ASCII bytes other than NUL 16 at
// a time, other sequences as is_valid_utf8 reads them (Unicode Table 3-7).
TextProblem first_problem(std::string_view text) {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  std::size_t i = 0;
  std::size_t noncharacter = n;
  while (i < n) {
#if defined(__SSE2__)
    const __m128i zero = _mm_setzero_si128();
    // 64 bytes a step while they are all ASCII other than NUL (the unsigned minimum of bytes is
    // 0 only with a NUL), then 16 a step to the byte that stops them.
    while (i + 64 <= n) {
      const __m128i a = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
      const __m128i b = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i + 16));
      const __m128i c = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i + 32));
      const __m128i d = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i + 48));
      const __m128i any = _mm_or_si128(_mm_or_si128(a, b), _mm_or_si128(c, d));
      const __m128i least = _mm_min_epu8(_mm_min_epu8(a, b), _mm_min_epu8(c, d));
      if ((_mm_movemask_epi8(any) | _mm_movemask_epi8(_mm_cmpeq_epi8(least, zero))) != 0) break;
      i += 64;
    }
    while (i + 16 <= n) {
      const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
      // A high bit or a NUL stops the step at that byte.
      const auto stops = static_cast<unsigned>(_mm_movemask_epi8(bytes) |
                                               _mm_movemask_epi8(_mm_cmpeq_epi8(bytes, zero)));
      if (stops != 0) {
        i += static_cast<std::size_t>(std::countr_zero(stops));
        break;
      }
      i += 16;
    }
#endif
    while (i < n && p[i] != 0 && p[i] < 0x80) ++i;
    if (i >= n) break;
    const unsigned char c = p[i];
    if (c == 0) return {TextProblem::kNul, i};
    // A NUL is never a continuation byte: a sequence it cuts is ill-formed here, as it is in
    // the text before the NUL.
    const std::size_t len = utf8_sequence_length(p, i, n);
    if (len == 0) return {TextProblem::kIllFormed, i};
    // U+FFFE and U+FFFF are EF BF BE and EF BF BF.
    if (c == 0xEF && p[i + 1] == 0xBF && p[i + 2] >= 0xBE && noncharacter == n) noncharacter = i;
    i += len;
  }
  if (noncharacter != n) return {TextProblem::kNoncharacter, noncharacter};
  return {};
}

std::optional<std::string_view> decode_utf8(const std::string& file, std::string_view bytes,
                                            Diagnostics& diags) {
  if (std::string_view wide = wide_bom(bytes); !wide.empty()) {
    diags.error("READ-ENCODING", file, 1, 0, "",
                std::string(wide) + " is not supported; save as CSV UTF-8");
    return std::nullopt;
  }
  const std::size_t start = starts_with_bytes(bytes, kUtf8Bom) ? kUtf8Bom.size() : 0;
  const std::string_view body = bytes.substr(start);
  const TextProblem problem = first_problem(body);
  const std::size_t offset = start + problem.offset;
  switch (problem.kind) {
    case TextProblem::kNone:
      break;
    case TextProblem::kIllFormed:
      diags.error("READ-ENCODING", file, line_of(bytes, offset), 0, "",
                  "invalid UTF-8 at byte offset " + std::to_string(offset) + " (" +
                      hex_byte(static_cast<unsigned char>(bytes[offset])) +
                      "); if this is a Windows-1257 export, declare it in the job's <encoding>");
      return std::nullopt;
    case TextProblem::kNul:
      report_nul(file, bytes, offset, diags);
      return std::nullopt;
    case TextProblem::kNoncharacter:
      // U+FFFE and U+FFFF are well-formed UTF-8 but no characters: XML 1.0 (and so every
      // workbook sheet) cannot hold them, and Xerces refuses them in XML documents. A CSV must
      // not smuggle them into the workbook, which would be written corrupt.
      diags.error("READ-NONCHARACTER", file, line_of(bytes, offset), 0, "",
                  std::string(bytes[offset + 2] == '\xBE' ? "U+FFFE" : "U+FFFF") +
                      " at byte offset " + std::to_string(offset) +
                      " is not a character (a byte-swapped BOM or a broken export); no "
                      "workbook can hold it");
      return std::nullopt;
  }
  if (only_whitespace(body)) {
    diags.error("READ-EMPTY", file, 0, 0, "",
                bytes.empty() ? "the file is empty" : "the file holds no data");
    return std::nullopt;
  }
  return body;
}

// Decodes `bytes` into `out` (replacing its content); returns false after adding an error.
bool decode_windows_1257(const std::string& file, std::string_view bytes, Diagnostics& diags,
                         std::string& out) {
  out.clear();
  // Latvian text is mostly ASCII: one extra byte per diacritic is the usual growth.
  out.reserve(bytes.size() + bytes.size() / 8 + 16);
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  const std::size_t n = bytes.size();
  std::size_t i = 0;
  while (i < n) {
    // ASCII fast path: copy runs of bytes without the high bit, 8 at a time.
    std::size_t run = i;
    while (run + 8 <= n) {
      const std::uint64_t w = load8(p + run);
      // A NUL or a high byte ends the run (the zero-byte test is the classic haszero trick).
      if ((w & kHighBits) != 0 || ((w - 0x0101010101010101ULL) & ~w & kHighBits) != 0) break;
      run += 8;
    }
    while (run < n && p[run] != 0 && p[run] < 0x80) ++run;
    out.append(bytes.data() + i, run - i);
    i = run;
    if (i >= n) break;
    const unsigned char c = p[i];
    if (c == 0) {
      report_nul(file, bytes, i, diags);
      return false;
    }
    const std::uint16_t cp = kWindows1257[c - 0x80];
    if (cp == 0) {
      diags.error("READ-ENCODING", file, line_of(bytes, i), 0, "",
                  "byte " + hex_byte(c) + " at byte offset " + std::to_string(i) +
                      " is undefined in Windows-1257; check the job's <encoding> for this file");
      return false;
    }
    append_utf8(out, cp);
    ++i;
  }
  if (only_whitespace(out)) {
    diags.error("READ-EMPTY", file, 0, 0, "",
                bytes.empty() ? "the file is empty" : "the file holds no data");
    return false;
  }
  return true;
}

}  // namespace

bool is_valid_utf8(std::string_view bytes, std::size_t* bad_offset) {
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  const std::size_t n = bytes.size();
  std::size_t i = 0;
  auto fail = [&](std::size_t at) {
    if (bad_offset) *bad_offset = at;
    return false;
  };
  while (i < n) {
    // ASCII fast path, 16 then 8 bytes at a time.
    while (i + 16 <= n && ((load8(p + i) | load8(p + i + 8)) & kHighBits) == 0) i += 16;
    while (i + 8 <= n && (load8(p + i) & kHighBits) == 0) i += 8;
    while (i < n && p[i] < 0x80) ++i;
    if (i >= n) break;
    const std::size_t len = utf8_sequence_length(p, i, n);
    if (len == 0) return fail(i);
    i += len;
  }
  return true;
}

std::optional<std::string_view> decode_to_utf8_view(const std::string& file, std::string_view bytes,
                                                    std::string_view charset, Diagnostics& diags,
                                                    std::string& storage) {
  const std::string cs = lower_ascii(charset);
  if (cs.empty() || cs == "utf-8" || cs == "utf8") return decode_utf8(file, bytes, diags);
  if (cs == "windows-1257" || cs == "cp1257") {
    if (starts_with_bytes(bytes, kUtf8Bom)) return decode_utf8(file, bytes, diags);
    if (std::string_view wide = wide_bom(bytes); !wide.empty()) {
      diags.error("READ-ENCODING", file, 1, 0, "",
                  std::string(wide) + " is not supported; save as CSV UTF-8");
      return std::nullopt;
    }
    if (!decode_windows_1257(file, bytes, diags, storage)) return std::nullopt;
    return std::string_view(storage);
  }
  diags.error("READ-ENCODING", file, 0, 0, "",
              "encoding " + quote(charset) + " is not supported (use utf-8 or windows-1257)");
  return std::nullopt;
}

std::optional<std::string> decode_to_utf8(const std::string& file, std::string_view bytes,
                                          std::string_view charset, Diagnostics& diags) {
  std::string storage;
  const std::optional<std::string_view> text =
      decode_to_utf8_view(file, bytes, charset, diags, storage);
  if (!text) return std::nullopt;
  // A decoded legacy text is moved out; a UTF-8 one is copied from `bytes`.
  if (!storage.empty() && text->data() == storage.data()) return storage;
  return std::string(*text);
}

}  // namespace cofin
