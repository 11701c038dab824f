// decode_to_utf8_view (ingest/encoding.h) gives the text decode_to_utf8 gives without copying a
// UTF-8 source: the view points into the bytes read, past a BOM; a Windows-1257 source is
// decoded into the caller's storage; refused sources give the same diagnostics.
#include <catch2/catch.hpp>

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
