// The CSV reader finds a field's end from the stop bytes of the 64-byte block it is in
// (ingest/csv_reader.h): fields of every length, across and along block edges and at the end of
// the input, must split exactly as byte by byte.
#include <catch2/catch.hpp>

#include <random>
#include <string>
#include <vector>

#include "ingest/csv_reader.h"

using namespace cofin;

namespace {

// The records of `text` split byte by byte at `delimiter` and LF (a CR before the LF dropped):
// what the reader gives for input without quotes.
std::vector<std::vector<std::string>> split(const std::string& text, char delimiter) {
  std::vector<std::vector<std::string>> records;
  std::vector<std::string> record;
  std::string field;
  for (std::size_t k = 0; k < text.size(); ++k) {
    const char c = text[k];
    if (c == delimiter) {
      record.push_back(field);
      field.clear();
    } else if (c == '\n') {
      if (!field.empty() && field.back() == '\r') field.pop_back();
      record.push_back(field);
      records.push_back(record);
      record.clear();
      field.clear();
    } else {
      field += c;
    }
  }
  if (!text.empty() && text.back() != '\n') {
    record.push_back(field);
    records.push_back(record);
  }
  return records;
}

}  // namespace

TEST_CASE("fields split exactly wherever they fall on the reader's 64-byte blocks", "[csv]") {
  std::mt19937 rng(64);
  // Field bytes: letters, the other delimiter, a CR inside a field, UTF-8, a byte >= 0x80.
  const std::string alphabet = "abcXYZ019 .-,;\r\xC4\x81\xFF";
  for (int round = 0; round < 300; ++round) {
    const char delimiter = round % 2 ? ';' : ',';
    // A header that decides the delimiter, then rows of random fields.
    std::string text = delimiter == ';' ? "h1;h2;h3;h4\n" : "h1,h2,h3,h4\n";
    const int rows = 1 + static_cast<int>(rng() % 20);
    for (int r = 0; r < rows; ++r) {
      const int fields = 1 + static_cast<int>(rng() % 8);
      for (int f = 0; f < fields; ++f) {
        if (f > 0) text += delimiter;
        // Short fields mostly; some across a whole block or more.
        const std::size_t length = rng() % 5 == 0 ? rng() % 200 : rng() % 12;
        for (std::size_t k = 0; k < length; ++k) {
          char c = alphabet[rng() % alphabet.size()];
          if (c == delimiter || c == '\r') c = 'q';  // a CR only before LF, as CRLF
          text += c;
        }
      }
      if (r + 1 < rows || rng() % 2) text += rng() % 3 ? "\n" : "\r\n";
    }
    INFO("round " << round << ": " << text.size() << " bytes");
    const std::vector<std::vector<std::string>> want = split(text, delimiter);
    Diagnostics diags;
    CsvReader reader("t.csv", text, diags);
    REQUIRE(reader.delimiter() == delimiter);
    CsvRecord record;
    std::size_t index = 0;
    int line = 1;
    while (reader.next(record)) {
      REQUIRE(index < want.size());
      CHECK(record.line == line);
      std::vector<std::string> got;
      for (const CsvField& field : record.fields) got.emplace_back(field.text);
      CHECK(got == want[index]);
      ++index;
      ++line;
    }
    // Blank lines at the end of the input are skipped.
    std::size_t trailing_blank = 0;
    while (trailing_blank < want.size() &&
           want[want.size() - 1 - trailing_blank] == std::vector<std::string>{""}) {
      ++trailing_blank;
    }
    CHECK(index == want.size() - trailing_blank);
    CHECK_FALSE(diags.has_errors());
  }
}
