// UTF-16 -> UTF-8 for the text Xerces-C hands to cofin (XMLCh is char16_t in Xerces 3.2).
// Hand-written because Xerces' TranscodeToStr opens a new transcoder for every string (and
// transcodes the encoding's name through ICU's process-wide, mutex-guarded converter): that was
// 40% of the instructions of XML ingest (bench/RESULTS.md, issue #6).
//
// Well-formed UTF-16 (Unicode 15, §3.9 D91): a high surrogate (U+D800..U+DBFF) must be followed
// by a low surrogate (U+DC00..U+DFFF), a low surrogate must follow a high one. An unpaired
// surrogate is not text: it never becomes a character silently.
#pragma once

#include <string>
#include <string_view>

namespace cofin {

// Appends the UTF-8 encoding of `text` to `out` and returns true. Returns false, leaving `out`
// unchanged, when `text` holds an unpaired surrogate. U+0000 and the noncharacters are encoded
// like any other scalar value.
bool append_utf8(std::u16string_view text, std::string& out);

// Returns the UTF-8 encoding of `text`, each unpaired surrogate replaced by U+FFFD (visibly, as
// the replacement character). For text that must not fail, such as Xerces' own error messages
// and system ids quoted in diagnostics.
std::string utf8_replacing_invalid(std::u16string_view text);

}  // namespace cofin
