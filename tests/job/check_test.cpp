// `cofin check` as users and scripts see it: exact diagnostics and exit codes, pinned by a
// golden file for the bad-input corpus.
#include <catch2/catch.hpp>
#include <map>
#include <set>

#include "support/process.h"

using namespace cofin::testing;
namespace fs = std::filesystem;

namespace {

const fs::path kRepo = COFIN_SOURCE_DIR;

// Returns file → expected stdout, from tests/golden/bad-corpus.txt.
std::map<std::string, std::string> golden_bad_corpus() {
  std::ifstream in(kRepo / "tests/golden/bad-corpus.txt");
  std::map<std::string, std::string> expected;
  std::string current;
  for (std::string line; std::getline(in, line);) {
    if (line.starts_with("#")) continue;
    if (line.starts_with("== ")) {
      current = line.substr(3);
      expected[current];
    } else {
      expected[current] += line + "\n";
    }
  }
  return expected;
}

std::string check_in_repo(const std::string& args, const fs::path& scratch, int* exit_code) {
  const auto r =
      run_shell("cd '" + kRepo.string() + "' && '" + COFIN_BINARY + "' check " + args, scratch);
  *exit_code = r.exit_code;
  return r.out;
}

}  // namespace

TEST_CASE("every bad fixture is rejected with its golden diagnostics", "[check][e2e]") {
  const fs::path scratch = fresh_dir("check-bad");
  const auto expected = golden_bad_corpus();
  REQUIRE(expected.size() >= 25);
  for (const auto& [file, output] : expected) {
    INFO(file);
    int exit_code = -1;
    CHECK(check_in_repo("'" + file + "'", scratch, &exit_code) == output);
    CHECK(exit_code == 1);
    CHECK(output.find(": error ") != std::string::npos);
  }
}

TEST_CASE("the golden corpus covers every bad fixture", "[check]") {
  const auto expected = golden_bad_corpus();
  std::set<std::string> on_disk;
  for (const char* dir : {"fixtures/csv/bad", "fixtures/xml/bad"}) {
    for (const auto& entry : fs::directory_iterator(kRepo / dir)) {
      on_disk.insert(std::string(dir) + "/" + entry.path().filename().string());
    }
  }
  std::set<std::string> pinned;
  for (const auto& [file, output] : expected) pinned.insert(file);
  CHECK(on_disk == pinned);
}

TEST_CASE("every good fixture passes check", "[check][e2e]") {
  const fs::path scratch = fresh_dir("check-good");
  int exit_code = -1;
  CHECK(check_in_repo("--job fixtures/check/job.xml fixtures/csv/good/*.csv", scratch,
                      &exit_code) == "");
  CHECK(exit_code == 0);
  CHECK(check_in_repo("fixtures/xml/good/*.xml fixtures/equivalence/* jobs/programmes/*.xml",
                      scratch, &exit_code) == "");
  CHECK(exit_code == 0);
  CHECK(check_in_repo("--job jobs/demo.xml fixtures/demo/inbox/*", scratch, &exit_code) == "");
  CHECK(exit_code == 0);
}

TEST_CASE("check uses the job's declared encodings and references", "[check][e2e]") {
  const fs::path scratch = fresh_dir("check-job");
  int exit_code = -1;
  // Without the job nothing says the Baltic Excel export is Windows-1257.
  CHECK(check_in_repo("fixtures/demo/inbox/cb-p1-r1-1257.csv", scratch, &exit_code) ==
        "fixtures/demo/inbox/cb-p1-r1-1257.csv:2: error READ-ENCODING: invalid UTF-8 at byte "
        "offset 342 (0xEE); if this is a Windows-1257 export, declare it in the job's "
        "<encoding>\n");
  CHECK(exit_code == 1);
  // A good report of a project the job's registry does not know.
  CHECK(check_in_repo("--job jobs/demo.xml fixtures/csv/good/report-comma-point.csv", scratch,
                      &exit_code) ==
        "fixtures/csv/good/report-comma-point.csv:1: error REF-PROJECT: project 'LV-EE-SE-001' is "
        "not in the registry\n");
  CHECK(exit_code == 1);
  // An unreadable file is rejected and the other files are still checked.
  CHECK(check_in_repo("no-such-file.csv fixtures/demo/inbox/lars-r2.csv", scratch, &exit_code)
            .starts_with("no-such-file.csv: error READ-IO: cannot open no-such-file.csv"));
  CHECK(exit_code == 1);
}

TEST_CASE("generated large inputs are rejected cleanly", "[check][e2e]") {
  const fs::path scratch = fresh_dir("check-large");
  // A 10 MB single field: generated, not committed.
  {
    std::ofstream out(scratch / "big-field.csv", std::ios::binary);
    out << "project,partner,report,period-start,period-end,submitted-on,line,category,unit-cost,"
           "units,internal-ref,invoice-no,invoice-date,payment-date,supplier,supplier-id,"
           "procurement-ref,description,invoice-total,vat,declared,currency,reincluded-from\n"
        << "LV-EE-SE-001,1,2,2024-01-01,2024-06-30,2024-07-15,1,external,,,,,,,,,,"
        << std::string(10 * 1024 * 1024, 'x') << ",,,10.00,EUR,\n";
  }
  const auto r = run_cofin("check '" + (scratch / "big-field.csv").string() + "'", scratch);
  CHECK(r.exit_code == 1);
  CHECK(r.out.find(":2:71: error VALUE-TOO-LONG: description: 'xxxx") != std::string::npos);
  CHECK(r.out.size() < 1000);  // the message quotes a prefix, not 10 MB
  // 10,000-deep nesting inside a report.
  {
    std::ofstream out(scratch / "deep.xml", std::ios::binary);
    out << "<?xml version=\"1.0\"?><partner-report xmlns=\"urn:cofin:report:1\">";
    for (int k = 0; k < 10000; ++k) out << "<a>";
    for (int k = 0; k < 10000; ++k) out << "</a>";
    out << "</partner-report>";
  }
  const auto deep = run_cofin("check '" + (scratch / "deep.xml").string() + "'", scratch);
  CHECK(deep.exit_code == 1);
  CHECK(deep.out.find("error XML-SCHEMA") != std::string::npos);
}
