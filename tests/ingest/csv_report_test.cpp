#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "ingest/csv_report.h"
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

// Reads fixture `name` as a report: decodes it from `charset`, then parses it. Diagnostics name
// the file without its folder.
std::optional<PartnerReport> read_fixture(const std::string& name, Diagnostics& diags,
                                          std::string_view charset = "utf-8") {
  const std::string file = name.substr(name.rfind('/') + 1);
  const auto text = decode_to_utf8(file, fixture(name), charset, diags);
  if (!text) return std::nullopt;
  return read_report_csv(file, *text, diags);
}

std::vector<std::string> formatted(const Diagnostics& diags) {
  std::vector<std::string> out;
  for (const auto& d : diags.items()) out.push_back(format_diagnostic(d));
  return out;
}

Date day(int y, unsigned m, unsigned d) {
  return *Date::from_ymd(y, m, d);
}

const std::string kHeader =
    "project,partner,report,period-start,period-end,submitted-on,line,category,unit-cost,units,"
    "internal-ref,invoice-no,invoice-date,payment-date,supplier,supplier-id,procurement-ref,"
    "description,invoice-total,vat,declared,currency,reincluded-from\n";
const std::string kHead = "CB0100123,1,1,2024-01-01,2024-06-30,2024-07-10,";

// Returns a report CSV with one row per entry of `lines` (the line columns, comma-separated).
std::string report(const std::vector<std::string>& lines) {
  std::string out = kHeader;
  for (const auto& l : lines) out += kHead + l + "\n";
  return out;
}

}  // namespace

TEST_CASE("csv report with comma delimiter and decimal point", "[csv]") {
  Diagnostics diags;
  const auto r = read_fixture("good/report-comma-point.csv", diags);
  CHECK(formatted(diags).empty());
  REQUIRE(r);
  CHECK(r->project == "LV-EE-SE-001");
  CHECK(r->partner == 1);
  CHECK(r->report == 2);
  CHECK(r->period_start == day(2024, 1, 1));
  CHECK(r->period_end == day(2024, 6, 30));
  CHECK(r->submitted_on == day(2024, 7, 15));
  CHECK(r->pos.file == "report-comma-point.csv");
  CHECK(r->pos.line == 1);
  REQUIRE(r->lines.size() == 5);

  const ExpenseLine& staff = r->lines[0];
  CHECK(staff.line == 1);
  CHECK(staff.category == Category::kStaff);
  CHECK(staff.supplier == "Vidzemes plānošanas reģions");
  CHECK(staff.description == "Projekta vadītājas alga, janvāris–jūnijs");
  CHECK(staff.declared.cents() == 1245000);
  CHECK_FALSE(staff.invoice_total);
  CHECK_FALSE(staff.invoice_date);
  CHECK(staff.currency == "EUR");
  CHECK(staff.pos.line == 2);

  const ExpenseLine& external = r->lines[1];
  CHECK(external.supplier == "SIA \"Zaļā ekspertīze\"");
  CHECK(external.supplier_id == "40003456789");
  CHECK(external.invoice_no == "ZE-2024/017");
  CHECK(external.procurement_ref == "VPR 2024/7 MI");
  CHECK(external.invoice_date == day(2024, 3, 12));
  CHECK(external.payment_date == day(2024, 4, 2));
  CHECK(external.invoice_total->cents() == 302500);
  CHECK(external.vat->cents() == 52500);
  CHECK(external.declared.cents() == 302500);

  CHECK(r->lines[2].currency == "SEK");
  CHECK(r->lines[2].declared.cents() == 412050);
  CHECK_FALSE(r->lines[2].vat);

  const ExpenseLine& unit = r->lines[3];
  CHECK(unit.is_unit_cost());
  CHECK(unit.unit_cost == "UC-STAFF-HOUR");
  REQUIRE(unit.units);
  CHECK(unit.units->units() == 12050);
  CHECK(unit.units->scale() == 2);

  const ExpenseLine& equipment = r->lines[4];
  CHECK(equipment.invoice_no == "00417");       // leading zeros kept: an identifier
  CHECK(equipment.supplier_id == "000123456");  // likewise
  CHECK(equipment.reincluded_from == "R1.7");
  CHECK(equipment.category == Category::kEquipment);
  CHECK(equipment.pos.file == "report-comma-point.csv");
  CHECK(equipment.pos.line == 6);
  CHECK(equipment.pos.column == 0);
}

TEST_CASE("csv report as Latvian Excel writes it reads the same", "[csv]") {
  // Semicolons, decimal comma, `12 450,00` and U+00A0 grouping, DD.MM.YYYY, BOM, CRLF.
  Diagnostics diags;
  const auto plain = read_fixture("good/report-comma-point.csv", diags);
  const auto latvian = read_fixture("good/report-semicolon-lv.csv", diags);
  const auto sep = read_fixture("good/report-sep-line.csv", diags);
  const auto legacy = read_fixture("good/report-windows-1257.csv", diags, "windows-1257");
  const auto reordered = read_fixture("good/report-columns-reordered.csv", diags);
  CHECK(formatted(diags).empty());
  REQUIRE(plain);
  REQUIRE(latvian);
  REQUIRE(sep);
  REQUIRE(legacy);
  REQUIRE(reordered);
  CHECK(same_content(*plain, *latvian));
  CHECK(same_content(*plain, *sep));
  CHECK(same_content(*plain, *legacy));
  CHECK(same_content(*plain, *reordered));
  CHECK(latvian->lines[0].declared.cents() == 1245000);       // "12 450,00"
  CHECK(latvian->lines[4].invoice_total->cents() == 123456);  // "1\u00A0234,56"
  CHECK(latvian->lines[4].pos.line == 6);
  CHECK(sep->pos.line == 2);  // the `sep=;` line counts
  CHECK(sep->lines[4].pos.line == 7);
}

TEST_CASE("csv report line numbers account for embedded newlines", "[csv]") {
  Diagnostics diags;
  const auto r = read_fixture("good/report-quoted-newline.csv", diags);
  CHECK(formatted(diags).empty());
  REQUIRE(r);
  REQUIRE(r->lines.size() == 5);
  CHECK(r->lines[1].description == "Izpēte, 1. posms:\nosta un dzelzceļš");
  CHECK(r->lines[1].pos.line == 3);
  CHECK(r->lines[2].pos.line == 5);
  CHECK(r->lines[4].pos.line == 7);
}

TEST_CASE("csv report fixtures with errors", "[csv]") {
  struct Case {
    const char* fixture;
    std::vector<std::string> expected;
  };
  const std::vector<Case> cases = {
      {"bad/ambiguous-amount.csv",
       {"ambiguous-amount.csv:2:160: error VALUE-AMOUNT-AMBIGUOUS: declared: '1,234' is not an "
        "amount (ambiguous amount: the separator may be a decimal mark or a thousands separator; "
        "no earlier amount with a fraction fixes the file's decimal mark)"}},
      {"bad/mixed-decimal-marks.csv",
       {"mixed-decimal-marks.csv:3:210: error VALUE-AMOUNT: declared: '1.234,5' is not an amount "
        "(expected optional sign, digits, space grouping, one decimal mark)"}},
      {"bad/grouped-us-style.csv",
       {"grouped-us-style.csv:3:210: error VALUE-AMOUNT: declared: '1,234.5' is not an amount "
        "(expected optional sign, digits, space grouping, one decimal mark)"}},
      {"bad/scientific-notation.csv",
       {"scientific-notation.csv:4:168: error VALUE-AMOUNT: invoice-total: '4,0003E+10' is not an "
        "amount (expected optional sign, digits, space grouping, one decimal mark)"}},
      {"bad/impossible-date.csv",
       {"impossible-date.csv:3:83: error VALUE-DATE: invoice-date: '31.02.2024' is not a calendar "
        "date in YYYY-MM-DD or DD.MM.YYYY"}},
      {"bad/mixed-date-formats.csv",
       {"mixed-date-formats.csv:4:89: error VALUE-DATE-FORMAT: payment-date: '28.05.2024' is "
        "written DD.MM.YYYY but the file's first date (line 2) is YYYY-MM-DD; use one format per "
        "file"}},
      {"bad/bad-number.csv",
       {"bad-number.csv:5:51: error VALUE-NUMBER: line: '4a' is not a whole number from 1 (digits "
        "only)"}},
      {"bad/bad-category.csv",
       {"bad-category.csv:2:53: error VALUE-ENUM: category: 'Personāls' is not one of staff, "
        "office, travel, external, equipment, infrastructure"}},
      {"bad/unit-cost-sek.csv",
       {"unit-cost-sek.csv:5:141: error VALUE-INCONSISTENT: currency: 'SEK': a unit-cost line is "
        "in EUR (unit-cost 'UC-STAFF-HOUR')"}},
      {"bad/unit-cost-no-units.csv",
       {"unit-cost-no-units.csv:5:73: error VALUE-INCONSISTENT: units: is empty, but required on "
        "a unit-cost line (unit-cost 'UC-STAFF-HOUR')"}},
      {"bad/duplicate-line.csv",
       {"duplicate-line.csv:6:51: error VALUE-DUPLICATE-LINE: line: '2' is already the line "
        "number of line 3 of the file"}},
      {"bad/period-reversed.csv",
       {"period-reversed.csv:2:29: error VALUE-INCONSISTENT: period-end: '2024-01-01' is before "
        "period-start '2024-06-30'"}},
      {"bad/required-missing.csv",
       {"required-missing.csv:4:179: error VALUE-REQUIRED: declared: is empty, but required"}},
      {"bad/unterminated-quote.csv",
       {"unterminated-quote.csv:7:69: error CSV-QUOTE: description: the quote opened here is not "
        "closed before the end of the file"}},
      {"bad/text-after-quote.csv",
       {"text-after-quote.csv:3:105: error CSV-QUOTE: supplier: text after the closing quote: "
        "'Zaļā\" ekspertīze' (a quote inside a quoted field is written \"\")"}},
      {"bad/missing-column.csv",
       {"missing-column.csv:1:217: error CSV-COLUMN-UNKNOWN: column 'curency' is not one of the "
        "report columns",
        "missing-column.csv:1: error CSV-COLUMN-MISSING: column 'currency' is missing from the "
        "header"}},
      {"bad/unknown-column.csv",
       {"unknown-column.csv:1:204: error CSV-COLUMN-UNKNOWN: column 'VAT' is not one of the report "
        "columns "
        "(column names are lower-case: 'vat')",
        "unknown-column.csv:1: error CSV-COLUMN-MISSING: column 'vat' is missing from the header"}},
      {"bad/duplicate-column.csv",
       {"duplicate-column.csv:1:178: error CSV-COLUMN-DUPLICATE: column 'supplier' appears twice "
        "(first as column 15)",
        "duplicate-column.csv:1: error CSV-COLUMN-MISSING: column 'description' is missing from "
        "the header"}},
      {"bad/field-count.csv",
       {"field-count.csv:6: error CSV-FIELD-COUNT: the row has 22 fields, the header has 23 "
        "(delimiter ',')"}},
      {"bad/header-mismatch.csv",
       {"header-mismatch.csv:4:16: error CSV-HEADER-MISMATCH: report: '3' differs from '2' on "
        "line 2 (one report per file)",
        "header-mismatch.csv:5:16: error CSV-HEADER-MISMATCH: report: '3' differs from '2' on "
        "line 2 (one report per file)",
        "header-mismatch.csv:6:16: error CSV-HEADER-MISMATCH: report: '3' differs from '2' on "
        "line 2 (one report per file)"}},
      {"bad/no-lines.csv",
       {"no-lines.csv:1: error CSV-NO-LINES: the report has a header but no expenditure line"}},
      {"bad/blank-row-between.csv",
       {"blank-row-between.csv:4: error CSV-FIELD-COUNT: an empty row among the expenditure "
        "lines: delete it"}},
  };
  for (const Case& c : cases) {
    INFO(c.fixture);
    Diagnostics diags;
    CHECK_FALSE(read_fixture(c.fixture, diags));
    CHECK(formatted(diags) == c.expected);
  }
}

TEST_CASE("csv report fixes its decimal mark by the first amount with a fraction", "[csv]") {
  Diagnostics diags;
  // "1,234" is fine once the file's mark is known to be ',' ... and then means 1.234: too many
  // decimals. Whole amounts ("100") fix nothing.
  const auto r = read_report_csv(
      "r.csv",
      report({"1,staff,,,,,,,,,,,100,,100,EUR,", "2,staff,,,,,,,,,,,\"12,5\",,\"12,5\",EUR,",
              "3,staff,,,,,,,,,,,,,7.25,EUR,", "4,staff,,,,,,,,,,,,,\"1,234\",EUR,"}),
      diags);
  CHECK_FALSE(r);
  CHECK(formatted(diags) ==
        std::vector<std::string>{
            "r.csv:4:68: error VALUE-AMOUNT: declared: '7.25' is not an amount (decimal mark "
            "differs from the file's first amount: the file's decimal mark is ',' since line 3)",
            "r.csv:5:68: error VALUE-AMOUNT: declared: '1,234' is not an amount (more than 2 "
            "decimals)"});
}

TEST_CASE("csv report keeps identifiers that look like numbers as text", "[csv]") {
  Diagnostics diags;
  const auto r = read_report_csv(
      "r.csv",
      report({"1,external,,,0042,\"4,0003E+10\",2024-02-01,,SIA Kurzemes ceļi,\"4,0003E+10\","
              "VPR-1,Ceļa remonts,\"1 234,56\",\"214,26\",\"1 234,56\",EUR,"}),
      diags);
  CHECK(formatted(diags).empty());
  REQUIRE(r);
  CHECK(r->lines[0].internal_ref == "0042");
  CHECK(r->lines[0].invoice_no == "4,0003E+10");
  CHECK(r->lines[0].supplier_id == "4,0003E+10");
  CHECK(r->lines[0].declared.cents() == 123456);
  CHECK(r->lines[0].vat->cents() == 21426);
}

TEST_CASE("csv report collects every error of a file up to a cap", "[csv]") {
  std::vector<std::string> lines;
  for (int k = 1; k <= 150; ++k)
    lines.push_back(std::to_string(k) + ",Staff,,,,,,,,,,,,,1.00,EUR,");
  Diagnostics diags;
  CHECK_FALSE(read_report_csv("r.csv", report(lines), diags));
  REQUIRE(diags.items().size() == kMaxErrorsPerFile);
  CHECK(diags.items().back().line == 101);
  CHECK(diags.items().back().message ==
        "category: 'Staff' is not one of staff, office, travel, external, equipment, "
        "infrastructure [100 errors: the rest of the file is not checked]");
}

TEST_CASE("csv report diagnostics carry the field name", "[csv]") {
  Diagnostics diags;
  CHECK_FALSE(read_report_csv(
      "r.csv", report({"1,travel,,,,,2024-13-01,,,,,,,,,EUR,", "2,travel,,1.5,,,,,,,,,,,5,eur,"}),
      diags));
  REQUIRE(diags.items().size() == 3);
  CHECK(diags.items()[0].field == "invoice-date");
  CHECK(diags.items()[0].rule_id == "VALUE-DATE");
  CHECK(diags.items()[1].field == "declared");
  CHECK(diags.items()[1].rule_id == "VALUE-REQUIRED");
  CHECK(diags.items()[2].field == "currency");
  CHECK(diags.items()[2].rule_id == "VALUE-ENUM");
}

TEST_CASE("csv report refuses a field longer than an Excel cell", "[csv]") {
  Diagnostics diags;
  const std::string description(40'000, 'a');
  CHECK_FALSE(read_report_csv(
      "r.csv", report({"1,office,,,,,,,,,," + description + ",,,10.00,EUR,"}), diags));
  REQUIRE(diags.items().size() == 1);
  CHECK(diags.items()[0].rule_id == "VALUE-TOO-LONG");
  CHECK(diags.items()[0].field == "description");
  CHECK(diags.items()[0].line == 2);
}

TEST_CASE("csv report ignores blank rows at the end", "[csv]") {
  Diagnostics diags;
  const auto r = read_report_csv(
      "r.csv", report({"1,office,,,,,,,,,,,,,10.00,EUR,"}) + ",,,,,,,,,,,,,,,,,,,,,,\n\r\n\n",
      diags);
  CHECK(formatted(diags).empty());
  REQUIRE(r);
  CHECK(r->lines.size() == 1);
}

TEST_CASE("csv report checks whole numbers units and required fields", "[csv]") {
  Diagnostics diags;
  const std::string text = kHeader +
                           ",0,1,2024-01-01,2024-06-30,2024-07-10,1,staff,UC-1,\"1,555\",,,,,,,,,,,"
                           "10.00,EUR,\n";
  CHECK_FALSE(read_report_csv("r.csv", text, diags));
  CHECK(formatted(diags) ==
        std::vector<std::string>{
            "r.csv:2:1: error VALUE-REQUIRED: project: is empty, but required",
            "r.csv:2:2: error VALUE-NUMBER: partner: '0' is not a whole number from 1 (digits "
            "only)",
            "r.csv:2:52: error VALUE-NUMBER: units: '1,555' is not a number of units (digits, at "
            "most 2 decimals)"});
}

TEST_CASE("csv report hints at unquoted decimal commas", "[csv]") {
  Diagnostics diags;
  CHECK_FALSE(read_report_csv("r.csv", report({"1,office,,,,,,,,,,,,,12,50,EUR,"}), diags));
  CHECK(formatted(diags) ==
        std::vector<std::string>{
            "r.csv:2:79: error CSV-FIELD-COUNT: the row has 24 fields, the header has 23 "
            "(delimiter ','; an amount with a decimal comma must be quoted)"});
}
