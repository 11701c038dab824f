// Encoding ingest: turns the bytes of a CSV source into validated UTF-8 before any parsing, so
// that every later stage (CSV reader, value parsers, workbook) sees one encoding only. The job
// declares legacy encodings per source; nothing is ever guessed from the bytes.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "model/diagnostic.h"

namespace cofin {

// Returns true when `bytes` is well-formed UTF-8 (Unicode Table 3-7: no overlong forms, no
// surrogates, nothing above U+10FFFF, no truncated sequence). NUL bytes are well-formed UTF-8;
// callers that refuse them check separately.
// On false, stores in *bad_offset (when not null) the offset of the first byte of the first
// ill-formed sequence.
bool is_valid_utf8(std::string_view bytes, std::size_t* bad_offset);

// Returns `bytes` decoded from `charset` into UTF-8, without a byte order mark, or nullopt after
// adding an error to `diags`:
//   READ-EMPTY     0 bytes, or only a BOM and whitespace;
//   READ-NUL       a NUL byte (its offset is given: a NUL means a binary or UTF-16 file);
//   READ-NONCHARACTER  U+FFFE or U+FFFF in UTF-8 (no XML document or workbook can hold them);
//   READ-ENCODING  a UTF-16/32 BOM, ill-formed UTF-8, a byte Windows-1257 leaves undefined, or
//                  an unsupported charset.
// `charset` is "utf-8" (also "" and "utf8") or "windows-1257" (also "cp1257"), case-insensitive.
// A Windows-1257 source that starts with a UTF-8 BOM is read as UTF-8: the BOM is the file's
// own, explicit declaration (Excel's "CSV UTF-8"), and the bytes must then be valid UTF-8.
// Diagnostics name `file` and the physical line of the offending byte (column 0).
std::optional<std::string> decode_to_utf8(const std::string& file, std::string_view bytes,
                                          std::string_view charset, Diagnostics& diags);

// Returns exactly the text decode_to_utf8 returns, with the same diagnostics, without copying a
// source that is UTF-8 already: the view then points into `bytes` (past any BOM); a
// Windows-1257 source is decoded into `storage` (its old content is replaced), and the view
// points there. Valid while `bytes` and `storage` are unchanged.
std::optional<std::string_view> decode_to_utf8_view(const std::string& file, std::string_view bytes,
                                                    std::string_view charset, Diagnostics& diags,
                                                    std::string& storage);

}  // namespace cofin
