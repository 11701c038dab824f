// UTF-16 -> UTF-8 for the text Xerces-C hands to cofin (XMLCh is char16_t in Xerces 3.2).
// Hand-written because Xerces' TranscodeToStr opens a new transcoder for every string (and
// transcodes the encoding's name through ICU's process-wide, mutex-guarded converter): that was
// 40% of the instructions of XML ingest (bench/RESULTS.md, issue #6).
//
// Well-formed UTF-16 (Unicode 15, §3.9 D91): a high surrogate (U+D800..U+DBFF) must be followed
// by a low surrogate (U+DC00..U+DFFF), a low surrogate must follow a high one. An unpaired
// surrogate is not text: it never becomes a character silently.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace cofin {

// Appends the UTF-8 encoding of `text` to `out` and returns true. Returns false, leaving `out`
// unchanged, when `text` holds an unpaired surrogate. U+0000 and the noncharacters are encoded
// like any other scalar value.
bool append_utf8(std::u16string_view text, std::string& out);

// The most bytes the UTF-8 encoding of `units` UTF-16 code units can take (a unit alone encodes
// to at most 3 bytes; a surrogate pair, two units, to 4).
inline constexpr std::size_t max_utf8_length(std::size_t units) {
  return 3 * units;
}

// Writes the UTF-8 encoding of `text` at `out` and returns the number of bytes written, or -1
// (with `out` left in an unspecified state) when `text` holds an unpaired surrogate. The same
// encoding as append_utf8, for callers that own their buffer (XmlDocument's arena).
// REQUIRES: `out` has room for max_utf8_length(text.size()) bytes.
std::ptrdiff_t write_utf8(std::u16string_view text, char* out);

// Returns the UTF-8 encoding of `text`, each unpaired surrogate replaced by U+FFFD (visibly, as
// the replacement character). For text that must not fail, such as Xerces' own error messages
// and system ids quoted in diagnostics.
std::string utf8_replacing_invalid(std::u16string_view text);

}  // namespace cofin
