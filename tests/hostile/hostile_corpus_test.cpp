// The hostile-input corpus (issue #7) as users see it through `cofin check`: every committed
// input under fixtures/hostile has its expected outcome (fixtures/hostile/expected.txt), and the
// inputs too large to commit are generated here. Extends the foundation's bad-input corpus
// (tests/golden/bad-corpus.txt), which it does not repeat.
#include <algorithm>
#include <catch2/catch.hpp>
#include <map>
#include <set>
#include <sstream>

#include "support/process.h"

using namespace cofin::testing;
namespace fs = std::filesystem;

namespace {

const fs::path kRepo = COFIN_SOURCE_DIR;

struct Expected {
  int exit_code = 0;
  std::set<std::string> errors;  // rule ids of the error lines
};

// Returns fixtures/hostile/expected.txt: file (relative to fixtures/hostile) → expected outcome.
std::map<std::string, Expected> expected_outcomes() {
  std::ifstream in(kRepo / "fixtures/hostile/expected.txt");
  REQUIRE(in);
  std::map<std::string, Expected> out;
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line.starts_with("#")) continue;
    std::istringstream words(line);
    std::string file;
    Expected e;
    words >> file >> e.exit_code;
    for (std::string id; words >> id;) {
      if (id != "-") e.errors.insert(id);
    }
    out[file] = e;
  }
  return out;
}

// Returns file → the rule ids of the error lines `cofin check` printed for it.
std::map<std::string, std::set<std::string>> errors_by_file(const std::string& out) {
  std::map<std::string, std::set<std::string>> by_file;
  std::istringstream lines(out);
  for (std::string line; std::getline(lines, line);) {
    const auto at = line.find(": error ");
    if (at == std::string::npos) continue;
    std::string file = line.substr(0, at);
    // Strip ":LINE[:COL]" (file names here hold no colon).
    file = file.substr(0, file.find(':'));
    const auto id_start = at + 8;
    by_file[file].insert(line.substr(id_start, line.find(':', id_start) - id_start));
  }
  return by_file;
}

std::string check(const std::string& args, const fs::path& scratch, int* exit_code) {
  const auto r = run_shell(
      "cd '" + (kRepo / "fixtures/hostile").string() + "' && '" + COFIN_BINARY + "' check " + args,
      scratch);
  *exit_code = r.exit_code;
  return r.out;
}

}  // namespace

TEST_CASE("hostile corpus: every input has its expected outcome", "[hostile][e2e]") {
  const fs::path scratch = fresh_dir("hostile-corpus");
  const auto expected = expected_outcomes();
  REQUIRE(expected.size() >= 40);
  std::string all, accepted;
  for (const auto& [file, e] : expected) {
    all += " '" + file + "'";
    if (e.exit_code == 0) accepted += " '" + file + "'";
  }
  int exit_code = -1;
  const std::string out = check(all, scratch, &exit_code);
  CHECK(exit_code == 1);
  const auto found = errors_by_file(out);
  for (const auto& [file, e] : expected) {
    INFO(file);
    const auto it = found.find(file);
    CHECK((it == found.end() ? std::set<std::string>{} : it->second) == e.errors);
    CHECK((e.exit_code == 0) == e.errors.empty());
  }
  // Nothing quotes more than a short prefix of what it refuses.
  std::istringstream lines(out);
  for (std::string line; std::getline(lines, line);) CHECK(line.size() < 2500);
  // The accepted ones together: exit 0, nothing printed but the summary.
  CHECK(check(accepted, scratch, &exit_code) == "");
  CHECK(exit_code == 0);
}

TEST_CASE("hostile corpus lists every committed hostile input", "[hostile]") {
  std::set<std::string> on_disk;
  for (const char* dir : {"csv", "xml"}) {
    for (const auto& entry : fs::directory_iterator(kRepo / "fixtures/hostile" / dir)) {
      on_disk.insert(std::string(dir) + "/" + entry.path().filename().string());
    }
  }
  std::set<std::string> listed;
  for (const auto& [file, e] : expected_outcomes()) listed.insert(file);
  CHECK(on_disk == listed);
}

TEST_CASE("hostile XML never reads the file or URL it names", "[hostile][security][e2e]") {
  const fs::path scratch = fresh_dir("hostile-no-read");
  const fs::path secret = scratch / "secret.txt";
  std::ofstream(secret) << "TOP-SECRET-7f3a";
  const std::string uri = "file://" + secret.string();
  const std::string report_head =
      "<partner-report xmlns=\"urn:cofin:report:1\"><project>P</project><partner>1</partner>"
      "<report>1</report><period-start>2024-01-01</period-start><period-end>2024-06-30"
      "</period-end><submitted-on>2024-07-01</submitted-on>";
  const std::string line =
      "<line line=\"1\" category=\"external\" declared=\"1.00\" currency=\"EUR\" "
      "description=\"&s;\"/></partner-report>";
  const std::map<std::string, std::string> docs = {
      {"general-entity.xml",
       "<!DOCTYPE partner-report [<!ENTITY s SYSTEM \"" + uri + "\">]>" + report_head + line},
      {"parameter-entity.xml",
       "<!DOCTYPE partner-report [<!ENTITY % p SYSTEM \"" + uri + "\"> %p;]>" + report_head + line},
      {"external-dtd.xml",
       "<!DOCTYPE partner-report SYSTEM \"" + uri + "\">" + report_head + "</partner-report>"},
      {"xinclude.xml", report_head +
                           "<xi:include xmlns:xi=\"http://www.w3.org/2001/XInclude\" "
                           "href=\"" +
                           uri + "\" parse=\"text\"/></partner-report>"},
      {"schema-location.xml",
       "<partner-report xmlns=\"urn:cofin:report:1\" "
       "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
       "xsi:schemaLocation=\"urn:cofin:report:1 " +
           uri + "\"/>"},
  };
  for (const auto& [name, text] : docs) {
    INFO(name);
    std::ofstream(scratch / name, std::ios::binary) << text;
    const auto r = run_cofin("check '" + (scratch / name).string() + "'", scratch);
    CHECK(r.exit_code == 1);
    CHECK(r.out.find(": error ") != std::string::npos);
    CHECK(r.out.find("TOP-SECRET") == std::string::npos);
    CHECK(r.err.find("TOP-SECRET") == std::string::npos);
  }
}

TEST_CASE("hostile generated XML floods are refused with bounded output", "[hostile][e2e]") {
  const fs::path scratch = fresh_dir("hostile-xml-floods");
  const std::string head =
      "<?xml version=\"1.0\"?><partner-report xmlns=\"urn:cofin:report:1\"><project>P</project>"
      "<partner>1</partner><report>1</report><period-start>2024-01-01</period-start>"
      "<period-end>2024-06-30</period-end><submitted-on>2024-07-01</submitted-on>";
  const std::string line_start = "<line line=\"1\" category=\"external\" currency=\"EUR\" ";
  struct Case {
    std::string name, rule;
    std::string text;
  };
  std::vector<Case> cases;
  // A 10 MB attribute and a 10 MB element text.
  cases.push_back({"big-attribute.xml", "VALUE-TOO-LONG",
                   head + line_start + "declared=\"1.00\" description=\"" +
                       std::string(10 * 1024 * 1024, 'x') + "\"/></partner-report>"});
  cases.push_back({"big-text.xml", "XML-SCHEMA",
                   "<?xml version=\"1.0\"?><partner-report xmlns=\"urn:cofin:report:1\"><project>" +
                       std::string(10 * 1024 * 1024, 'P') + "</project></partner-report>"});
  // 100,000 attributes on one element; 200,000 unknown elements.
  std::string attributes;
  for (int k = 0; k < 100000; ++k) attributes += "a" + std::to_string(k) + "=\"v\" ";
  cases.push_back({"attribute-flood.xml", "XML-SCHEMA",
                   head + line_start + attributes + "declared=\"1.00\"/></partner-report>"});
  std::string junk;
  for (int k = 0; k < 200000; ++k) junk += "<junk/>";
  cases.push_back({"element-flood.xml", "XML-SCHEMA",
                   head + line_start + "declared=\"1.00\"/>" + junk + "</partner-report>"});
  // 10,000-deep nesting in each kind of document (the report is covered by check_test.cpp).
  for (const char* root : {"events", "registry", "programme", "control-result"}) {
    std::string ns = root == std::string("control-result") ? "control" : root;
    std::string deep = "<" + std::string(root) + " xmlns=\"urn:cofin:" + ns + ":1\">";
    for (int k = 0; k < 10000; ++k) deep += "<a>";
    for (int k = 0; k < 10000; ++k) deep += "</a>";
    cases.push_back({std::string("deep-") + root + ".xml", "XML-SCHEMA",
                     deep + "</" + std::string(root) + ">"});
  }
  // Billion laughs at full size: refused before any expansion.
  std::string laughs = "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol0 \"lol\">";
  for (int k = 1; k <= 10; ++k) {
    laughs += "<!ENTITY lol" + std::to_string(k) + " \"";
    for (int j = 0; j < 10; ++j) laughs += "&lol" + std::to_string(k - 1) + ";";
    laughs += "\">";
  }
  laughs += "]><partner-report xmlns=\"urn:cofin:report:1\">&lol10;</partner-report>";
  cases.push_back({"billion-laughs-full.xml", "XML-DOCTYPE", laughs});
  for (const auto& c : cases) {
    INFO(c.name);
    std::ofstream(scratch / c.name, std::ios::binary) << c.text;
    const auto r = run_cofin("check '" + (scratch / c.name).string() + "'", scratch);
    CHECK(r.exit_code == 1);
    CHECK(r.out.find(": error " + c.rule + ": ") != std::string::npos);
    CHECK(r.out.size() < 20'000);  // at most ~100 errors of short messages, never the input
  }
}

TEST_CASE("hostile 100 MB report is read to its last line", "[hostile][e2e]") {
  // Generated, never committed: 100 MB of well-formed lines and one impossible date on the very
  // last line, so that only a reader that got through all of it can name that line.
  const fs::path scratch = fresh_dir("hostile-100mb");
  const fs::path file = scratch / "big-report.csv";
  int last_line = 0;
  {
    std::ofstream out(file, std::ios::binary);
    out << "project,partner,report,period-start,period-end,submitted-on,line,category,unit-cost,"
           "units,internal-ref,invoice-no,invoice-date,payment-date,supplier,supplier-id,"
           "procurement-ref,description,invoice-total,vat,declared,currency,reincluded-from\n";
    const auto row = [](int n, const char* invoice_date) {
      return "LV-EE-SE-001,1,1,2024-01-01,2024-06-30,2024-07-15," + std::to_string(n) +
             ",external,,,INT-" + std::to_string(n) + ",INV-" + std::to_string(n) + "," +
             invoice_date +
             ",2024-03-15,SIA Piegādātājs,LV40003000000,,\"Catering, coffee breaks and a long "
             "description to make rows realistic\",121.00,21.00,121.00,EUR,\n";
    };
    std::size_t size = 0;
    int n = 0;
    while (size < 100u * 1024 * 1024) {
      const std::string good = row(++n, "2024-03-01");
      out << good;
      size += good.size();
    }
    out << row(++n, "2024-02-30");
    last_line = n + 1;
  }
  REQUIRE(fs::file_size(file) >= 100u * 1024 * 1024);
  const auto r = run_cofin("check '" + file.string() + "'", scratch);
  CHECK(r.exit_code == 1);
  const std::string where = "big-report.csv:" + std::to_string(last_line) + ":";
  const auto at = r.out.find(where);
  REQUIRE(at != std::string::npos);
  CHECK(r.out.find("error VALUE-DATE: invoice-date: '2024-02-30'", at) != std::string::npos);
  CHECK(std::count(r.out.begin(), r.out.end(), '\n') == 1);  // that error only
  fs::remove(file);
}

TEST_CASE("hostile XML file whose name is not UTF-8 is checked, not a crash", "[hostile][e2e]") {
  const fs::path dir = fresh_dir("hostile-name-bytes");
  const fs::path file = dir / "bad\xFF\xFEname.xml";
  fs::copy_file(kRepo / "fixtures/hostile/xml/dotted-date.xml", file);
  const auto r = run_cofin("check '" + file.string() + "'", dir);
  CHECK(r.exit_code == 1);  // not 134 (abort)
  CHECK(r.out.find("error XML-SCHEMA: value '01.03.2024'") != std::string::npos);
}
