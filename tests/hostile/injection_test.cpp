// Formula injection (issue #7): partner reports, a registry, a control result, events and even an
// inbox file name whose text fields hold spreadsheet formulas (`=HYPERLINK(…)`,
// `+cmd|' /C calc'!A0`, `@SUM(…)`, `-2+3+cmd…`). They are accepted — text is text — and the real
// `cofin run` must write each one into the workbook as a string cell, never as a formula, marked
// with Excel's quote prefix so that editing the cell does not turn it into one either. Read back
// with Debian's openpyxl (/usr/bin/python3), independently of cofin's own reader.
#include <catch2/catch.hpp>
#include <set>
#include <sstream>

#include "support/process.h"

using namespace cofin::testing;
namespace fs = std::filesystem;

namespace {

const fs::path kRepo = COFIN_SOURCE_DIR;

// The payloads fixtures/hostile/run/inbox/injection-report.{csv,xml} hold, line k in field f.
std::vector<std::string> report_payloads() {
  std::vector<std::string> out;
  for (const char* format : {"csv", "xml"}) {
    for (const char* field : {"internal-ref", "invoice-no", "supplier", "supplier-id",
                              "procurement-ref", "description"}) {
      const std::string where = std::string(format) + "-" + field;
      out.push_back("=HYPERLINK(\"http://evil.example/" + where + "\",\"click\")");
      out.push_back("+cmd|' /C calc'!A0 " + where);
      out.push_back("@SUM(A1:A9) " + where);
      out.push_back("-2+3+cmd|' /C calc'!A0 " + where);
    }
  }
  return out;
}

// Prints one line per workbook cell whose text carries an injection marker:
// "STRING<TAB>quote-prefix<TAB>value" or "FORMULA<TAB>sheet!cell<TAB>formula".
constexpr const char* kScanScript = R"(import sys, openpyxl
markers = ('evil.example', 'cmd|', '@SUM', 'partner-name', '=1+1', 'Esc ')
wb = openpyxl.load_workbook(sys.argv[1])
for ws in wb.worksheets:
    for row in ws.iter_rows():
        for c in row:
            v = c.value
            if not isinstance(v, str) or not any(m in v for m in markers):
                continue
            if c.data_type == 'f':
                print('FORMULA\t%s!%s\t%s' % (ws.title, c.coordinate, v.encode('unicode_escape').decode()))
            else:
                print('STRING\t%d\t%s' % (bool(c.quotePrefix), v.encode('unicode_escape').decode()))
)";

std::string escaped(const std::string& utf8) {
  // What Python's unicode_escape prints for the ASCII and control characters used here.
  std::string out;
  for (unsigned char c : utf8) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      out += buf;
    } else {
      out.push_back(static_cast<char>(c));
    }
  }
  return out;
}

}  // namespace

TEST_CASE("formula injection in every text field stays text in the workbook", "[hostile][e2e]") {
  const fs::path dir = fresh_dir("hostile-injection");
  const fs::path inbox = dir / "inbox";
  fs::create_directories(inbox);
  for (const auto& entry : fs::directory_iterator(kRepo / "fixtures/hostile/run/inbox")) {
    fs::copy_file(entry.path(), inbox / entry.path().filename());
  }
  // An inbox file whose very name is a formula, holding report 2 of partner 1, whose first
  // description also carries terminal escape and control characters.
  std::string second = slurp(kRepo / "fixtures/hostile/run/inbox/injection-report.csv");
  for (std::size_t at = second.find("\nINJ-0001,1,1,"); at != std::string::npos;
       at = second.find("\nINJ-0001,1,1,", at + 1)) {
    second.replace(at, 14, "\nINJ-0001,1,2,");
  }
  const std::string control_text = "Esc \x1b[31m red \x01 end";
  const auto first_description =
      second.find("\"=HYPERLINK(\"\"http://evil.example/csv-description");
  REQUIRE(first_description != std::string::npos);
  second.replace(first_description,
                 second.find(',', second.find("click", first_description)) - first_description,
                 "\"" + control_text + "\"");
  std::ofstream(inbox / "=cmd|' calc'!A0.csv", std::ios::binary) << second;

  std::ofstream(dir / "job.xml") << R"(<?xml version="1.0" encoding="UTF-8"?>
<job xmlns="urn:cofin:job:1">
  <name>hostile</name>
  <inbox dir="inbox" mode="keep" settle-seconds="0"/>
  <archive dir="archive"/>
  <quarantine dir="quarantine"/>
  <programme file=")" << (kRepo / "jobs/programmes/central-baltic-2021-2027.xml").string()
                                 << R"("/>
  <registry file=")" << (kRepo / "fixtures/hostile/run/registry.xml").string()
                                 << R"("/>
  <ledger>sqlite:var/ledger.sqlite</ledger>
  <output dir="reports"/>
</job>
)";
  const auto run = run_cofin("run '" + (dir / "job.xml").string() + "' --as-of 2025-03-01", dir);
  INFO(run.out << run.err);
  REQUIRE(run.exit_code == 0);
  CHECK(fs::is_empty(dir / "quarantine"));
  const fs::path workbook = dir / "reports/hostile-2025-03-01.xlsx";
  REQUIRE(fs::exists(workbook));

  std::ofstream(dir / "scan.py") << kScanScript;
  const auto scan = run_shell(
      "/usr/bin/python3 '" + (dir / "scan.py").string() + "' '" + workbook.string() + "'", dir);
  INFO(scan.err);
  REQUIRE(scan.exit_code == 0);
  std::set<std::string> strings;
  std::istringstream lines(scan.out);
  for (std::string line; std::getline(lines, line);) {
    INFO(line);
    CHECK(line.starts_with("STRING\t"));  // never a formula
    if (!line.starts_with("STRING\t")) continue;
    const std::string value = line.substr(9);
    // Text a spreadsheet would read as a formula carries the quote prefix.
    if (value.find_first_of("=+-@") == 0) CHECK(line[7] == '1');
    strings.insert(value);
  }
  // Every payload of both report formats reached the Lines sheet unchanged, as text. (The first
  // description of the renamed file was replaced by the control characters.)
  for (const std::string& payload : report_payloads()) {
    INFO(payload);
    CHECK(strings.contains(escaped(payload)));
  }
  // Control characters are stored as OOXML escapes (_x001B_), which Excel shows as the
  // characters; openpyxl returns the stored form.
  CHECK(strings.contains("Esc _x001B_[31m red _x0001_ end"));
  // The registry's acronym and partner names, and the file name, as written.
  CHECK(strings.contains("=HYPERLINK(\"http://evil.example/acronym\",\"click\")"));
  CHECK(strings.contains("+cmd|' /C calc'!A0 partner-name"));
  CHECK(strings.contains("@SUM(A1:A9) partner-name"));
  bool file_name_shown = false;
  for (const auto& s : strings) file_name_shown |= s.find("=cmd|' calc'!A0.csv") != s.npos;
  CHECK(file_name_shown);
}
