// The reconciliation workbook, read back with an independent reader (openpyxl via
// tests/support/xlsx_read.py), never with libxlsxwriter's own code.
#include <catch2/catch.hpp>

#include <array>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "calc/outcome.h"
#include "money/decimal.h"
#include "money/money.h"
#include "workbook/sheet_writer.h"
#include "workbook/workbook.h"

using namespace cofin;
namespace fs = std::filesystem;

namespace {

Money eur(std::int64_t cents) {
  return Money::from_cents(cents);
}
Date day(int y, unsigned m, unsigned d) {
  return *Date::from_ymd(y, m, d);
}
Decimal pct(const char* text) {
  return *parse_decimal(text, 2);
}

// A fresh directory, removed at the end of the test.
class TempDir {
 public:
  TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "cofin-wb-XXXXXX").string();
    if (::mkdtemp(tmpl.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

struct Cell {
  std::string type;
  std::string format;
  bool quote = false;
  std::string value;
  std::string cached;
};

struct Dump {
  std::vector<std::string> sheets;
  std::map<std::string, Cell> cells;  // "Sheet!A1"
  std::map<std::string, std::string> names, freeze, filter, print, props;
  std::vector<std::string> cf;  // "Sheet|range|formula"
  std::vector<std::string> records;

  const Cell& at(const std::string& key) const {
    const auto it = cells.find(key);
    if (it == cells.end()) FAIL("no cell " << key);
    return it->second;
  }
  bool has(const std::string& key) const { return cells.count(key) > 0; }
};

std::string unescape(const std::string& s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 1 < s.size()) {
      const char c = s[++i];
      out += c == 't' ? '\t' : c == 'n' ? '\n' : c == 'r' ? '\r' : c;
    } else {
      out += s[i];
    }
  }
  return out;
}

std::vector<std::string> split_tabs(const std::string& line) {
  std::vector<std::string> out;
  std::string field;
  for (char c : line) {
    if (c == '\t') {
      out.push_back(unescape(field));
      field.clear();
    } else {
      field += c;
    }
  }
  out.push_back(unescape(field));
  return out;
}

Dump read_xlsx(const fs::path& file) {
  const std::string cmd = std::string("/usr/bin/python3 ") + COFIN_SOURCE_DIR +
                          "/tests/support/xlsx_read.py '" + file.string() + "' 2>&1";
  std::FILE* pipe = ::popen(cmd.c_str(), "r");
  REQUIRE(pipe != nullptr);
  std::string text;
  std::array<char, 65536> buf;
  std::size_t n;
  while ((n = std::fread(buf.data(), 1, buf.size(), pipe)) > 0) text.append(buf.data(), n);
  const int rc = ::pclose(pipe);
  INFO(text.substr(0, 2000));
  REQUIRE(rc == 0);
  Dump d;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    d.records.push_back(line);
    const auto f = split_tabs(line);
    if (f[0] == "SHEET") {
      d.sheets.push_back(f.at(2));
    } else if (f[0] == "CELL") {
      d.cells[f.at(1) + "!" + f.at(2)] = Cell{f.at(3), f.at(4), f.at(5) == "1", f.at(6), f.at(7)};
    } else if (f[0] == "NAME") {
      d.names[f.at(1)] = f.at(2);
    } else if (f[0] == "FREEZE") {
      d.freeze[f.at(1)] = f.at(2);
    } else if (f[0] == "FILTER") {
      d.filter[f.at(1)] = f.at(2);
    } else if (f[0] == "CF") {
      d.cf.push_back(f.at(1) + "|" + f.at(2) + "|" + f.at(3));
    } else if (f[0] == "PRINT") {
      d.print[f.at(1)] = f.at(2) + "|" + f.at(3) + "|" + f.at(4) + "|" + f.at(5) + "|" + f.at(6);
    } else if (f[0] == "PROP") {
      d.props[f.at(1)] = f.at(2);
    }
  }
  return d;
}

// Returns the cents of a numeric text as the reader printed it (repr of a double).
std::int64_t cents_of(const std::string& number) {
  return std::llround(std::stod(number) * 100.0);
}

// Checks a numeric amount cell: a number (not text), amount format, exactly `cents`.
void check_amount(const Dump& d, const std::string& key, std::int64_t cents) {
  INFO(key);
  const Cell& c = d.at(key);
  CHECK(c.type == "n");
  CHECK(c.format == "#,##0.00");
  CHECK(cents_of(c.value) == cents);
}

// Checks a formula cell: formula text and its cached value in cents.
void check_formula(const Dump& d, const std::string& key, const std::string& formula,
                   std::int64_t cents) {
  INFO(key);
  const Cell& c = d.at(key);
  CHECK(c.type == "f");
  CHECK(c.value == formula);
  CHECK(cents_of(c.cached) == cents);
}

void check_text(const Dump& d, const std::string& key, const std::string& text, bool quote) {
  INFO(key);
  const Cell& c = d.at(key);
  CHECK(c.type == "s");
  CHECK(c.value == text);
  CHECK(c.quote == quote);
}

LineOutcome line(const std::string& project, int partner, int report, int no, Money declared,
                 const std::string& file) {
  LineOutcome l;
  l.project = project;
  l.partner = partner;
  l.report = report;
  l.line.line = no;
  l.line.category = Category::kExternal;
  l.line.declared = declared;
  l.line.currency = "EUR";
  l.line.invoice_date = day(2024, 2, 1);
  l.line.payment_date = day(2024, 2, 15);
  l.source_file = file;
  l.eur = declared;
  l.certified = declared;
  l.check_result = "ok";
  return l;
}

const std::string kLongDescriptionStart = "long ";

// Three reports: an approved EUR one with a negative and a parked line, a SEK one not yet due
// with an ineligible line (cumulative rounding), and a negative correction.
RunOutcome sample() {
  RunOutcome o;
  o.job_name = "demo";
  o.run_id = "run-0001&x";
  o.version = "0.1.0";
  o.as_of = day(2024, 6, 30);
  o.audit_head = "ab12";

  // Report 1: CB-001 partner 1 report 1, lines 1-3.
  {
    LineOutcome l1 = line("CB-001", 1, 1, 1, eur(123457), "cb001-p1-r1.csv");
    l1.line.category = Category::kStaff;
    l1.line.description = "Project manager salary";
    l1.line.supplier_id = "40003012345";
    l1.deducted = eur(1000);
    l1.certified = eur(122457);
    l1.rule_ids = {"CTRL-DEDUCT"};
    LineOutcome l2 = line("CB-001", 1, 1, 2, eur(-5000), "cb001-p1-r1.csv");
    l2.line.description = "-5";
    l2.line.invoice_no = "CN-1";
    l2.line.vat = eur(-868);
    l2.line.invoice_total = eur(-5000);
    l2.check_result = "warning";
    l2.rule_ids = {"ELIG-DATE", "ELIG-X"};
    LineOutcome l3 = line("CB-001", 1, 1, 3, eur(30000), "cb001-p1-r1.csv");
    l3.line.description = "=HYPERLINK(\"http://evil.example\",\"click\")";
    l3.parked = true;
    l3.parked_eur = eur(30000);
    l3.certified = eur(0);
    o.lines = {l1, l2, l3};
  }
  // Report 2: CB-001 partner 2 report 1 (SEK), lines 1-2.
  {
    const Rate sek = *parse_decimal("11.038200", 6);
    LineOutcome l1 = line("CB-001", 2, 1, 1, eur(1000000), "cb001-p2-r1.xml");
    l1.line.currency = "SEK";
    l1.line.description = "+cmd|' /C calc'!A0";
    l1.line.supplier = "@SUM(1)";
    l1.line.unit_cost = "staff-hour";
    l1.line.units = *parse_decimal("12.5", 2);
    l1.rate = sek;
    l1.rate_month = "2024-04";
    l1.eur = convert_to_eur(eur(1000000), sek);
    l1.certified = l1.eur;
    LineOutcome l2 = line("CB-001", 2, 1, 2, eur(55000), "cb001-p2-r1.xml");
    l2.line.currency = "SEK";
    l2.line.description = std::string(kLongDescriptionStart) + std::string(40000, 'x');
    l2.rate = sek;
    l2.rate_month = "2024-04";
    l2.eur = convert_to_eur(eur(55000), sek);
    l2.ineligible = l2.eur;
    l2.certified = eur(0);
    l2.check_result = "ineligible";
    l2.rule_ids = {"ELIG-VAT"};
    o.lines.push_back(l1);
    o.lines.push_back(l2);
  }
  // Report 3: CB-002 partner 1 report 2, one negative correction line.
  {
    LineOutcome l1 = line("CB-002", 1, 2, 1, eur(-1001), "cb002-p1-r2.xml");
    l1.line.description = "\tTabbed";
    o.lines.push_back(l1);
  }

  ReportOutcome r1;
  r1.project = "CB-001";
  r1.acronym = "GREEN";
  r1.partner = 1;
  r1.partner_name =
      "R\xC4\xABgas pa\xC5\xA1vald\xC4\xAB"
      "ba";
  r1.partner_country = "LV";
  r1.report = 1;
  r1.period_start = day(2024, 1, 1);
  r1.period_end = day(2024, 3, 31);
  r1.status = "approved";
  r1.source_file = "cb001-p1-r1.csv";
  r1.declared = eur(148457);
  r1.parked = eur(30000);
  r1.deducted = eur(1000);
  r1.eligible = eur(117457);
  r1.erdf_rate = pct("80.00");
  r1.erdf = apply_percent(r1.eligible, r1.erdf_rate, Rounding::kFloor);  // 939.65
  r1.state_rule = "LV municipality: 10.00 % of national contribution";
  r1.state = eur(2349);
  r1.own = r1.eligible - r1.erdf - r1.state;
  r1.due = true;
  r1.erdf_due = r1.erdf;
  r1.state_due = r1.state;
  r1.erdf_paid = eur(50000);
  r1.findings = 2;
  r1.first_line = 0;
  r1.line_count = 3;

  ReportOutcome r2;
  r2.project = "CB-001";
  r2.acronym = "GREEN";
  r2.partner = 2;
  r2.partner_name = "Svenska AB";
  r2.partner_country = "SE";
  r2.report = 1;
  r2.period_start = day(2024, 1, 1);
  r2.period_end = day(2024, 3, 31);
  r2.status = "certified";
  r2.source_file = "cb001-p2-r1.xml";
  r2.declared = o.lines[3].eur + o.lines[4].eur;
  r2.deducted = o.lines[4].eur;
  r2.eligible = o.lines[3].eur;
  r2.erdf_rate = pct("75.50");
  r2.erdf = eur(68399);  // cumulative delta: not this report's own FLOOR
  r2.per_report_rounding = false;
  r2.state_rule = "=no state co-financing";
  r2.own = r2.eligible - r2.erdf;
  r2.not_due_reason = "awaiting approval";
  r2.findings = 1;
  r2.first_line = 3;
  r2.line_count = 2;

  ReportOutcome r3;
  r3.project = "CB-002";
  r3.acronym = "BLUE";
  r3.partner = 1;
  r3.partner_name = "Tartu";
  r3.report = 2;
  r3.period_start = day(2024, 4, 1);
  r3.period_end = day(2024, 6, 30);
  r3.status = "submitted";
  r3.source_file = "cb002-p1-r2.xml";
  r3.declared = eur(-1001);
  r3.eligible = eur(-1001);
  r3.erdf_rate = pct("80.00");
  r3.erdf = apply_percent(r3.eligible, r3.erdf_rate, Rounding::kFloor);  // -8.01
  r3.own = r3.eligible - r3.erdf;
  r3.not_due_reason = "not approved";
  r3.first_line = 5;
  r3.line_count = 1;
  o.reports = {r1, r2, r3};

  Diagnostic f1;
  f1.severity = Severity::kError;
  f1.rule_id = "ELIG-VAT";
  f1.file = "cb001-p2-r1.xml";
  f1.line = 40;
  f1.line_no = 2;
  f1.message = "VAT is recoverable";
  f1.amount = o.lines[4].eur;
  Diagnostic f2;
  f2.severity = Severity::kWarning;
  f2.rule_id = "ELIG-DATE";
  f2.file = "inbox/cb001-p1-r1.csv";  // with a directory: still found by its file name
  f2.line = 3;
  f2.line_no = 2;
  f2.message = "invoice date before the period";
  Diagnostic f3;
  f3.severity = Severity::kError;
  f3.rule_id = "CSV-AMOUNT";
  f3.file = "bad.csv";
  f3.line = 7;
  f3.field = "declared";
  f3.message = "=1+1 is not an amount";
  o.findings = {f1, f2, f3};

  o.inputs = {{"inbox/cb001-p1-r1.csv", "report", std::string(64, 'a'), 1234, "accepted", ""},
              {"inbox/bad.csv", "report", std::string(64, 'b'), 99, "rejected", "-bad amount"}};
  o.rule_sets = {{"central-baltic-2021-2027", "programmes/cb.xml", std::string(64, 'c')}};
  ExchangeRate rate;
  rate.currency = "SEK";
  rate.year = 2024;
  rate.month = 4;
  rate.units_per_eur = *parse_decimal("11.038200", 6);
  rate.pos.file = "rates/2024-04.xml";
  o.rates_used = {rate};
  return o;
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

}  // namespace

TEST_CASE("workbook file name is job and as-of date", "[workbook]") {
  CHECK(workbook_file_name("demo", day(2024, 6, 30)) == "demo-2024-06-30.xlsx");
}

TEST_CASE("workbook text safety helpers", "[workbook]") {
  CHECK(wb::looks_like_formula("=1+1"));
  CHECK(wb::looks_like_formula("+1"));
  CHECK(wb::looks_like_formula("-5"));
  CHECK(wb::looks_like_formula("@SUM(1)"));
  CHECK(wb::looks_like_formula("\tx"));
  CHECK(wb::looks_like_formula("\rx"));
  CHECK(
      wb::looks_like_formula("\xEF\xBC\x9D"
                             "1"));  // full-width =
  CHECK_FALSE(wb::looks_like_formula("a=1"));
  CHECK_FALSE(wb::looks_like_formula(""));
  CHECK(wb::fit_cell("abc") == "abc");
  const std::string ae = "\xC3\xA4";  // ä: 2 bytes, 1 character
  std::string long_text;
  for (int i = 0; i < 40000; ++i) long_text += ae;
  const std::string cut = wb::fit_cell(long_text);
  std::size_t chars = 0;
  for (unsigned char c : cut) chars += (c & 0xC0) != 0x80 ? 1 : 0;
  CHECK(chars == wb::kMaxCellChars);
  CHECK(cut.ends_with(wb::kTruncatedMarker));
  CHECK(wb::column_name(0) == "A");
  CHECK(wb::column_name(25) == "Z");
  CHECK(wb::column_name(26) == "AA");
  CHECK(wb::column_name(29) == "AD");
}

TEST_CASE("workbook sheets read back with an independent reader", "[workbook]") {
  const RunOutcome o = sample();
  TempDir dir;
  const fs::path file = dir.path() / workbook_file_name(o.job_name, o.as_of);
  write_workbook(o, file);
  REQUIRE(fs::exists(file));
  // Only the workbook remains: no temporary files.
  CHECK(std::distance(fs::directory_iterator(dir.path()), fs::directory_iterator()) == 1);

  const Dump d = read_xlsx(file);
  CHECK(d.sheets == std::vector<std::string>{"Summary", "Lines", "Findings", "Rates", "Audit"});

  SECTION("Summary figures, formulas and links") {
    const ReportOutcome& r1 = o.reports[0];
    check_text(d, "Summary!A2", "Project", false);
    check_text(d, "Summary!A3", "CB-001", false);
    check_text(d, "Summary!D3", r1.partner_name, false);
    check_amount(d, "Summary!I3", 148457);
    check_amount(d, "Summary!J3", 1000);
    check_amount(d, "Summary!K3", 30000);
    check_formula(d, "Summary!L3", "=I3-J3-K3", 117457);
    CHECK(d.at("Summary!M3").format == "0.00%");
    CHECK(d.at("Summary!M3").value == "0.8");
    check_formula(d, "Summary!N3", "=INT(ROUND(L3*M3*100,6))/100", 93965);
    check_formula(d, "Summary!Q3", "=L3-N3-P3", r1.own.cents());
    check_formula(d, "Summary!W3", "=R3-U3", 93965 - 50000);
    check_formula(d, "Summary!X3", "=S3-V3", 2349);
    CHECK(d.at("Summary!Y3").value == "2.0");
    // Cumulative rounding: ERDF is a plain figure.
    check_amount(d, "Summary!N4", 68399);
    CHECK(d.at("Summary!M4").value == "0.755");
    check_text(d, "Summary!O4", "=no state co-financing", true);
    check_text(d, "Summary!T4", "awaiting approval", false);
    // Negative eligible: FLOOR goes down.
    check_formula(d, "Summary!N5", "=INT(ROUND(L5*M5*100,6))/100", -801);
    check_formula(d, "Summary!Q5", "=L5-N5-P5", -200);
    // Dates.
    CHECK(d.at("Summary!F3").type == "d");
    CHECK(d.at("Summary!F3").value == "2024-01-01T00:00:00");
    CHECK(d.at("Summary!F3").format == "yyyy-mm-dd");
    // Report cells link to the report's first line.
    check_formula(d, "Summary!E3", "=HYPERLINK(\"#'Lines'!A3\",1)", 100);
    check_formula(d, "Summary!E4", "=HYPERLINK(\"#'Lines'!A6\",1)", 100);
    check_formula(d, "Summary!E5", "=HYPERLINK(\"#'Lines'!A8\",2)", 200);
    // Totals above the header, from exact cents.
    check_text(d, "Summary!A1", "Total", false);
    std::int64_t declared = 0, eligible = 0, erdf = 0;
    for (const ReportOutcome& r : o.reports) {
      declared += r.declared.cents();
      eligible += r.eligible.cents();
      erdf += r.erdf.cents();
    }
    check_formula(d, "Summary!I1", "=SUBTOTAL(9,I3:I5)", declared);
    check_formula(d, "Summary!L1", "=SUBTOTAL(9,L3:L5)", eligible);
    check_formula(d, "Summary!N1", "=SUBTOTAL(9,N3:N5)", erdf);
    check_formula(d, "Summary!Y1", "=SUBTOTAL(9,Y3:Y5)", 300);
    CHECK_FALSE(d.has("Summary!A6"));
  }

  SECTION("Lines values, types and injection-safe text") {
    check_text(d, "Lines!A3", "CB-001", false);
    CHECK(d.at("Lines!D3").value == "1.0");
    check_text(d, "Lines!E3", "staff", false);
    check_text(d, "Lines!M3", "40003012345", false);  // identifiers stay text
    check_amount(d, "Lines!R3", 123457);
    check_amount(d, "Lines!W3", 123457);
    check_amount(d, "Lines!Z3", 1000);
    check_amount(d, "Lines!AB3", 122457);
    check_text(d, "Lines!AC3", "CTRL-DEDUCT", false);
    check_text(d, "Lines!AD3", "cb001-p1-r1.csv", false);
    CHECK(d.at("Lines!J3").type == "d");
    CHECK(d.at("Lines!J3").value == "2024-02-01T00:00:00");
    // Negative line: numbers stay numbers, "-5" text stays text.
    check_amount(d, "Lines!R4", -5000);
    check_amount(d, "Lines!Q4", -868);
    check_amount(d, "Lines!P4", -5000);
    check_text(d, "Lines!O4", "-5", true);
    check_text(d, "Lines!AC4", "ELIG-DATE, ELIG-X", false);
    // Parked line with a formula-looking description.
    check_text(d, "Lines!O5", "=HYPERLINK(\"http://evil.example\",\"click\")", true);
    check_amount(d, "Lines!AA5", 30000);
    check_amount(d, "Lines!AB5", 0);
    // SEK line.
    check_text(d, "Lines!S6", "SEK", false);
    CHECK(d.at("Lines!U6").format == "0.000000");
    CHECK(d.at("Lines!U6").value == "11.0382");
    check_text(d, "Lines!V6", "2024-04", false);
    check_amount(d, "Lines!R6", 1000000);
    check_amount(d, "Lines!W6", o.lines[3].eur.cents());
    CHECK(o.lines[3].eur.cents() == 90594);
    CHECK(d.at("Lines!G6").value == "12.5");
    check_text(d, "Lines!O6", "+cmd|' /C calc'!A0", true);
    check_text(d, "Lines!L6", "@SUM(1)", true);
    // Ineligible line, truncated description.
    check_text(d, "Lines!X7", "ineligible", false);
    check_amount(d, "Lines!Y7", o.lines[4].eur.cents());
    const Cell& long_cell = d.at("Lines!O7");
    CHECK(long_cell.type == "s");
    CHECK(long_cell.value.starts_with(kLongDescriptionStart));
    CHECK(long_cell.value.ends_with(wb::kTruncatedMarker));
    // Tab-led text.
    check_text(d, "Lines!O8", "\tTabbed", true);
    check_amount(d, "Lines!R8", -1001);
    // Totals.
    std::int64_t total = 0;
    for (const LineOutcome& l : o.lines) total += l.eur.cents();
    check_formula(d, "Lines!W1", "=SUBTOTAL(9,W3:W8)", total);
    check_formula(d, "Lines!AA1", "=SUBTOTAL(9,AA3:AA8)", 30000);
    CHECK_FALSE(d.has("Lines!A9"));
  }

  SECTION("Findings link to their Lines row") {
    check_text(d, "Findings!A3", "error", false);
    check_text(d, "Findings!B3", "ELIG-VAT", false);
    CHECK(d.at("Findings!E3").value == "40.0");
    check_formula(d, "Findings!F3", "=HYPERLINK(\"#'Lines'!A7\",2)", 200);
    check_amount(d, "Findings!G3", o.lines[4].eur.cents());
    check_formula(d, "Findings!F4", "=HYPERLINK(\"#'Lines'!A4\",2)", 200);
    CHECK_FALSE(d.has("Findings!G4"));
    check_text(d, "Findings!C5", "=1+1 is not an amount", true);
    CHECK_FALSE(d.has("Findings!F5"));
    check_text(d, "Findings!H5", "declared", false);
    check_formula(d, "Findings!G1", "=SUBTOTAL(9,G3:G5)", o.lines[4].eur.cents());
  }

  SECTION("Rates and Audit") {
    check_text(d, "Rates!A1", "Currency", false);
    check_text(d, "Rates!A2", "SEK", false);
    CHECK(d.at("Rates!B2").value == "2024.0");
    CHECK(d.at("Rates!C2").value == "4.0");
    CHECK(d.at("Rates!D2").value == "11.0382");
    CHECK(d.at("Rates!D2").format == "0.000000");
    check_text(d, "Audit!B1", "run-0001&x", false);
    check_text(d, "Audit!B2", "0.1.0", false);
    check_text(d, "Audit!B3", "demo", false);
    CHECK(d.at("Audit!B4").type == "d");
    CHECK(d.at("Audit!B4").value == "2024-06-30T00:00:00");
    check_text(d, "Audit!B5", "ab12", false);
    check_text(d, "Audit!A7", "Input file", false);
    check_text(d, "Audit!A8", "inbox/cb001-p1-r1.csv", false);
    check_text(d, "Audit!C8", std::string(64, 'a'), false);
    CHECK(d.at("Audit!D8").value == "1234.0");
    check_text(d, "Audit!F9", "-bad amount", true);
    check_text(d, "Audit!A11", "Rule set", false);
    check_text(d, "Audit!A12", "central-baltic-2021-2027", false);
    check_text(d, "Audit!C12", std::string(64, 'c'), false);
  }

  SECTION("form: names, panes, filters, conditional formats, print set-up, properties") {
    CHECK(d.names.at("Summary_Table") == "'Summary'!$A$2:$Y$5");
    CHECK(d.names.at("Lines_Table") == "'Lines'!$A$2:$AD$8");
    CHECK(d.names.at("Findings_Table") == "'Findings'!$A$2:$H$5");
    CHECK(d.names.at("Rates_Table") == "'Rates'!$A$1:$E$2");
    CHECK(d.names.at("Audit_Inputs") == "'Audit'!$A$7:$F$9");
    CHECK(d.names.at("Audit_RuleSets") == "'Audit'!$A$11:$C$12");
    CHECK(d.freeze.at("Summary") == "E3");
    CHECK(d.freeze.at("Lines") == "E3");
    CHECK(d.freeze.at("Findings") == "A3");
    CHECK(d.filter.at("Summary") == "A2:Y5");
    CHECK(d.filter.at("Lines") == "A2:AD8");
    CHECK(d.filter.at("Findings") == "A2:H5");
    CHECK(d.filter.at("Rates") == "A1:E2");
    CHECK(d.filter.at("Audit") == "A7:F9");
    const auto has_cf = [&](const std::string& s) {
      return std::find(d.cf.begin(), d.cf.end(), s) != d.cf.end();
    };
    CHECK(has_cf("Lines|X3:X8|X3=\"ineligible\""));
    CHECK(has_cf("Lines|X3:X8|X3=\"warning\""));
    CHECK(has_cf("Findings|A3:A5|A3=\"error\""));
    for (const char* sheet : {"Summary", "Lines", "Findings", "Rates", "Audit"}) {
      INFO(sheet);
      const std::string p = d.print.at(sheet);
      INFO(p);
      CHECK(p.starts_with("landscape|1|0|"));
      CHECK(p.find("&A|Page &P of &N|run run-0001&&x") != std::string::npos);
    }
    CHECK(d.print.at("Summary").find("$1:$2") != std::string::npos);
    CHECK(d.props.at("created") == "2024-06-30T00:00:00");
    // Header cells carry the header style; amounts show EUR in the header.
    check_text(d, "Summary!I2", "Declared (EUR)", false);
  }
}

TEST_CASE("workbook is byte-identical for the same outcome", "[workbook]") {
  const RunOutcome o = sample();
  TempDir dir;
  write_workbook(o, dir.path() / "a.xlsx");
  write_workbook(o, dir.path() / "b.xlsx");
  const std::string a = slurp(dir.path() / "a.xlsx");
  CHECK(!a.empty());
  CHECK(a == slurp(dir.path() / "b.xlsx"));

  // Constant-memory mode writes the same cells (inline strings instead of shared ones).
  WorkbookOptions cm;
  cm.constant_memory = true;
  cm.tmpdir = dir.path();
  write_workbook(o, dir.path() / "c1.xlsx", cm);
  write_workbook(o, dir.path() / "c2.xlsx", cm);
  CHECK(slurp(dir.path() / "c1.xlsx") == slurp(dir.path() / "c2.xlsx"));
  const Dump normal = read_xlsx(dir.path() / "a.xlsx");
  const Dump constant = read_xlsx(dir.path() / "c1.xlsx");
  CHECK(normal.records == constant.records);
  CHECK(normal.records.size() > 200);
}

TEST_CASE("workbook with no reports, lines or findings", "[workbook]") {
  RunOutcome o;
  o.job_name = "empty";
  o.run_id = "r";
  o.version = "0.1.0";
  o.as_of = day(2024, 1, 31);
  TempDir dir;
  write_workbook(o, dir.path() / "e.xlsx");
  const Dump d = read_xlsx(dir.path() / "e.xlsx");
  CHECK(d.sheets.size() == 5);
  check_formula(d, "Summary!I1", "=SUBTOTAL(9,I3:I3)", 0);
  CHECK(d.names.at("Lines_Table") == "'Lines'!$A$2:$AD$2");
}

TEST_CASE("a failing workbook write throws and leaves no file", "[workbook]") {
  const RunOutcome o = sample();
  TempDir dir;
  const fs::path missing = dir.path() / "no-such-dir" / "x.xlsx";
  CHECK_THROWS_AS(write_workbook(o, missing), WorkbookError);
  CHECK_FALSE(fs::exists(missing));
  try {
    write_workbook(o, missing);
  } catch (const WorkbookError& e) {
    CHECK(std::string(e.what()).find(missing.string()) != std::string::npos);
  }

  // The target is a directory: the rename fails after a complete write; nothing is left over.
  const fs::path blocked = dir.path() / "blocked.xlsx";
  fs::create_directories(blocked / "inside");
  CHECK_THROWS_AS(write_workbook(o, blocked), WorkbookError);
  CHECK(fs::is_directory(blocked / "inside"));
  CHECK(std::distance(fs::directory_iterator(dir.path()), fs::directory_iterator()) == 1);

  // libxlsxwriter's own failure: its temporary directory does not exist.
  WorkbookOptions bad;
  bad.constant_memory = true;
  bad.tmpdir = dir.path() / "no-tmp";
  const fs::path target = dir.path() / "y.xlsx";
  CHECK_THROWS_AS(write_workbook(o, target, bad), WorkbookError);
  CHECK_FALSE(fs::exists(target));
  CHECK(std::distance(fs::directory_iterator(dir.path()), fs::directory_iterator()) == 1);
}

TEST_CASE("quote-prefix patch refuses a file that is not a workbook", "[workbook]") {
  TempDir dir;
  const fs::path in = dir.path() / "in.xlsx";
  std::ofstream(in) << "not a zip file, but long enough to hold an end record";
  CHECK_THROWS_AS(wb::patch_quote_prefix(in.string(), (dir.path() / "out.xlsx").string(), 1),
                  WorkbookError);
  CHECK_THROWS_AS(wb::patch_quote_prefix((dir.path() / "missing").string(),
                                         (dir.path() / "out.xlsx").string(), 1),
                  WorkbookError);
}
