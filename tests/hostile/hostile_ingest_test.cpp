// The two reader fixes issue #7's fuzzing led to, at the unit level: header errors are bounded,
// and U+FFFE / U+FFFF never get past decoding (no workbook can hold them).
#include <catch2/catch.hpp>
#include <string>

#include "ingest/csv_rates.h"
#include "ingest/csv_reader.h"
#include "ingest/csv_report.h"
#include "ingest/encoding.h"
#include "ingest/xml_parser.h"

using namespace cofin;

TEST_CASE("hostile header of 10,000 unknown columns gives a bounded number of errors",
          "[hostile][csv]") {
  std::string text = "project,partner,report,line,declared";
  for (int k = 0; k < 10000; ++k) text += ",junk" + std::to_string(k);
  text += "\n";
  Diagnostics diags;
  CHECK_FALSE(read_report_csv("wide.csv", text, diags).has_value());
  // 23 + 8 unknown columns named one by one, one error counting the rest, and the 18 report
  // columns the header lacks.
  CHECK(diags.error_count() == 31 + 1 + 18);
  bool counted = false;
  for (const auto& d : diags.items()) {
    counted |= d.rule_id == "CSV-COLUMN-UNKNOWN" &&
               d.message.starts_with("9969 more unknown or repeated columns");
  }
  CHECK(counted);
}

TEST_CASE("hostile header with a column repeated 1,000 times is bounded too", "[hostile][csv]") {
  std::string text = "project,partner,report,line,declared";
  for (int k = 0; k < 1000; ++k) text += ",supplier";
  Diagnostics diags;
  CHECK_FALSE(read_report_csv("repeated.csv", text + "\n", diags).has_value());
  CHECK(diags.error_count() <= 31 + 1 + 23);
}

TEST_CASE("hostile U+FFFE and U+FFFF in UTF-8 are READ-NONCHARACTER with their offset",
          "[hostile][encoding]") {
  for (const auto& [bytes, offset, name] :
       {std::tuple{std::string("ab\n\xEF\xBF\xBE"), 3, "U+FFFE"},
        std::tuple{std::string("\xEF\xBB\xBFx\xEF\xBF\xBF"), 4, "U+FFFF"}}) {
    for (const char* charset : {"utf-8", "windows-1257"}) {  // a UTF-8 BOM wins over the latter
      INFO(charset << " " << name);
      Diagnostics diags;
      if (std::string(charset) == "windows-1257" && !bytes.starts_with("\xEF\xBB\xBF")) continue;
      CHECK_FALSE(decode_to_utf8("f.csv", bytes, charset, diags).has_value());
      REQUIRE(diags.items().size() == 1);
      CHECK(diags.items()[0].rule_id == "READ-NONCHARACTER");
      CHECK(diags.items()[0].message.starts_with(std::string(name) + " at byte offset " +
                                                 std::to_string(offset)));
    }
  }
  // Its neighbours are characters: U+FFFD (the replacement character) and U+FEFF inside text.
  Diagnostics diags;
  CHECK(decode_to_utf8("f.csv", "a\xEF\xBF\xBD b\xEF\xBB\xBF", "utf-8", diags).has_value());
  CHECK_FALSE(diags.has_errors());
}

TEST_CASE("hostile 100,000 blank rows before a line stop at the error cap", "[hostile][csv]") {
  const std::string blank_run(100000, '\n');
  {
    Diagnostics diags;
    const std::string text =
        "currency,year,month,units_per_eur\nSEK,2024,1,11.2\n" + blank_run + "SEK,2024,2,11.3\n";
    CHECK_FALSE(read_rates_csv("rates.csv", text, diags).has_value());
    CHECK(diags.error_count() == kMaxErrorsPerFile);
  }
  {
    Diagnostics diags;
    const std::string row =
        "LV-EE-SE-001,1,1,2024-01-01,2024-06-30,2024-07-15,1,external,,,,,,,,,,x,,,1.00,EUR,\n";
    const std::string text =
        "project,partner,report,period-start,period-end,submitted-on,line,category,unit-cost,"
        "units,internal-ref,invoice-no,invoice-date,payment-date,supplier,supplier-id,"
        "procurement-ref,description,invoice-total,vat,declared,currency,reincluded-from\n" +
        row + blank_run + row.substr(0, 50) + "2" + row.substr(51);
    CHECK_FALSE(read_report_csv("report.csv", text, diags).has_value());
    CHECK(diags.error_count() == kMaxErrorsPerFile);
    CHECK(diags.items().back().message.ends_with("the rest of the file is not checked]"));
  }
}

TEST_CASE("hostile XML file name that is not UTF-8 is read, not a crash", "[hostile][xml]") {
  // Xerces threw UTFDataFormatException (uncaught: the run aborted) when the document's name,
  // which becomes its system id, was not UTF-8: any inbox file name may be.
  XercesRuntime runtime;
  XmlContext xml(runtime);
  for (const std::string name : {"bad\xFF\xFEname.xml", "cut\xE2\x82.xml", "\xC0\xAF.xml"}) {
    INFO(name);
    Diagnostics diags;
    const auto root = xml.parse(name, "<r xmlns=\"urn:cofin:report:1\"/>", diags);
    CHECK(diags.has_errors());  // a schema error, reported under the name as given
    REQUIRE_FALSE(diags.items().empty());
    CHECK(diags.items()[0].file == name);
    CHECK(diags.items()[0].rule_id == "XML-SCHEMA");
  }
}

TEST_CASE("hostile row of 1,000 broken quoted fields reports a few errors", "[hostile][csv]") {
  std::string row;
  for (int k = 0; k < 1000; ++k) row += std::string(k ? "," : "") + "\"a\"b";
  Diagnostics diags;
  const std::string text = "h\n" + row + "\n";  // outlives the reader, as it requires
  CsvReader reader("quotes.csv", text, diags);
  CsvRecord record;
  REQUIRE(reader.next(record));  // the header
  REQUIRE(reader.next(record));
  CHECK_FALSE(record.ok);
  CHECK(record.fields.size() == 1000);
  CHECK(diags.error_count() == CsvReader::kMaxErrorsPerRecord);
  // The next record counts afresh.
  Diagnostics again;
  const std::string two_rows = row + "\n" + row + "\n";
  CsvReader two("quotes.csv", two_rows, again);
  while (two.next(record)) {
  }
  CHECK(again.error_count() == 2 * CsvReader::kMaxErrorsPerRecord);
}
