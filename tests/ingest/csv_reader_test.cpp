#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "ingest/csv_reader.h"

using namespace cofin;

namespace {

struct Row {
  int line;
  std::vector<std::string> fields;
  bool operator==(const Row&) const = default;
};

// Returns every record of `text`, as (line, fields).
std::vector<Row> read_all(std::string_view text, Diagnostics& diags, char* delimiter = nullptr) {
  CsvReader reader("t.csv", text, diags);
  if (delimiter) *delimiter = reader.delimiter();
  std::vector<Row> rows;
  CsvRecord record;
  while (reader.next(record)) {
    Row row{record.line, {}};
    for (const auto& f : record.fields) row.fields.emplace_back(f.text);
    rows.push_back(std::move(row));
  }
  return rows;
}

std::string fixture(const std::string& name) {
  std::ifstream in(std::string(COFIN_SOURCE_DIR) + "/fixtures/csv/" + name, std::ios::binary);
  REQUIRE(in);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

}  // namespace

TEST_CASE("csv reader detects the delimiter from the header", "[csv]") {
  Diagnostics diags;
  char delimiter = 0;
  CHECK(read_all("a,b;c\n1,2;3\n", diags, &delimiter) ==
        std::vector<Row>{{1, {"a", "b;c"}}, {2, {"1", "2;3"}}});
  CHECK(delimiter == ',');
  CHECK(read_all("a;b;\"c,d,e\"\n1;2,5;3\n", diags, &delimiter) ==
        std::vector<Row>{{1, {"a", "b", "c,d,e"}}, {2, {"1", "2,5", "3"}}});
  CHECK(delimiter == ';');
  CHECK(diags.items().empty());
}

TEST_CASE("csv reader honours and skips an Excel sep line", "[csv]") {
  Diagnostics diags;
  char delimiter = 0;
  CHECK(read_all("\xEF\xBB\xBFsep=;\r\na,b;c\r\n1,5;2\r\n", diags, &delimiter) ==
        std::vector<Row>{{2, {"a,b", "c"}}, {3, {"1,5", "2"}}});
  CHECK(delimiter == ';');
  CHECK(read_all("sep=,\na;b,c\n", diags, &delimiter) == std::vector<Row>{{2, {"a;b", "c"}}});
  CHECK(delimiter == ',');
  CHECK(diags.items().empty());
}

TEST_CASE("csv reader unquotes fields and keeps embedded newlines", "[csv]") {
  Diagnostics diags;
  const std::string text =
      "id,supplier,description\r\n"
      "1,\"SIA \"\"Zaļā ekspertīze\"\"\",\"Izpēte:\r\nosta\nun dzelzceļš\"\r\n"
      "2,\"\",plain\r\n"
      "3,\"a,b\",\"\"\"\"\r\n";
  CHECK(read_all(text, diags) ==
        std::vector<Row>{{1, {"id", "supplier", "description"}},
                         {2, {"1", "SIA \"Zaļā ekspertīze\"", "Izpēte:\r\nosta\nun dzelzceļš"}},
                         {5, {"2", "", "plain"}},
                         {6, {"3", "a,b", "\""}}});
  CHECK(diags.items().empty());
}

TEST_CASE("csv reader gives character columns and field lines", "[csv]") {
  Diagnostics diags;
  const std::string text = "Rīga,Ādaži,x\n\"a\nbē\",c,d\n";
  CsvReader reader("t.csv", text, diags);
  CsvRecord record;
  REQUIRE(reader.next(record));
  CHECK(record.column(0) == 1);
  CHECK(record.column(1) == 6);  // characters, not bytes: "Rīga," is 5 characters
  CHECK(record.column(2) == 12);
  REQUIRE(reader.next(record));
  CHECK(record.line == 2);
  CHECK(record.fields[0].line == 2);
  CHECK(record.fields[1].line == 3);  // after the embedded newline
  CHECK(record.column(1) == 5);       // on its own line: `bē",` is 4 characters
  CHECK_FALSE(reader.next(record));
}

TEST_CASE("csv reader handles empty fields and missing final newline", "[csv]") {
  Diagnostics diags;
  CHECK(read_all("a,b,\n,,\n\"x\",y", diags) ==
        std::vector<Row>{{1, {"a", "b", ""}}, {2, {"", "", ""}}, {3, {"x", "y"}}});
  CHECK(read_all("a,b\r\n1,2\r", diags) == std::vector<Row>{{1, {"a", "b"}}, {2, {"1", "2"}}});
  CHECK(diags.items().empty());
}

TEST_CASE("csv reader ignores trailing blank lines only", "[csv]") {
  Diagnostics diags;
  CHECK(read_all("a,b\n1,2\n\r\n\n\r\n", diags) ==
        std::vector<Row>{{1, {"a", "b"}}, {2, {"1", "2"}}});
  CHECK(read_all("a,b\n\n1,2\n\n", diags) ==
        std::vector<Row>{{1, {"a", "b"}}, {2, {""}}, {3, {"1", "2"}}});
  CHECK(read_all("", diags).empty());
  CHECK(diags.items().empty());
}

TEST_CASE("csv reader reports an unterminated quote", "[csv]") {
  Diagnostics diags;
  const auto rows = read_all("a,b,c\n1,2,3\n4,5,\"Biroja īre\n6,7,8\n", diags);
  REQUIRE(diags.items().size() == 1);
  CHECK(format_diagnostic(diags.items()[0]) ==
        "t.csv:3:5: error CSV-QUOTE: field 3: the quote opened here is not closed before the end "
        "of the file");
  REQUIRE(rows.size() == 3);
}

TEST_CASE("csv reader reports text after a closing quote", "[csv]") {
  Diagnostics diags;
  CsvReader reader("t.csv", "a,b\n\"SIA \"Zaļā\" x\",2\n3,4\n", diags);
  CsvRecord record;
  REQUIRE(reader.next(record));
  reader.set_field_names({"supplier", "n"});
  REQUIRE(reader.next(record));
  CHECK_FALSE(record.ok);
  REQUIRE(diags.items().size() == 1);
  CHECK(format_diagnostic(diags.items()[0]) ==
        "t.csv:2:1: error CSV-QUOTE: supplier: text after the closing quote: 'Zaļā\" x\"' (a quote "
        "inside a quoted field is written \"\")");
  // Reading goes on with the next record.
  REQUIRE(reader.next(record));
  CHECK(record.ok);
  CHECK(record.line == 3);
  CHECK(record.fields[1].text == "4");
}

TEST_CASE("csv reader limits a field to an Excel cell", "[csv]") {
  Diagnostics diags;
  // 32,767 characters is the limit, counted in characters, not bytes.
  const std::string at_limit(kMaxFieldChars, 'x');
  std::string two_byte;
  for (std::size_t k = 0; k < kMaxFieldChars; ++k) two_byte += "ā";
  read_all("a,b\n" + at_limit + "," + two_byte + "\n", diags);
  CHECK(diags.items().empty());
  read_all("a,b\n1," + at_limit + "y\n", diags);
  REQUIRE(diags.items().size() == 1);
  CHECK(diags.items()[0].rule_id == "VALUE-TOO-LONG");
  CHECK(diags.items()[0].line == 2);
  CHECK(diags.items()[0].column == 3);
}

TEST_CASE("csv reader survives a 10 MB field", "[csv]") {
  const std::size_t size = 10 * 1024 * 1024;
  for (bool quoted : {false, true}) {
    std::string text = "project,description\nLV-EE-SE-001,";
    if (quoted) {
      text += '"';
      // Escaped quotes every 1,000 bytes: the unescaping must stay linear.
      for (std::size_t k = 0; k < size / 1000; ++k) text += std::string(998, 'z') + "\"\"";
      text += "\"";
    } else {
      text.append(size, 'z');
    }
    text += "\nLV-EE-SE-001,short\n";
    Diagnostics diags;
    CsvReader reader("big.csv", text, diags);
    CsvRecord record;
    REQUIRE(reader.next(record));
    reader.set_field_names({"project", "description"});
    REQUIRE(reader.next(record));
    CHECK(record.fields[1].text.size() == (quoted ? size / 1000 * 999 : size));
    REQUIRE(reader.next(record));
    CHECK(record.fields[1].text == "short");
    CHECK_FALSE(reader.next(record));
    REQUIRE(diags.items().size() == 1);
    const std::string message = format_diagnostic(diags.items()[0]);
    CHECK(message.rfind("big.csv:2:14: error VALUE-TOO-LONG: description: 'zzzz", 0) == 0);
    CHECK(message.find("' is " + std::to_string(quoted ? size / 1000 * 999 : size) +
                       " characters long; at most 32,767 (an Excel cell's limit)") !=
          std::string::npos);
  }
}

TEST_CASE("csv kind is told from the header", "[csv]") {
  CHECK(detect_csv_kind("currency,year,month,units_per_eur\nSEK,2024,1,11.0382\n") ==
        CsvKind::kRates);
  CHECK(detect_csv_kind("\xEF\xBB\xBFsep=;\r\n month ;currency;year;units_per_eur\r\n") ==
        CsvKind::kRates);
  CHECK(detect_csv_kind(fixture("good/report-comma-point.csv")) == CsvKind::kReport);
  CHECK(detect_csv_kind(fixture("good/report-sep-line.csv")) == CsvKind::kReport);
  CHECK(detect_csv_kind(fixture("bad/missing-column.csv")) == CsvKind::kReport);
  CHECK(detect_csv_kind(fixture("good/rates-sek-2024.csv")) == CsvKind::kRates);
  CHECK(detect_csv_kind("name,amount\nx,1\n") == CsvKind::kUnknown);
  CHECK(detect_csv_kind("") == CsvKind::kUnknown);
}
