// decode_to_utf8_view (ingest/encoding.h) gives the text decode_to_utf8 gives without copying a
// UTF-8 source: the view points into the bytes read, past a BOM; a Windows-1257 source is
// decoded into the caller's storage; refused sources give the same diagnostics.
#include <catch2/catch.hpp>

#include <cctype>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "ingest/encoding.h"

using namespace cofin;

namespace {

std::vector<std::string> formatted(const Diagnostics& diags) {
  std::vector<std::string> out;
  for (const auto& d : diags.items()) out.push_back(format_diagnostic(d));
  return out;
}

// The checks decode_to_utf8 made before they were one pass, in their order: ill-formed UTF-8
// before the first NUL (is_valid_utf8), the NUL, then the first U+FFFE or U+FFFF. Returns the
// rule id and offset within `body` of the first, or "" when there is none.
std::pair<std::string, std::size_t> reference_problem(std::string_view body) {
  const void* nul = std::memchr(body.data(), 0, body.size());
  const std::size_t nul_at =
      nul ? static_cast<std::size_t>(static_cast<const char*>(nul) - body.data()) : body.size();
  std::size_t bad = 0;
  if (!is_valid_utf8(body.substr(0, nul_at), &bad)) return {"READ-ENCODING", bad};
  if (nul) return {"READ-NUL", nul_at};
  for (std::size_t at = body.find("\xEF\xBF"); at != std::string_view::npos;
       at = body.find("\xEF\xBF", at + 1)) {
    const auto last = at + 2 < body.size() ? static_cast<unsigned char>(body[at + 2]) : 0;
    if (last == 0xBE || last == 0xBF) return {"READ-NONCHARACTER", at};
  }
  return {"", 0};
}

}  // namespace

TEST_CASE("encoding view of utf-8 points into the bytes, past the BOM", "[encoding]") {
  const std::string bytes = "\xEF\xBB\xBFproject;partner\r\nR\xC4\xABga;1\r\n";
  for (const char* charset : {"utf-8", "", "UTF8", "windows-1257"}) {
    INFO(charset);
    Diagnostics diags;
    std::string storage = "left over";
    const auto text = decode_to_utf8_view("r.csv", bytes, charset, diags, storage);
    REQUIRE(text);
    CHECK(*text == "project;partner\r\nR\xC4\xABga;1\r\n");
    CHECK(text->data() == bytes.data() + 3);  // no copy
    CHECK(diags.items().empty());
  }
  Diagnostics diags;
  std::string storage;
  const std::string plain = "a,b\n";
  const auto text = decode_to_utf8_view("r.csv", plain, "utf-8", diags, storage);
  REQUIRE(text);
  CHECK(text->data() == plain.data());
  CHECK(text->size() == plain.size());
}

TEST_CASE("encoding view of windows-1257 decodes into the storage given", "[encoding]") {
  Diagnostics diags;
  std::string storage = "left over from an earlier file";
  const std::string bytes = "city,n\nR\xEEga,1\n";
  const auto text = decode_to_utf8_view("r.csv", bytes, "cp1257", diags, storage);
  REQUIRE(text);
  CHECK(*text == "city,n\nR\xC4\xABga,1\n");
  CHECK(text->data() == storage.data());
  CHECK(storage == "city,n\nR\xC4\xABga,1\n");
  // The string version returns the same text.
  Diagnostics again;
  CHECK(decode_to_utf8("r.csv", bytes, "cp1257", again) == std::string(*text));
}

TEST_CASE("encoding view refuses what decode_to_utf8 refuses, with the same diagnostics",
          "[encoding]") {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {std::string("a,b\nc\0d\n", 8), "utf-8"},
      {"city,n\nR\xEEga,1\n", "utf-8"},
      {"\xFF\xFE"
       "a",
       "utf-8"},
      {"a\n\xEF\xBF\xBE\n", "utf-8"},
      {"\xEF\xBB\xBF \r\n", "utf-8"},
      {"", "utf-8"},
      {"a\nb\x98", "windows-1257"},
      {"a,b\n", "latin-1"},
  };
  for (const auto& [bytes, charset] : cases) {
    INFO(charset << " " << bytes);
    Diagnostics view_diags, string_diags;
    std::string storage;
    CHECK_FALSE(decode_to_utf8_view("r.csv", bytes, charset, view_diags, storage));
    CHECK_FALSE(decode_to_utf8("r.csv", bytes, charset, string_diags));
    CHECK(view_diags.has_errors());
    CHECK(formatted(view_diags) == formatted(string_diags));
  }
}

TEST_CASE("encoding view finds a NUL, a bad byte or a noncharacter at any position", "[encoding]") {
  // 200 bytes: three 64-byte steps of the pure-ASCII check and a tail; each position in turn
  // holds what must stop the text (or a well-formed letter, which must not).
  const std::string ascii(200, 'a');
  for (std::size_t at = 0; at + 3 <= ascii.size(); ++at) {
    INFO("at " << at);
    std::string storage;
    {
      std::string bytes = ascii;
      bytes[at] = '\0';
      Diagnostics diags;
      CHECK_FALSE(decode_to_utf8_view("r.csv", bytes, "utf-8", diags, storage));
      REQUIRE(diags.items().size() == 1);
      CHECK(diags.items()[0].rule_id == "READ-NUL");
      CHECK(diags.items()[0].message.find("offset " + std::to_string(at)) != std::string::npos);
    }
    {
      std::string bytes = ascii;
      bytes[at] = '\x80';
      Diagnostics diags;
      CHECK_FALSE(decode_to_utf8_view("r.csv", bytes, "utf-8", diags, storage));
      REQUIRE(diags.items().size() == 1);
      CHECK(diags.items()[0].rule_id == "READ-ENCODING");
    }
    {
      std::string bytes = ascii;
      bytes.replace(at, 3, "\xEF\xBF\xBF");
      Diagnostics diags;
      CHECK_FALSE(decode_to_utf8_view("r.csv", bytes, "utf-8", diags, storage));
      REQUIRE(diags.items().size() == 1);
      CHECK(diags.items()[0].rule_id == "READ-NONCHARACTER");
    }
    {
      std::string bytes = ascii;
      bytes.replace(at, 2, "\xC4\x81");  // ā
      Diagnostics diags;
      const auto text = decode_to_utf8_view("r.csv", bytes, "utf-8", diags, storage);
      REQUIRE(text);
      CHECK(*text == bytes);
    }
  }
}

TEST_CASE("encoding view refuses exactly what the separate checks refused, first first",
          "[encoding]") {
  // Random texts of ASCII, NULs, lead and continuation bytes, BOMs and noncharacters, long
  // enough for several 16-byte steps: the one-pass check must report the same first problem.
  const std::vector<std::string> pieces = {"a",
                                           "bc,d;",
                                           "\n",
                                           std::string(1, '\0'),
                                           "\x80",
                                           "\xC4\x81",
                                           "\xC4",
                                           "\xE2\x82\xAC",
                                           "\xE0\x80\x80",
                                           "\xED\xA0\x80",
                                           "\xF0\x9F\x98\x80",
                                           "\xF4\x90\x80\x80",
                                           "\xEF\xBF\xBE",
                                           "\xEF\xBF\xBF",
                                           "\xEF\xBF\xBD",
                                           "\xEF\xBB\xBF",
                                           "\xFF",
                                           "0123456789abcdef"};
  std::mt19937 rng(1257);
  for (int round = 0; round < 4000; ++round) {
    std::string bytes = round % 3 == 0 ? "\xEF\xBB\xBF" : "";
    const int count = 1 + static_cast<int>(rng() % 40);
    for (int k = 0; k < count; ++k) {
      // Mostly text, now and then something else.
      const std::size_t pick = rng() % 8;
      bytes += pick < 3 ? pieces[pick % 2] : pick < 6 ? pieces[17] : pieces[rng() % pieces.size()];
    }
    INFO("round " << round);
    // The file's BOM (also when a BOM piece came first) is not part of the text.
    const std::size_t start = bytes.rfind("\xEF\xBB\xBF", 0) == 0 ? 3 : 0;
    const std::string_view body = std::string_view(bytes).substr(start);
    if (body.find_first_not_of(" \r\n\t") == std::string_view::npos) continue;  // READ-EMPTY
    const auto [rule, at] = reference_problem(body);
    Diagnostics diags;
    std::string storage;
    const auto text = decode_to_utf8_view("r.csv", bytes, "utf-8", diags, storage);
    if (rule.empty()) {
      REQUIRE(text);
      CHECK(*text == body);
    } else {
      CHECK_FALSE(text);
      REQUIRE(diags.items().size() == 1);
      CHECK(diags.items()[0].rule_id == rule);
      const std::size_t offset = at + start;
      const std::string& message = diags.items()[0].message;
      const std::string said = "offset " + std::to_string(offset);
      const std::size_t found = message.find(said);
      REQUIRE(found != std::string::npos);
      const std::size_t after = found + said.size();
      CHECK((after == message.size() || !std::isdigit(static_cast<unsigned char>(message[after]))));
    }
  }
}
