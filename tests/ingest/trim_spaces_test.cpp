// trim_spaces (ingest/csv_reader.h) drops surrounding ASCII spaces and tabs only; its fast path
// returns a field whose first and last bytes are above ' ' as it is.
#include <catch2/catch.hpp>

#include <string_view>

#include "ingest/csv_reader.h"

using namespace cofin;

TEST_CASE("trim_spaces drops surrounding spaces and tabs and nothing else", "[csv]") {
  using namespace std::string_view_literals;
  CHECK(trim_spaces(""sv) == ""sv);
  CHECK(trim_spaces(" "sv) == ""sv);
  CHECK(trim_spaces("\t \t"sv) == ""sv);
  CHECK(trim_spaces("a"sv) == "a"sv);
  CHECK(trim_spaces(" a"sv) == "a"sv);
  CHECK(trim_spaces("a "sv) == "a"sv);
  CHECK(trim_spaces("a\t"sv) == "a"sv);
  CHECK(trim_spaces("\ta b \t"sv) == "a b"sv);
  CHECK(trim_spaces("R\xC4\xABga "sv) == "R\xC4\xABga"sv);
  CHECK(trim_spaces(" \xC4\xAB"sv) == "\xC4\xAB"sv);
  // Other control bytes and non-breaking spaces are data.
  CHECK(trim_spaces("\x01"
                    "a\r"sv) ==
        "\x01"
        "a\r"sv);
  CHECK(trim_spaces("\xC2\xA0"
                    "a\xC2\xA0"sv) ==
        "\xC2\xA0"
        "a\xC2\xA0"sv);
  // A field with nothing to trim is returned as it is, not copied.
  const std::string_view field = "CB0100123"sv;
  CHECK(trim_spaces(field).data() == field.data());
}
