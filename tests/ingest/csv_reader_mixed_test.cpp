// The CSV reader takes unquoted fields' ends from the stop bits of 64-byte blocks and picks them
// up again after each quoted field (ingest/csv_reader.h): records mixing quoted fields (with
// delimiters, line breaks and doubled quotes inside) and unquoted ones, wherever they fall on
// the blocks, read back exactly as written, with the physical line of each record.
#include <catch2/catch.hpp>

#include <random>
#include <string>
#include <vector>

#include "ingest/csv_reader.h"

using namespace cofin;

TEST_CASE("records mixing quoted and unquoted fields read back across block edges", "[csv]") {
  std::mt19937 rng(4180);
  const std::string plain = "abcXYZ019 .-\xC4\x81";
  for (int round = 0; round < 400; ++round) {
    const char delimiter = round % 2 ? ';' : ',';
    const std::string other = delimiter == ';' ? "," : ";";
    std::vector<std::vector<std::string>> records = {{"h1", "h2", "h3"}};
    std::vector<int> lines = {1};
    std::string text = delimiter == ';' ? "h1;h2;h3\n" : "h1,h2,h3\n";
    int line = 2;
    const int rows = 1 + static_cast<int>(rng() % 25);
    for (int r = 0; r < rows; ++r) {
      std::vector<std::string> record;
      lines.push_back(line);
      const int fields = 1 + static_cast<int>(rng() % 9);
      for (int f = 0; f < fields; ++f) {
        if (f > 0) text += delimiter;
        // A record's first field is never empty: a blank row at the end is not a record.
        const std::size_t length = (rng() % 6 == 0 ? rng() % 150 : rng() % 10) + (f == 0);
        std::string value;
        if (rng() % 3 == 0) {
          // Quoted: any byte, the delimiter, a line break or a quote (written doubled).
          std::string written = "\"";
          for (std::size_t k = 0; k < length; ++k) {
            const unsigned pick = rng() % 10;
            const char c = pick == 0   ? delimiter
                           : pick == 1 ? '\n'
                           : pick == 2 ? '"'
                                       : plain[rng() % plain.size()];
            value += c;
            written += c;
            if (c == '"') written += '"';
            if (c == '\n') ++line;
          }
          text += written + "\"";
        } else {
          for (std::size_t k = 0; k < length; ++k) {
            value += rng() % 8 == 0 ? other[0] : plain[rng() % plain.size()];
          }
          // An unquoted field starting with a quote would be read as quoted.
          text += value;
        }
        record.push_back(value);
      }
      text += rng() % 2 ? "\r\n" : "\n";
      ++line;
      records.push_back(record);
    }
    INFO("round " << round);
    Diagnostics diags;
    CsvReader reader("r.csv", text, diags);
    CsvRecord record;
    for (std::size_t k = 0; k < records.size(); ++k) {
      INFO("record " << k);
      REQUIRE(reader.next(record));
      CHECK(record.line == lines[k]);
      REQUIRE(record.fields.size() == records[k].size());
      for (std::size_t f = 0; f < records[k].size(); ++f) {
        CHECK(record.fields[f].text == records[k][f]);
      }
    }
    CHECK_FALSE(reader.next(record));
    CHECK(diags.items().empty());
  }
}
