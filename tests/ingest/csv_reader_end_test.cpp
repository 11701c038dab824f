// The CSV reader reads its input only: what follows the view it is given (here a delimiter, as
// when a file's bytes are a view into a larger buffer) never ends or starts a field, whatever
// the input's length against the reader's 64-byte blocks.
#include <catch2/catch.hpp>

#include <string>
#include <string_view>
#include <vector>

#include "ingest/csv_reader.h"

using namespace cofin;

TEST_CASE("the csv reader ends the last field at the input's end, not at a byte after it",
          "[csv]") {
  for (std::size_t length = 1; length <= 200; ++length) {
    // "h1,h2\n" then a second row of one field of `length` letters; right after the view: ','.
    const std::string text = "h1,h2\n" + std::string(length, 'x');
    const std::string buffer = text + ",,,";
    const std::string_view input(buffer.data(), text.size());
    Diagnostics diags;
    CsvReader reader("r.csv", input, diags);
    CsvRecord record;
    REQUIRE(reader.next(record));
    REQUIRE(reader.next(record));
    INFO("length " << length);
    REQUIRE(record.fields.size() == 1);
    CHECK(record.fields[0].text == std::string(length, 'x'));
    CHECK_FALSE(reader.next(record));
    CHECK(diags.items().empty());
  }
}
