#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>
#include <string>

#include "ingest/encoding.h"

using namespace cofin;

namespace {

std::string fixture(const std::string& name) {
  std::ifstream in(std::string(COFIN_SOURCE_DIR) + "/fixtures/csv/" + name, std::ios::binary);
  REQUIRE(in);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// Returns the one diagnostic of `diags`, formatted.
std::string only(const Diagnostics& diags) {
  REQUIRE(diags.items().size() == 1);
  return format_diagnostic(diags.items().front());
}

bool valid(std::string_view bytes) {
  std::size_t bad = 0;
  return is_valid_utf8(bytes, &bad);
}

}  // namespace

TEST_CASE("encoding utf-8 text passes and its BOM is stripped", "[encoding]") {
  Diagnostics diags;
  const auto text =
      decode_to_utf8("r.csv", "\xEF\xBB\xBFproject;partner\r\nR\xC4\xABga;1\r\n", "utf-8", diags);
  REQUIRE(text);
  CHECK(*text == "project;partner\r\nR\xC4\xABga;1\r\n");
  CHECK(diags.items().empty());
  // The charset name is case-insensitive and may be left out.
  CHECK(decode_to_utf8("r.csv", "a,b\n", "UTF-8", diags) == "a,b\n");
  CHECK(decode_to_utf8("r.csv", "a,b\n", "", diags) == "a,b\n");
  CHECK(diags.items().empty());
}

TEST_CASE("encoding windows-1257 bytes are rejected as utf-8 with offset and line", "[encoding]") {
  Diagnostics diags;
  // "Rīga" as Latvian Excel saves it without "CSV UTF-8": ī is 0xEE.
  CHECK_FALSE(decode_to_utf8("r.csv", "city,n\nR\xEEga,1\n", "utf-8", diags));
  CHECK(only(diags) ==
        "r.csv:2: error READ-ENCODING: invalid UTF-8 at byte offset 8 (0xEE); if this is a "
        "Windows-1257 export, declare it in the job's <encoding>");
}

TEST_CASE("encoding windows-1257 declared converts to utf-8", "[encoding]") {
  Diagnostics diags;
  const auto text = decode_to_utf8("r.csv", "city,n\nR\xEEga,1\n", "windows-1257", diags);
  REQUIRE(text);
  CHECK(*text == "city,n\nR\xC4\xABga,1\n");
  CHECK(diags.items().empty());
  // Upper and lower case Latvian letters, euro sign, en dash, no-break space.
  const auto latvian = decode_to_utf8("r.csv",
                                      "\xC2\xE2\xC8\xE8\xC7\xE7\xCC\xEC\xCE\xEE\xCD\xED\xCF\xEF\xD2"
                                      "\xF2\xD0\xF0\xDB\xFB\xDE\xFE \x80\x96\xA0",
                                      "cp1257", diags);
  REQUIRE(latvian);
  CHECK(*latvian == "ĀāČčĒēĢģĪīĶķĻļŅņŠšŪūŽž €–\xC2\xA0");
  CHECK(diags.items().empty());
}

TEST_CASE("encoding windows-1257 table covers every defined byte and refuses the undefined ones",
          "[encoding]") {
  const std::string undefined = "\x81\x83\x88\x8A\x8C\x90\x98\x9A\x9C\x9F\xA1\xA5";
  for (int b = 0x80; b <= 0xFF; ++b) {
    Diagnostics diags;
    const std::string byte(1, static_cast<char>(b));
    const auto text = decode_to_utf8("r.csv", "x" + byte, "windows-1257", diags);
    if (undefined.find(static_cast<char>(b)) != std::string::npos) {
      CHECK_FALSE(text);
      CHECK(diags.items().at(0).rule_id == "READ-ENCODING");
    } else {
      REQUIRE(text);
      CHECK(valid(*text));
      CHECK(text->size() >= 3);  // 'x' plus a 2- or 3-byte sequence
    }
  }
  Diagnostics diags;
  CHECK_FALSE(decode_to_utf8("r.csv", "a\nb\x98", "windows-1257", diags));
  CHECK(only(diags) ==
        "r.csv:2: error READ-ENCODING: byte 0x98 at byte offset 3 is undefined in Windows-1257; "
        "check the job's <encoding> for this file");
}

TEST_CASE("encoding a windows-1257 source with a utf-8 BOM is read as utf-8", "[encoding]") {
  Diagnostics diags;
  CHECK(decode_to_utf8("r.csv", "\xEF\xBB\xBFR\xC4\xABga\n", "windows-1257", diags) ==
        "R\xC4\xABga\n");
  CHECK(diags.items().empty());
}

TEST_CASE("encoding ill-formed utf-8 is refused", "[encoding]") {
  CHECK_FALSE(valid("\xC0\xAF"));          // overlong '/'
  CHECK_FALSE(valid("\xC1\xBF"));          // overlong
  CHECK_FALSE(valid("\xE0\x80\xAF"));      // overlong 3-byte
  CHECK_FALSE(valid("\xF0\x80\x80\xAF"));  // overlong 4-byte
  CHECK_FALSE(valid("\xED\xA0\x80"));      // surrogate U+D800
  CHECK_FALSE(valid("\xED\xBF\xBF"));      // surrogate U+DFFF
  CHECK_FALSE(valid("\xF4\x90\x80\x80"));  // U+110000
  CHECK_FALSE(valid("\xF5\x80\x80\x80"));
  CHECK_FALSE(valid("\xFF"));
  CHECK_FALSE(valid("\x80"));         // lone continuation
  CHECK_FALSE(valid("abc\xE2\x82"));  // truncated at the end
  CHECK_FALSE(valid("\xE2\x82x"));    // truncated in the middle
  CHECK_FALSE(valid("\xC4"));
  CHECK(valid(""));
  CHECK(valid("\xE2\x82\xAC"));      // €
  CHECK(valid("\xF0\x9D\x84\x9E"));  // U+1D11E
  CHECK(valid("\xF4\x8F\xBF\xBF"));  // U+10FFFF
  CHECK(valid("\xED\x9F\xBF"));      // U+D7FF
  CHECK(valid("\xEE\x80\x80"));      // U+E000
  CHECK(valid("R\xC4\xABga, \xC5\xA0iauliai, P\xC3\xA4rnu"));
}

TEST_CASE("encoding overlong utf-8 in a file gives its offset", "[encoding]") {
  Diagnostics diags;
  CHECK_FALSE(decode_to_utf8("r.csv", "ab\xC0\xAF", "utf-8", diags));
  CHECK(only(diags) ==
        "r.csv:1: error READ-ENCODING: invalid UTF-8 at byte offset 2 (0xC0); if this is a "
        "Windows-1257 export, declare it in the job's <encoding>");
}

TEST_CASE("encoding the ascii fast path finds a bad byte at any position", "[encoding]") {
  for (std::size_t at = 0; at < 70; ++at) {
    std::string text(80, 'a');
    text[at] = '\xE4';
    std::size_t bad = 999;
    CHECK_FALSE(is_valid_utf8(text, &bad));
    CHECK(bad == at);
  }
}

TEST_CASE("encoding utf-16 and utf-32 BOMs are refused", "[encoding]") {
  for (std::string bom : {std::string("\xFF\xFE", 2), std::string("\xFE\xFF", 2),
                          std::string("\xFF\xFE\x00\x00", 4)}) {
    Diagnostics diags;
    CHECK_FALSE(decode_to_utf8("r.csv", bom + std::string("a\0,\0b\0", 6), "utf-8", diags));
    REQUIRE(diags.items().size() == 1);
    CHECK(diags.items()[0].rule_id == "READ-ENCODING");
  }
  Diagnostics diags;
  CHECK_FALSE(decode_to_utf8("r.csv",
                             std::string("\xFF\xFE"
                                         "a\0",
                                         4),
                             "utf-8", diags));
  CHECK(only(diags) == "r.csv:1: error READ-ENCODING: UTF-16 is not supported; save as CSV UTF-8");
}

TEST_CASE("encoding a NUL byte is refused with its offset", "[encoding]") {
  Diagnostics diags;
  CHECK_FALSE(decode_to_utf8("r.csv", std::string("a,b\nc\0d\n", 8), "utf-8", diags));
  CHECK(only(diags) == "r.csv:2: error READ-NUL: NUL byte at byte offset 5");
  Diagnostics legacy;
  CHECK_FALSE(decode_to_utf8("r.csv", std::string("a,b\n\xEE\0\n", 7), "windows-1257", legacy));
  CHECK(only(legacy) == "r.csv:2: error READ-NUL: NUL byte at byte offset 5");
  Diagnostics wide;  // UTF-16 LE without BOM
  CHECK_FALSE(decode_to_utf8("r.csv", std::string("a\0,\0", 4), "utf-8", wide));
  CHECK(only(wide) ==
        "r.csv:1: error READ-NUL: NUL byte at byte offset 1; the file looks like UTF-16, which is "
        "not supported: save as CSV UTF-8");
}

TEST_CASE("encoding empty and BOM-only files are READ-EMPTY", "[encoding]") {
  for (std::string bytes : {std::string(), std::string("\xEF\xBB\xBF"),
                            std::string("\xEF\xBB\xBF\r\n"), std::string(" \n\n")}) {
    Diagnostics diags;
    CHECK_FALSE(decode_to_utf8("r.csv", bytes, "utf-8", diags));
    REQUIRE(diags.items().size() == 1);
    CHECK(diags.items()[0].rule_id == "READ-EMPTY");
  }
  Diagnostics diags;
  CHECK_FALSE(decode_to_utf8("r.csv", "", "windows-1257", diags));
  CHECK(only(diags) == "r.csv: error READ-EMPTY: the file is empty");
}

TEST_CASE("encoding an unsupported charset is refused", "[encoding]") {
  Diagnostics diags;
  CHECK_FALSE(decode_to_utf8("r.csv", "a,b\n", "iso-8859-13", diags));
  CHECK(only(diags) ==
        "r.csv: error READ-ENCODING: encoding 'iso-8859-13' is not supported (use utf-8 or "
        "windows-1257)");
}

TEST_CASE("encoding of the CSV fixtures", "[encoding]") {
  Diagnostics diags;
  CHECK_FALSE(decode_to_utf8("utf16-bom.csv", fixture("bad/utf16-bom.csv"), "utf-8", diags));
  CHECK_FALSE(decode_to_utf8("nul-byte.csv", fixture("bad/nul-byte.csv"), "utf-8", diags));
  CHECK_FALSE(
      decode_to_utf8("overlong-utf8.csv", fixture("bad/overlong-utf8.csv"), "utf-8", diags));
  CHECK_FALSE(decode_to_utf8("windows-1257-undeclared.csv",
                             fixture("bad/windows-1257-undeclared.csv"), "utf-8", diags));
  CHECK_FALSE(decode_to_utf8("empty.csv", fixture("bad/empty.csv"), "utf-8", diags));
  CHECK_FALSE(decode_to_utf8("bom-only.csv", fixture("bad/bom-only.csv"), "utf-8", diags));
  std::vector<std::string> lines;
  for (const auto& d : diags.items()) lines.push_back(format_diagnostic(d));
  CHECK(lines ==
        std::vector<std::string>{
            "utf16-bom.csv:1: error READ-ENCODING: UTF-16 is not supported; save as CSV UTF-8",
            "nul-byte.csv:4: error READ-NUL: NUL byte at byte offset 755",
            "overlong-utf8.csv:3: error READ-ENCODING: invalid UTF-8 at byte offset 491 "
            "(0xC0); if this is a Windows-1257 export, declare it in the job's <encoding>",
            "windows-1257-undeclared.csv:2: error READ-ENCODING: invalid UTF-8 at byte "
            "offset 328 (0xE2); if this is a Windows-1257 export, declare it in the "
            "job's <encoding>",
            "empty.csv: error READ-EMPTY: the file is empty",
            "bom-only.csv: error READ-EMPTY: the file holds no data",
        });
  // The Windows-1257 export decodes to exactly the bytes of the same report saved as CSV UTF-8.
  Diagnostics ok;
  const auto legacy =
      decode_to_utf8("w.csv", fixture("good/report-windows-1257.csv"), "windows-1257", ok);
  const auto utf8 = decode_to_utf8("u.csv", fixture("good/report-semicolon-lv.csv"), "utf-8", ok);
  REQUIRE(legacy);
  REQUIRE(utf8);
  CHECK(*legacy == *utf8);
  CHECK(ok.items().empty());
}
