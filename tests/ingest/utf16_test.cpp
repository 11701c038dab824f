// The hand-written UTF-16 -> UTF-8 conversion (src/ingest/utf16.h) that replaced Xerces'
// TranscodeToStr in the XML reader: same bytes on well-formed text, and no unpaired surrogate
// ever becomes text.
#include <catch2/catch.hpp>
#include <string>
#include <xercesc/util/TransService.hpp>
#include <xercesc/util/XMLException.hpp>

#include "ingest/utf16.h"
#include "ingest/xml_parser.h"

using namespace cofin;

namespace {

std::string converted(std::u16string_view text) {
  std::string out;
  REQUIRE(append_utf8(text, out));
  return out;
}

// Returns what Xerces-C 3.2.4's own UTF-8 transcoder makes of `text` (the conversion cofin used
// before), or nullopt when it throws.
std::optional<std::string> xerces_utf8(std::u16string_view text) {
  try {
    xercesc::TranscodeToStr out(text.data(), text.size(), "UTF-8");
    return std::string(reinterpret_cast<const char*>(out.str()), out.length());
  } catch (const xercesc::XMLException&) {
    return std::nullopt;
  }
}

}  // namespace

TEST_CASE("utf16 to utf8 encodes each length of sequence at its boundaries", "[utf16]") {
  CHECK(converted(u"") == "");
  CHECK(converted(u"abc") == "abc");
  CHECK(converted(std::u16string(1, u'\0')) == std::string(1, '\0'));
  CHECK(converted(u"\u007F") == "\x7F");
  CHECK(converted(u"\u0080") == "\xC2\x80");
  CHECK(converted(u"\u0101") == "\xC4\x81");  // ā
  CHECK(converted(u"\u07FF") == "\xDF\xBF");
  CHECK(converted(u"\u0800") == "\xE0\xA0\x80");
  CHECK(converted(u"\u20AC") == "\xE2\x82\xAC");  // €
  CHECK(converted(u"\uD7FF") == "\xED\x9F\xBF");  // last before the surrogates
  CHECK(converted(u"\uE000") == "\xEE\x80\x80");  // first after them
  CHECK(converted(u"\uFFFF") == "\xEF\xBF\xBF");
}

TEST_CASE("utf16 to utf8 joins surrogate pairs into non-BMP characters", "[utf16]") {
  CHECK(converted(u"\U00010000") == "\xF0\x90\x80\x80");
  CHECK(converted(u"a\U0001F600b") ==
        "a\xF0\x9F\x98\x80"
        "b");
  CHECK(converted(u"\U0010FFFF") == "\xF4\x8F\xBF\xBF");
  CHECK(converted(u"\U0001D11E\U0001D11E") == "\xF0\x9D\x84\x9E\xF0\x9D\x84\x9E");
}

TEST_CASE("utf16 to utf8 appends to what the string already holds", "[utf16]") {
  std::string out = "Rīga ";
  REQUIRE(append_utf8(u"\u20AC 5", out));
  CHECK(out == "Rīga \xE2\x82\xAC 5");
}

TEST_CASE("utf16 to utf8 refuses every unpaired surrogate and leaves the output unchanged",
          "[utf16]") {
  const std::u16string cases[] = {
      {u'a', char16_t(0xD800), u'b'},                                // high, then not a low
      {u'a', char16_t(0xDBFF)},                                      // high at the end
      {char16_t(0xD800)},                                            // high alone
      {u'a', char16_t(0xDC00), u'b'},                                // low without a high
      {char16_t(0xDFFF)},                                            // low alone
      {char16_t(0xDC00), char16_t(0xD800)},                          // a pair in the wrong order
      {char16_t(0xD800), char16_t(0xD800), char16_t(0xDC00)},        // two highs, one low
      {u'x', char16_t(0xD83D), char16_t(0xDE00), char16_t(0xDE00)},  // pair, then a stray low
  };
  for (const auto& text : cases) {
    std::string out = "kept";
    CHECK_FALSE(append_utf8(text, out));
    CHECK(out == "kept");
  }
}

TEST_CASE("utf16 to utf8 for messages shows an unpaired surrogate as U+FFFD", "[utf16]") {
  CHECK(utf8_replacing_invalid(u"ok \u20AC") == "ok \xE2\x82\xAC");
  CHECK(utf8_replacing_invalid(std::u16string{u'a', char16_t(0xD800), u'b'}) ==
        "a\xEF\xBF\xBD"
        "b");
  CHECK(utf8_replacing_invalid(std::u16string{u'a', char16_t(0xDC00)}) == "a\xEF\xBF\xBD");
  CHECK(utf8_replacing_invalid(std::u16string{char16_t(0xD800), char16_t(0xD83D),
                                              char16_t(0xDE00)}) == "\xEF\xBF\xBD\xF0\x9F\x98\x80");
}

// Pins what the conversion cofin used before did with the same inputs (Xerces 3.2.4's UTF-8
// transcoder via TranscodeToStr): on well-formed text both give the same bytes; on an unpaired
// surrogate Xerces either threw TranscodingException or produced wrong text (a high surrogate
// swallowed the next character, a lone low became the ill-formed bytes ED B0 80). cofin's
// reader now refuses them all the way Xerces refused the first (see append_text in
// src/ingest/xml_parser.cpp).
TEST_CASE("utf16 to utf8 gives the bytes Xerces gave on well-formed text", "[utf16][xml]") {
  XercesRuntime runtime;
  std::u16string all;
  for (char32_t c = 1; c < 0x10000; ++c) {
    if (c < 0xD800 || c > 0xDFFF) all.push_back(static_cast<char16_t>(c));
  }
  for (char32_t c = 0x10000; c <= 0x10FFFF; c += 97) {
    all.push_back(static_cast<char16_t>(0xD800 + ((c - 0x10000) >> 10)));
    all.push_back(static_cast<char16_t>(0xDC00 + ((c - 0x10000) & 0x3FF)));
  }
  const auto expected = xerces_utf8(all);
  REQUIRE(expected);
  CHECK(converted(all) == *expected);

  // Today's behaviour on invalid input, as it was: never correct text.
  CHECK_FALSE(xerces_utf8(std::u16string{u'a', char16_t(0xDBFF)}));
  CHECK(xerces_utf8(std::u16string{u'a', char16_t(0xD800), u'b'}) ==
        std::optional<std::string>("a\xE2\x91\xA2"));
  CHECK(xerces_utf8(std::u16string{u'a', char16_t(0xDC00)}) ==
        std::optional<std::string>("a\xED\xB0\x80"));
}
