// The reconciliation workbook, read back with an independent reader (openpyxl via
// tests/support/xlsx_read.py), never with libxlsxwriter's own code.
#include <catch2/catch.hpp>

#include "workbook/sheet_writer.h"
#include "workbook/workbook.h"
#include "workbook/workbook_support.h"

using namespace cofin;
using namespace cofin::wbtest;

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

  // The fast path is taken only where the full treatment changes nothing.
  for (const char* plain : {"abc", "Invoice 17/2024", "a_b", "_", "x_", "= 1", "~!@#$%^&*()"}) {
    CHECK(wb::plain_cell_text(plain));
    CHECK(wb::fit_cell(wb::safe_cell_text(plain)) == plain);
  }
  for (const char* special :
       {"_x0041_", "_x", "tab\there", "line\nbreak", "\x7F", "\xC3\xA4", "\xFF", ""}) {
    const std::string text = special;
    if (text.empty()) continue;
    CHECK_FALSE(wb::plain_cell_text(text));
  }
  CHECK_FALSE(wb::plain_cell_text(std::string(wb::kMaxCellChars + 1, 'a')));
  CHECK(wb::plain_cell_text(std::string(wb::kMaxCellChars, 'a')));
  // Exhaustively over 1- and 2-byte texts: plain implies unchanged.
  for (int a = 0; a < 256; ++a) {
    for (int b = -1; b < 256; ++b) {
      std::string text(1, static_cast<char>(a));
      if (b >= 0) text += static_cast<char>(b);
      if (wb::plain_cell_text(text)) CHECK(wb::fit_cell(wb::safe_cell_text(text)) == text);
    }
  }
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
  CHECK(d.sheets == std::vector<std::string>{"Summary", "Lines", "Findings", "Budget",
                                             "Co-financing", "Payments", "Deductions", "Rates",
                                             "Audit"});

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
    // Certified re-computes as EUR - ineligible - deducted - parked.
    check_formula(d, "Lines!AB3", "=W3-Y3-Z3-AA3", 122457);
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
    check_formula(d, "Lines!AB5", "=W5-Y5-Z5-AA5", 0);
    // SEK line.
    check_text(d, "Lines!S6", "SEK", false);
    CHECK(d.at("Lines!U6").format == "0.000000");
    CHECK(d.at("Lines!U6").value == "11.0382");
    check_text(d, "Lines!V6", "2024-04", false);
    check_amount(d, "Lines!R6", 1000000);
    // Foreign currency: EUR = HALF_UP(declared / rate, 2) as a live formula.
    check_formula(d, "Lines!W6", "=ROUND(R6/U6,2)", o.lines[3].eur.cents());
    CHECK(d.at("Lines!W6").format == "#,##0.00");
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

  SECTION("Budget: totals so far, remaining, % used, over-limit rows") {
    check_text(d, "Budget!D2", "Category", false);
    check_text(d, "Budget!D3", "staff", false);
    check_amount(d, "Budget!E3", 300000);
    check_formula(d, "Budget!H3", "=F3+G3", 222457);
    check_formula(d, "Budget!I3", "=E3-H3", 77543);
    check_formula(d, "Budget!J3", "=ROUND(H3/E3,4)", 74);  // 0.7415 -> cents_of = 74
    CHECK(d.at("Budget!J3").cached == "0.7415");
    CHECK(d.at("Budget!J3").format == "0.00%");
    check_formula(d, "Budget!I4", "=E4-H4", -2000);
    CHECK(d.at("Budget!J4").cached == "1.1");
    check_amount(d, "Budget!L4", 1000);
    CHECK_FALSE(d.has("Budget!J5"));  // no budget, no percentage
    check_formula(d, "Budget!G1", "=SUBTOTAL(9,G3:G5)", 144457);
    check_formula(d, "Budget!L1", "=SUBTOTAL(9,L3:L5)", 1000);
    CHECK_FALSE(d.has("Budget!E1"));  // budgets repeat per report: not totalled
    const auto has_cf = [&](const std::string& s) {
      return std::find(d.cf.begin(), d.cf.end(), s) != d.cf.end();
    };
    CHECK(has_cf("Budget|L3:L5|L3>0"));
    CHECK(has_cf("Budget|H3:H5|H3>K3"));
    CHECK(d.names.at("Budget_Table") == "'Budget'!$A$2:$L$5");
    CHECK(d.freeze.at("Budget") == "E3");
  }

  SECTION("Co-financing: shares as FLOOR formulas, own as the remainder, rounding modes") {
    check_formula(d, "Co-financing!G3", "=INT(ROUND(E3*F3*100,6))/100", 93965);
    check_formula(d, "Co-financing!O3", "=INT(ROUND(M3*N3*100,6))/100", 2349);
    check_amount(d, "Co-financing!M3", 23492);
    check_formula(d, "Co-financing!T3", "=E3-K3-S3", o.reports[0].own.cents());
    check_formula(d, "Co-financing!X3", "=W3-V3", 80000000 - 93965);
    check_formula(d, "Co-financing!AA3", "=Z3-Y3", 2000 - 2349);
    check_text(d, "Co-financing!D4", "cumulative", false);
    check_formula(d, "Co-financing!G4", "=INT(ROUND(E4*F4*100,6))/100", 68398);
    check_amount(d, "Co-financing!H4", 68399);
    check_formula(d, "Co-financing!I4", "=H4-G4", 1);
    check_amount(d, "Co-financing!K4", 68399);
    CHECK_FALSE(d.has("Co-financing!N4"));
    CHECK_FALSE(d.has("Co-financing!AA4"));
    check_formula(d, "Co-financing!G5", "=INT(ROUND(E5*F5*100,6))/100", -801);
    check_formula(d, "Co-financing!I1", "=SUBTOTAL(9,I3:I5)", 1);
    const auto has_cf = [&](const std::string& s) {
      return std::find(d.cf.begin(), d.cf.end(), s) != d.cf.end();
    };
    CHECK(has_cf("Co-financing|AA3:AA5|AA3<0"));
    CHECK(has_cf("Co-financing|I3:I5|I3<>0"));
  }

  SECTION("Payments: paid from the instalments, due against paid") {
    const std::string erdf =
        "=SUMIFS($H$8:$H$9,$A$8:$A$9,A3,$B$8:$B$9,B3,$C$8:$C$9,C3,$D$8:$D$9,\"erdf\")";
    check_formula(d, "Payments!I3", erdf, 50000);
    check_formula(d, "Payments!J3", "=H3-I3", 93965 - 50000);
    check_formula(d, "Payments!M3",
                  "=SUMIFS($H$8:$H$9,$A$8:$A$9,A3,$B$8:$B$9,B3,$C$8:$C$9,C3,$D$8:$D$9,\"state\")",
                  0);
    check_text(d, "Payments!K3", "partly paid", false);
    CHECK(d.at("Payments!F3").value == "2024-05-15T00:00:00");
    check_text(d, "Payments!P4", "awaiting approval", false);
    CHECK(d.at("Payments!Q4").value == "91.0");
    check_text(d, "Payments!A7", "Project", false);
    check_text(d, "Payments!D8", "erdf", false);
    check_amount(d, "Payments!H9", 20000);
    CHECK(d.at("Payments!G8").type == "d");
    CHECK(d.names.at("Payments_Instalments") == "'Payments'!$A$7:$H$9");
    check_formula(d, "Payments!I1", "=SUBTOTAL(9,I3:I5)", 50000);
  }

  SECTION("Deductions: typology by category matrix with the flat-rate row") {
    check_text(d, "Deductions!D2", "staff (EUR)", false);
    check_text(d, "Deductions!I2", "infrastructure (EUR)", false);
    check_text(d, "Deductions!A3", "=cmd", true);
    check_text(d, "Deductions!B3", "@bad", true);
    check_amount(d, "Deductions!F3", -5);
    check_text(d, "Deductions!B4", "ELIG-VAT", false);
    check_text(d, "Deductions!B5", "ineligible-cost", false);
    check_text(d, "Deductions!C5", "meaning of ineligible-cost", false);
    check_amount(d, "Deductions!D5", 1000);
    check_amount(d, "Deductions!E5", 0);
    check_formula(d, "Deductions!J5", "=SUM(D5:I5)", 1001);
    check_text(d, "Deductions!B6", "flat-rate knock-on", false);
    check_amount(d, "Deductions!E6", 150);
    CHECK_FALSE(d.has("Deductions!A7"));
    check_formula(d, "Deductions!D1", "=SUBTOTAL(9,D3:D6)", 1000);
    check_formula(d, "Deductions!J1", "=SUBTOTAL(9,J3:J6)", 6129);
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
    for (const char* sheet : {"Summary", "Lines", "Findings", "Budget", "Co-financing", "Payments",
                              "Deductions", "Rates", "Audit"}) {
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
  CHECK(d.sheets.size() == 9);
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
  CHECK_THROWS_AS(wb::finish_xlsx(in.string(), (dir.path() / "out.xlsx").string(), 1),
                  WorkbookError);
  CHECK_THROWS_AS(
      wb::finish_xlsx((dir.path() / "missing").string(), (dir.path() / "out.xlsx").string(), 1),
      WorkbookError);
}

TEST_CASE("workbook continues long tables on numbered sheets with links and totals right",
          "[workbook]") {
  const RunOutcome o = sample();
  TempDir dir;
  // Two data rows a sheet (totals and header rows above them): 6 lines make 3 Lines sheets,
  // 3 findings make 2 Findings sheets.
  WorkbookOptions small;
  small.max_rows_per_sheet = 4;
  write_workbook(o, dir.path() / "paged.xlsx", small);
  const Dump d = read_xlsx(dir.path() / "paged.xlsx");
  CHECK(d.sheets == std::vector<std::string>{"Summary", "Lines", "Lines (2)", "Lines (3)",
                                             "Findings", "Findings (2)", "Budget", "Co-financing",
                                             "Payments", "Deductions", "Rates", "Audit"});

  // Lines in order across the sheets.
  CHECK(d.at("Lines!D3").value == "1.0");
  CHECK(d.at("Lines!D4").value == "2.0");
  CHECK_FALSE(d.has("Lines!A5"));
  CHECK(d.at("Lines (2)!D3").value == "3.0");
  check_text(d, "Lines (2)!A4", "CB-001", false);
  check_text(d, "Lines (2)!S4", "SEK", false);
  check_text(d, "Lines (3)!A4", "CB-002", false);
  CHECK_FALSE(d.has("Lines (3)!A5"));
  // Row formulas refer to their own sheet's row.
  check_formula(d, "Lines (2)!W4", "=ROUND(R4/U4,2)", o.lines[3].eur.cents());
  check_formula(d, "Lines (3)!AB3", "=W3-Y3-Z3-AA3", 0);

  // Totals: each continuation sheet its own rows; the first sheet the whole table.
  std::int64_t all = 0, second = 0, third = 0;
  for (std::size_t i = 0; i < o.lines.size(); ++i) {
    all += o.lines[i].eur.cents();
    if (i >= 2 && i < 4) second += o.lines[i].eur.cents();
    if (i >= 4) third += o.lines[i].eur.cents();
  }
  check_text(d, "Lines!A1", "Total (all sheets)", false);
  check_text(d, "Lines (2)!A1", "Total (this sheet)", false);
  check_formula(d, "Lines!W1", "=SUBTOTAL(9,W3:W4)+'Lines (2)'!W1+'Lines (3)'!W1", all);
  check_formula(d, "Lines (2)!W1", "=SUBTOTAL(9,W3:W4)", second);
  check_formula(d, "Lines (3)!W1", "=SUBTOTAL(9,W3:W4)", third);
  check_formula(d, "Findings!G1", "=SUBTOTAL(9,G3:G4)+'Findings (2)'!G1", o.lines[4].eur.cents());
  check_formula(d, "Findings (2)!G1", "=SUBTOTAL(9,G3:G3)", 0);

  // Links land on the continuation sheets: report 2 starts at line index 3, report 3 at 5.
  check_formula(d, "Summary!E3", "=HYPERLINK(\"#'Lines'!A3\",1)", 100);
  check_formula(d, "Summary!E4", "=HYPERLINK(\"#'Lines (2)'!A4\",1)", 100);
  check_formula(d, "Summary!E5", "=HYPERLINK(\"#'Lines (3)'!A4\",2)", 200);
  // Finding 1 is about line index 4 (report 2, line 2); finding 2 about index 1.
  check_formula(d, "Findings!F3", "=HYPERLINK(\"#'Lines (3)'!A3\",2)", 200);
  check_formula(d, "Findings!F4", "=HYPERLINK(\"#'Lines'!A4\",2)", 200);
  check_text(d, "Findings (2)!C3", "=1+1 is not an amount", true);

  // Every sheet is a table of its own: filter, name, frozen header, print titles.
  CHECK(d.filter.at("Lines (3)") == "A2:AD4");
  CHECK(d.names.at("Lines_Table_3") == "'Lines (3)'!$A$2:$AD$4");
  CHECK(d.names.at("Findings_Table_2") == "'Findings (2)'!$A$2:$H$3");
  CHECK(d.freeze.at("Findings (2)") == "A3");
  CHECK(d.print.at("Lines (2)").find("$1:$2") != std::string::npos);
  const auto has_cf = [&](const std::string& s) {
    return std::find(d.cf.begin(), d.cf.end(), s) != d.cf.end();
  };
  CHECK(has_cf("Lines (3)|X3:X4|X3=\"ineligible\""));

  // Constant-memory mode writes the very same cells.
  WorkbookOptions cm = small;
  cm.constant_memory = true;
  write_workbook(o, dir.path() / "paged-cm.xlsx", cm);
  CHECK(read_xlsx(dir.path() / "paged-cm.xlsx").records == d.records);

  // Out-of-range sheet sizes are refused.
  WorkbookOptions bad;
  bad.max_rows_per_sheet = 2;
  CHECK_THROWS_AS(write_workbook(o, dir.path() / "bad.xlsx", bad), WorkbookError);
  bad.max_rows_per_sheet = 1'048'577;
  CHECK_THROWS_AS(write_workbook(o, dir.path() / "bad.xlsx", bad), WorkbookError);
}

TEST_CASE("Lines sheets written on a second thread give the file one thread writes", "[workbook]") {
  const RunOutcome o = sample();
  TempDir dir;
  // Constant-memory mode (the split's mode), three Lines pages (sheets 2-4 are spliced), and
  // the sample's formula-like text (the quote-prefix patch on the same copy).
  WorkbookOptions split;
  split.constant_memory = true;
  split.max_rows_per_sheet = 4;
  WorkbookOptions single = split;
  single.split_lines = false;
  write_workbook(o, dir.path() / "split.xlsx", split);
  write_workbook(o, dir.path() / "single.xlsx", single);
  const std::string one_thread = slurp(dir.path() / "single.xlsx");
  CHECK(one_thread.size() > 10000);
  CHECK(slurp(dir.path() / "split.xlsx") == one_thread);
  // Only the workbooks remain: the side workbook's file is gone.
  CHECK(std::distance(fs::directory_iterator(dir.path()), fs::directory_iterator()) == 2);

  // The same with one Lines page, and with none.
  split.max_rows_per_sheet = single.max_rows_per_sheet = 1000;
  write_workbook(o, dir.path() / "split1.xlsx", split);
  write_workbook(o, dir.path() / "single1.xlsx", single);
  CHECK(slurp(dir.path() / "split1.xlsx") == slurp(dir.path() / "single1.xlsx"));
  RunOutcome no_lines = o;
  no_lines.lines.clear();
  no_lines.findings.clear();
  write_workbook(no_lines, dir.path() / "split0.xlsx", split);
  write_workbook(no_lines, dir.path() / "single0.xlsx", single);
  CHECK(slurp(dir.path() / "split0.xlsx") == slurp(dir.path() / "single0.xlsx"));
  CHECK(read_xlsx(dir.path() / "split.xlsx").records ==
        read_xlsx(dir.path() / "single.xlsx").records);
}

TEST_CASE("workbook finish refuses a side file without the sheet to splice", "[workbook]") {
  const RunOutcome o = sample();
  TempDir dir;
  WorkbookOptions single;
  single.constant_memory = true;
  single.split_lines = false;
  write_workbook(o, dir.path() / "a.xlsx", single);
  const std::string a = (dir.path() / "a.xlsx").string();
  const std::string out = (dir.path() / "out.xlsx").string();
  const int xf = 1;
  CHECK_THROWS_WITH(wb::finish_xlsx(a, out, xf, a, {"xl/worksheets/sheet99.xml"}),
                    Catch::Contains("no xl/worksheets/sheet99.xml to replace"));
  CHECK_THROWS_AS(
      wb::finish_xlsx(a, out, xf, (dir.path() / "missing").string(), {"xl/worksheets/sheet2.xml"}),
      WorkbookError);
  CHECK_FALSE(fs::exists(dir.path() / "missing"));
}

TEST_CASE("workbook switches to constant-memory mode above a row count", "[workbook]") {
  const RunOutcome o = sample();  // 6 lines + 3 findings
  WorkbookOptions options;
  options.constant_memory_from_rows = 10;
  CHECK_FALSE(uses_constant_memory(o, options));
  options.constant_memory_from_rows = 9;
  CHECK(uses_constant_memory(o, options));
  options.constant_memory_from_rows = 1000;
  options.constant_memory = true;
  CHECK(uses_constant_memory(o, options));

  // Constant-memory mode writes strings inline: the automatic switch shows in the file.
  TempDir dir;
  WorkbookOptions automatic;
  automatic.constant_memory_from_rows = 9;
  write_workbook(o, dir.path() / "auto.xlsx", automatic);
  write_workbook(o, dir.path() / "normal.xlsx");
  const auto listing = [&](const char* name) { return zip_entries(dir.path() / name); };
  CHECK(listing("normal.xlsx").find("xl/sharedStrings.xml") != std::string::npos);
  CHECK(listing("auto.xlsx").find("xl/sharedStrings.xml") == std::string::npos);
}

TEST_CASE("the audit head is asked for when the Audit sheet is written, and its failure wins",
          "[workbook]") {
  const RunOutcome o = sample();  // audit_head "ab12"
  TempDir dir;
  for (const bool constant_memory : {false, true}) {
    WorkbookOptions options;
    options.constant_memory = constant_memory;
    options.tmpdir = dir.path();
    int asked = 0;
    options.audit_head = [&asked] {
      ++asked;
      return std::string("c0ffee");
    };
    const fs::path file = dir.path() / (constant_memory ? "cm.xlsx" : "n.xlsx");
    write_workbook(o, file, options);
    CHECK(asked == 1);
    const Dump d = read_xlsx(file);
    check_text(d, "Audit!B5", "c0ffee", false);  // the provider's head, not the outcome's

    // The commit the head waits for failed: that error comes out, and no workbook is left.
    options.audit_head = []() -> std::string { throw std::runtime_error("ledger commit failed"); };
    const fs::path failed = dir.path() / "failed.xlsx";
    CHECK_THROWS_WITH(write_workbook(o, failed, options), "ledger commit failed");
    CHECK_FALSE(fs::exists(failed));
  }
  CHECK(std::distance(fs::directory_iterator(dir.path()), fs::directory_iterator()) == 2);
}
