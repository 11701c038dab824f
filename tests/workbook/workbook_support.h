// Shared by the workbook tests: the independent read-back (openpyxl via
// tests/support/xlsx_read.py, never libxlsxwriter's own code) and a hand-made sample outcome.
#pragma once

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

namespace cofin::wbtest {

namespace fs = std::filesystem;

inline Money eur(std::int64_t cents) {
  return Money::from_cents(cents);
}
inline Date day(int y, unsigned m, unsigned d) {
  return *Date::from_ymd(y, m, d);
}
inline Decimal pct(const char* text) {
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

inline std::string unescape(const std::string& s) {
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

inline std::vector<std::string> split_tabs(const std::string& line) {
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

inline Dump read_xlsx(const fs::path& file) {
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
inline std::int64_t cents_of(const std::string& number) {
  return std::llround(std::stod(number) * 100.0);
}

// Checks a numeric amount cell: a number (not text), amount format, exactly `cents`.
inline void check_amount(const Dump& d, const std::string& key, std::int64_t cents) {
  INFO(key);
  const Cell& c = d.at(key);
  CHECK(c.type == "n");
  CHECK(c.format == "#,##0.00");
  CHECK(cents_of(c.value) == cents);
}

// Checks a formula cell: formula text and its cached value in cents.
inline void check_formula(const Dump& d, const std::string& key, const std::string& formula,
                          std::int64_t cents) {
  INFO(key);
  const Cell& c = d.at(key);
  CHECK(c.type == "f");
  CHECK(c.value == formula);
  CHECK(cents_of(c.cached) == cents);
}

inline void check_text(const Dump& d, const std::string& key, const std::string& text, bool quote) {
  INFO(key);
  const Cell& c = d.at(key);
  CHECK(c.type == "s");
  CHECK(c.value == text);
  CHECK(c.quote == quote);
}

inline LineOutcome line(const std::string& project, int partner, int report, int no, Money declared,
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

inline const std::string kLongDescriptionStart = "long ";

// Three reports: an approved EUR one with a negative and a parked line, a SEK one not yet due
// with an ineligible line (cumulative rounding), and a negative correction.
inline RunOutcome sample() {
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
  // Co-financing figures: r1 per-report with a state share, r2 cumulative with a rounding
  // difference, r3 a negative correction.
  r1.erdf_per_report = r1.erdf;
  r1.erdf_cumulative = r1.erdf;
  r1.state_percent = pct("10.00");
  r1.state_base_amount = r1.eligible - r1.erdf;  // the national contribution: 234.92
  r1.state_per_report = apply_percent(r1.state_base_amount, *r1.state_percent, Rounding::kFloor);
  r1.state_cumulative = r1.state_per_report;
  r1.cumulative_eligible = r1.eligible;
  r1.cumulative_erdf = r1.erdf;
  r1.budgeted_erdf = eur(80000000);
  r1.cumulative_state = r1.state;
  r1.state_granted = eur(2000);  // exceeded: headroom negative
  r1.approved_on = day(2024, 5, 15);
  r1.certified_on = day(2024, 4, 30);
  r1.project_report = 1;
  r1.erdf_difference = r1.erdf_due - r1.erdf_paid;
  r1.state_difference = r1.state_due - r1.state_paid;
  r1.erdf_status = "partly paid";
  r1.state_status = "due";
  r1.days_with_controller = 30;
  r2.erdf_per_report = apply_percent(r2.eligible, r2.erdf_rate, Rounding::kFloor);  // 683.98
  r2.erdf_cumulative = r2.erdf;
  r2.erdf_rounding_difference = r2.erdf_cumulative - r2.erdf_per_report;
  r2.cumulative_eligible = r2.eligible;
  r2.cumulative_erdf = r2.erdf;
  r2.budgeted_erdf = eur(50000);
  r2.erdf_status = "not due";
  r2.state_status = "none";
  r2.days_with_controller = 91;
  r3.erdf_per_report = r3.erdf;
  r3.erdf_cumulative = r3.erdf;
  r3.cumulative_eligible = r3.eligible;
  r3.cumulative_erdf = r3.erdf;
  r3.erdf_status = "not due";
  r3.state_status = "none";
  o.reports = {r1, r2, r3};

  // Budget: staff within its limit, external over it (capped).
  BudgetRow b1;
  b1.project = "CB-001";
  b1.partner = 1;
  b1.report = 1;
  b1.category = Category::kStaff;
  b1.budget = eur(300000);
  b1.previous = eur(100000);
  b1.this_report = eur(122457);
  b1.total = b1.previous + b1.this_report;
  b1.remaining = b1.budget - b1.total;
  b1.percent_used = *parse_decimal("74.15", 2);  // HALF_UP(222457 / 300000 × 100, 2)
  b1.flex_limit = eur(330000);
  BudgetRow b2 = b1;
  b2.category = Category::kExternal;
  b2.budget = eur(20000);
  b2.previous = eur(0);
  b2.this_report = eur(22000);
  b2.total = eur(22000);
  b2.remaining = eur(-2000);
  b2.percent_used = *parse_decimal("110.00", 2);
  b2.flex_limit = eur(22000);
  b2.over_limit = eur(1000);
  BudgetRow b3 = b1;
  b3.project = "CB-002";
  b3.category = Category::kOffice;
  b3.budget = eur(0);
  b3.previous = eur(0);
  b3.this_report = eur(0);
  b3.total = eur(0);
  b3.remaining = eur(0);
  b3.percent_used.reset();  // no budget: no percentage
  b3.flex_limit = eur(0);
  o.budget = {b1, b2, b3};

  // Deductions: the controller twice on one typology, cofin's rule, and the flat-rate knock-on.
  const auto deduction = [](const char* by, const char* typology, Category c, std::int64_t cents,
                            bool flat) {
    DeductionEntry d;
    d.project = "CB-001";
    d.partner = 1;
    d.report = 1;
    d.by = by;
    d.typology = typology;
    d.typology_text = flat ? "" : std::string("meaning of ") + typology;
    d.flat_rate = flat;
    d.category = c;
    d.amount = eur(cents);
    return d;
  };
  o.deductions = {deduction("controller", "ineligible-cost", Category::kStaff, 600, false),
                  deduction("controller", "ineligible-cost", Category::kStaff, 400, false),
                  deduction("controller", "ineligible-cost", Category::kExternal, 1, false),
                  deduction("cofin", "ELIG-VAT", Category::kExternal, 4983, false),
                  deduction("controller", "", Category::kOffice, 150, true),
                  deduction("=cmd", "@bad", Category::kTravel, -5, false)};

  // Payments: two ERDF instalments on report 1.
  const auto payment = [](const char* ref, std::int64_t cents) {
    PaymentOutcome p;
    p.project = "CB-001";
    p.partner = 1;
    p.report = 1;
    p.fund = Fund::kErdf;
    p.event_id = std::string("ev-") + ref;
    p.payment_ref = ref;
    p.date = day(2024, 6, 1);
    p.amount = eur(cents);
    return p;
  };
  o.payments = {payment("P-1", 30000), payment("P-2", 20000)};

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

inline std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// Returns the entry names of the zip file at `file`, one a line (read by Python's zipfile).
inline std::string zip_entries(const fs::path& file) {
  const std::string cmd =
      "/usr/bin/python3 -c 'import sys, zipfile; print(\"\\n\".join(zipfile.ZipFile(sys.argv[1])"
      ".namelist()))' '" +
      file.string() + "'";
  std::FILE* pipe = ::popen(cmd.c_str(), "r");
  REQUIRE(pipe != nullptr);
  std::string text;
  std::array<char, 4096> buf;
  std::size_t n;
  while ((n = std::fread(buf.data(), 1, buf.size(), pipe)) > 0) text.append(buf.data(), n);
  REQUIRE(::pclose(pipe) == 0);
  return text;
}

}  // namespace cofin::wbtest
