// End-to-end tests of `cofin run`: the real binary, a real SQLite ledger, real workbooks read
// back with an independent reader (openpyxl).
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <map>
#include <set>
#include <thread>

#include "audit/sha256.h"
#include "support/process.h"

using namespace cofin::testing;
namespace fs = std::filesystem;

namespace {

const fs::path kRepo = COFIN_SOURCE_DIR;

// Writes a job into `dir` whose inbox is `inbox`, with ledger, quarantine and output in `dir`.
fs::path write_job(const fs::path& dir, const fs::path& inbox, const std::string& mode = "keep") {
  const fs::path job = dir / "job.xml";
  std::ofstream(job) << R"(<?xml version="1.0" encoding="UTF-8"?>
<job xmlns="urn:cofin:job:1">
  <name>demo</name>
  <inbox dir=")" << inbox.string()
                     << R"(" mode=")" << mode << R"(" settle-seconds="0"/>
  <archive dir="archive"/>
  <quarantine dir="quarantine"/>
  <programme file=")" << (kRepo / "jobs/programmes/central-baltic-2021-2027.xml").string()
                     << R"("/>
  <programme file=")" << (kRepo / "jobs/programmes/baltic-sea-region-2014-2020.xml").string()
                     << R"("/>
  <registry file=")" << (kRepo / "fixtures/demo/registry.xml").string()
                     << R"("/>
  <rates file=")" << (kRepo / "fixtures/demo/rates-sek-2024.csv").string()
                     << R"("/>
  <ledger>sqlite:var/ledger.sqlite</ledger>
  <output dir="reports"/>
  <encoding pattern="*-1257.csv" charset="windows-1257"/>
</job>
)";
  return job;
}

// Returns the Summary sheet's cached values keyed "project/partner/report/Header".
std::map<std::string, std::string> summary_cells(const fs::path& workbook, const fs::path& dir) {
  const fs::path script = dir / "summary.py";
  std::ofstream(script) << R"(import sys, openpyxl
ws = openpyxl.load_workbook(sys.argv[1], data_only=True)['Summary']
rows = list(ws.iter_rows(values_only=True))
head = next(r for r in rows if r[0] == 'Project')
for r in rows:
    if r[0] in (None, 'Project'):
        continue
    key = 'TOTAL' if r[0] == 'Total' else '%s/%s/%s' % (r[0], r[2], r[4])
    for h, v in zip(head, r):
        if isinstance(v, (int, float)):
            v = '%.2f' % v
        print('%s/%s=%s' % (key, h, v))
)";
  const auto r =
      run_shell("/usr/bin/python3 '" + script.string() + "' '" + workbook.string() + "'", dir);
  REQUIRE(r.exit_code == 0);
  std::map<std::string, std::string> cells;
  std::istringstream lines(r.out);
  for (std::string line; std::getline(lines, line);) {
    const auto eq = line.find('=');
    cells[line.substr(0, eq)] = line.substr(eq + 1);
  }
  return cells;
}

}  // namespace

TEST_CASE("demo run computes the figures checked by hand", "[job][e2e]") {
  const fs::path dir = fresh_dir("demo-golden");
  const fs::path job = write_job(dir, kRepo / "fixtures/demo/inbox");
  const auto r = run_cofin("run '" + job.string() + "' --as-of 2025-03-31 --quiet", dir);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const fs::path workbook = dir / "reports/demo-2025-03-31.xlsx";
  REQUIRE(fs::exists(workbook));
  auto s = summary_cells(workbook, dir);

  // LARS (BSR 2014-2020, seed 004): VARAM's 125,550.00 = ERDF 106,717.50 (85 %) + own
  // 18,832.50; each report's 85 % is a whole number of cents.
  CHECK(s["BSR-R027/1/1/Eligible after control (EUR)"] == "30000.00");
  CHECK(s["BSR-R027/1/1/ERDF (EUR)"] == "25500.00");
  CHECK(s["BSR-R027/1/2/ERDF (EUR)"] == "38250.00");
  CHECK(s["BSR-R027/1/3/ERDF (EUR)"] == "42967.50");
  CHECK(s["BSR-R027/1/3/Own contribution (EUR)"] == "7582.50");
  CHECK(s["BSR-R027/1/3/State (EUR)"] == "0.00");
  CHECK(s["BSR-R027/1/3/Status"] == "partly paid");
  CHECK(s["BSR-R027/1/3/ERDF difference (EUR)"] == "22967.50");

  // Limbaži (LV municipality, Central Baltic): 320 h × 24 = 7,680.00, 40 × 51 = 2,040.00,
  // translation 1,210.00, 320 × 0.23 = 73.60, design 605.00, office 96.80; office and travel
  // 15 % of staff = 1,152.00 each → declared 14,009.40. The controller deducts 480.00 of staff,
  // 605.00 and 96.80 → staff 7,200.00, flat rates 1,080.00 each → eligible 12,683.60.
  // ERDF FLOOR(12,683.60 × 80 %) = 10,146.88; state FLOOR(2,536.72 × 10 %) = 253.67;
  // own = 12,683.60 − 10,146.88 − 253.67 = 2,283.05.
  CHECK(s["CB0100123/1/1/Declared (EUR)"] == "14009.40");
  CHECK(s["CB0100123/1/1/Deducted (EUR)"] == "1325.80");
  CHECK(s["CB0100123/1/1/Eligible after control (EUR)"] == "12683.60");
  CHECK(s["CB0100123/1/1/ERDF (EUR)"] == "10146.88");
  CHECK(s["CB0100123/1/1/State (EUR)"] == "253.67");
  CHECK(s["CB0100123/1/1/Own contribution (EUR)"] == "2283.05");
  CHECK(s["CB0100123/1/1/ERDF paid (EUR)"] == "5000.00");
  CHECK(s["CB0100123/1/1/Status"] == "partly paid");

  // Pärnu (EE): 4,800 + 12,200 + 765 + 720 + 720 = 19,205.00; ERDF 15,364.00; no Latvian state
  // money for an Estonian partner.
  CHECK(s["CB0100123/2/1/Eligible after control (EUR)"] == "19205.00");
  CHECK(s["CB0100123/2/1/ERDF (EUR)"] == "15364.00");
  CHECK(s["CB0100123/2/1/State (EUR)"] == "0.00");

  // Gotland (SE): SEK at the July 2024 rate 11.3380 (submitted 2024-07-10), HALF_UP per line:
  // 25,000 SEK → 2,204.97; 8,500 SEK → 749.69; staff 3,600.00; flat 540.00 × 2 → 7,634.66.
  // Not controlled yet: shown, not due.
  CHECK(s["CB0100123/3/1/Declared (EUR)"] == "7634.66");
  CHECK(s["CB0100123/3/1/Status"] == "submitted");
  CHECK(s["CB0100123/3/1/ERDF due (EUR)"] == "0.00");

  // Totals: due only after approval.
  CHECK(s["TOTAL/ERDF due (EUR)"] == "132228.38");
  CHECK(s["TOTAL/State due (EUR)"] == "253.67");
}

TEST_CASE("a rerun with nothing new writes no workbook", "[job][e2e]") {
  const fs::path dir = fresh_dir("rerun");
  const fs::path job = write_job(dir, kRepo / "fixtures/demo/inbox");
  REQUIRE(run_cofin("run '" + job.string() + "' --as-of 2025-03-31 --quiet", dir).exit_code == 0);
  const auto again = run_cofin("run '" + job.string() + "' --as-of 2025-04-01", dir);
  CHECK(again.exit_code == 0);
  CHECK(again.err.find("nothing new (13 unchanged, 0 waiting); no workbook written") !=
        std::string::npos);
  CHECK_FALSE(fs::exists(dir / "reports/demo-2025-04-01.xlsx"));
}

TEST_CASE("a rejected file goes to quarantine with its reason and the rest goes on", "[job][e2e]") {
  const fs::path dir = fresh_dir("reject");
  const fs::path inbox = dir / "inbox";
  fs::create_directories(inbox);
  fs::copy_file(kRepo / "fixtures/demo/inbox/lars-r1.xml", inbox / "lars-r1.xml");
  std::ofstream(inbox / "broken.xml") << "<partner-report xmlns=\"urn:cofin:report:1\"><project>";
  const fs::path job = write_job(dir, inbox, "move");
  const auto r = run_cofin("run '" + job.string() + "' --as-of 2025-03-31", dir);
  CHECK(r.exit_code == 1);
  CHECK(r.err.find("1 accepted, 1 rejected") != std::string::npos);
  REQUIRE(fs::exists(dir / "quarantine/broken.xml"));
  const std::string reason = slurp(dir / "quarantine/broken.xml.reason.txt");
  CHECK(reason.find("broken.xml:1:") == 0);
  CHECK(reason.find("XML-MALFORMED") != std::string::npos);
  CHECK_FALSE(fs::exists(inbox / "broken.xml"));
  CHECK_FALSE(fs::exists(inbox / "lars-r1.xml"));  // moved to the content-addressed archive
  CHECK(fs::exists(dir / "reports/demo-2025-03-31.xlsx"));
}

TEST_CASE("rejected files whose quarantine names meet in one run are all kept", "[job][e2e]") {
  // An earlier run left quarantine/bad.xml, so tonight's bad.xml becomes bad-2.xml; tonight's
  // inbox also holds a file named bad-2.xml. Decided in one commit group, the two must not be
  // given the same place (a rename would silently replace the first).
  const fs::path dir = fresh_dir("quarantine-names");
  const fs::path inbox = dir / "inbox";
  fs::create_directories(inbox);
  const fs::path job = write_job(dir, inbox, "move");
  std::ofstream(inbox / "bad.xml") << "<first/>";
  REQUIRE(run_cofin("run '" + job.string() + "' --as-of 2025-03-31 --quiet", dir).exit_code == 1);
  REQUIRE(fs::exists(dir / "quarantine/bad.xml"));
  std::ofstream(inbox / "bad.xml") << "<second/>";
  std::ofstream(inbox / "bad-2.xml") << "<third/>";
  const auto r = run_cofin("run '" + job.string() + "' --as-of 2025-04-01 --quiet", dir);
  CHECK(r.exit_code == 1);
  std::set<std::string> kept;
  for (const auto& entry : fs::directory_iterator(dir / "quarantine")) {
    if (entry.path().extension() == ".xml") kept.insert(slurp(entry.path()));
  }
  CHECK(kept == std::set<std::string>{"<first/>", "<second/>", "<third/>"});
  CHECK(fs::is_empty(inbox));
  CHECK(run_cofin("audit verify '" + job.string() + "'", dir).exit_code == 0);
}

TEST_CASE("the same bytes again are a duplicate and other bytes under a known key are rejected",
          "[job][e2e]") {
  const fs::path dir = fresh_dir("duplicate");
  const fs::path inbox = dir / "inbox";
  fs::create_directories(inbox);
  fs::copy_file(kRepo / "fixtures/demo/inbox/lars-r1.xml", inbox / "lars-r1.xml");
  const fs::path job = write_job(dir, inbox, "move");
  REQUIRE(run_cofin("run '" + job.string() + "' --as-of 2025-03-31 --quiet", dir).exit_code == 0);

  fs::copy_file(kRepo / "fixtures/demo/inbox/lars-r1.xml", inbox / "lars-r1-resent.xml");
  std::string changed = slurp(kRepo / "fixtures/demo/inbox/lars-r1.xml");
  const std::string from = "declared=\"1200.00\"";
  changed.replace(changed.find(from), from.size(), "declared=\"1100.00\"");
  std::ofstream(inbox / "lars-r1-changed.xml") << changed;
  const auto r = run_cofin("run '" + job.string() + "' --as-of 2025-04-01", dir);
  CHECK(r.exit_code == 1);
  CHECK(r.err.find("lars-r1-resent.xml: info DOC-DUPLICATE") != std::string::npos);
  CHECK(r.err.find("lars-r1-changed.xml: error DOC-KEY-CONFLICT") != std::string::npos);
  CHECK(r.err.find("0 accepted, 1 rejected, 1 duplicates") != std::string::npos);
}

TEST_CASE(
    "a ledger-thread failure after deciding ends the run with its error, and a rerun recovers",
    "[job][e2e]") {
  // The ledger thread commits the documents while the run computes and writes the workbook: a
  // failure there (here: the archive cannot take a file) must end the run with that error, not
  // leave the Audit sheet waiting for a head that never comes.
  const fs::path dir = fresh_dir("ledger-thread-failure");
  const fs::path inbox = dir / "inbox";
  fs::create_directories(inbox);
  for (const auto& e : fs::directory_iterator(kRepo / "fixtures/demo/inbox")) {
    fs::copy_file(e.path(), inbox / e.path().filename());
  }
  const fs::path job = write_job(dir, inbox, "move");
  // The last events document is moved in the last group: a file where its shard directory goes.
  const std::string sha = cofin::sha256_hex(slurp(inbox / "lars-events.xml"));
  fs::create_directories(dir / "archive");
  std::ofstream(dir / "archive" / sha.substr(0, 2)) << "in the way";

  const auto failed = run_cofin("run '" + job.string() + "' --as-of 2025-03-31 --quiet", dir);
  CHECK(failed.exit_code == 3);
  CHECK(failed.err.find("cofin: fatal: cannot create " +
                        (dir / "archive" / sha.substr(0, 2)).string()) != std::string::npos);
  CHECK_FALSE(fs::exists(dir / "reports/demo-2025-03-31.xlsx"));

  fs::remove(dir / "archive" / sha.substr(0, 2));
  const auto rerun = run_cofin("run '" + job.string() + "' --as-of 2025-03-31 --quiet", dir);
  CHECK(rerun.exit_code == 0);
  CHECK(fs::exists(dir / "reports/demo-2025-03-31.xlsx"));
  CHECK(fs::is_empty(inbox));  // every file archived: the committed moves were completed
  CHECK(fs::exists(dir / "archive" / sha.substr(0, 2) / sha));
}

TEST_CASE("a second run while the lock is held exits 75 at once", "[job][e2e]") {
  const fs::path dir = fresh_dir("lock");
  const fs::path job = write_job(dir, kRepo / "fixtures/demo/inbox");
  fs::create_directories(dir / "var");
  const int fd = ::open((dir / "var/ledger.sqlite.lock").c_str(), O_RDWR | O_CREAT, 0644);
  REQUIRE(fd >= 0);
  REQUIRE(::flock(fd, LOCK_EX | LOCK_NB) == 0);
  REQUIRE(::write(fd, "pid test-holder\n", 16) == 16);
  const auto r = run_cofin("run '" + job.string() + "' --as-of 2025-03-31", dir);
  ::close(fd);
  CHECK(r.exit_code == 75);
  CHECK(r.err.find("another run holds the job lock") != std::string::npos);
  CHECK(r.err.find("pid test-holder") != std::string::npos);
  CHECK_FALSE(fs::exists(dir / "var/ledger.sqlite"));  // nothing processed
  // Released: the run goes through.
  CHECK(run_cofin("run '" + job.string() + "' --as-of 2025-03-31 --quiet", dir).exit_code == 0);
}

TEST_CASE("a missing exchange rate rejects the report, never guesses", "[job][e2e]") {
  const fs::path dir = fresh_dir("rate-missing");
  const fs::path inbox = dir / "inbox";
  fs::create_directories(inbox);
  std::string csv = slurp(kRepo / "fixtures/demo/inbox/cb-p3-r1.csv");
  for (std::size_t at; (at = csv.find("2024-07-10")) != std::string::npos;) {
    csv.replace(at, 10, "2025-01-10");  // no 2025 SEK rates in the job
  }
  std::ofstream(inbox / "cb-p3-r1.csv") << csv;
  const fs::path job = write_job(dir, inbox);
  const auto r = run_cofin("run '" + job.string() + "' --as-of 2025-03-31", dir);
  CHECK(r.exit_code == 1);
  CHECK(r.err.find("cb-p3-r1.csv:3: error RATE-MISSING: no SEK rate for 2025-01") !=
        std::string::npos);
}

TEST_CASE("usage errors exit 2 and teach", "[job][e2e]") {
  const fs::path dir = fresh_dir("usage");
  auto r = run_cofin("run", dir);
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("run needs a job file") != std::string::npos);
  r = run_cofin("run job.xml --as-of 31.12.2024", dir);
  CHECK(r.exit_code == 2);
  r = run_cofin("frobnicate", dir);
  CHECK(r.exit_code == 2);
  r = run_cofin("--help", dir);
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("cofin run JOB.xml") != std::string::npos);
  r = run_cofin("run --help", dir);
  CHECK(r.exit_code == 0);
  r = run_cofin("--version", dir);
  CHECK(r.out == std::string("cofin ") + COFIN_VERSION + "\n");
  r = run_cofin("run '" + (dir / "missing.xml").string() + "'", dir);
  CHECK(r.exit_code == 2);
}

TEST_CASE("the same inputs and as-of date give a byte-identical workbook", "[job][e2e]") {
  std::string bytes[2];
  for (int k = 0; k < 2; ++k) {
    const fs::path dir = fresh_dir("determinism-" + std::to_string(k));
    write_job(dir, kRepo / "fixtures/demo/inbox");
    // Run from inside each folder, so the job file has the same name in both.
    REQUIRE(run_shell("cd '" + dir.string() + "' && '" + COFIN_BINARY +
                          "' run job.xml --as-of 2025-03-31 --quiet",
                      dir)
                .exit_code == 0);
    bytes[k] = slurp(dir / "reports/demo-2025-03-31.xlsx");
    // The second run starts in another second of the wall clock, so any time that leaks into
    // the workbook (or into the audit head it shows) makes the bytes differ.
    if (k == 0) std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  }
  REQUIRE(bytes[0].size() > 1000);
  CHECK(bytes[0] == bytes[1]);
}

TEST_CASE("per-project workbooks are written beside the programme-wide one and verified",
          "[job][e2e]") {
  const fs::path dir = fresh_dir("per-project");
  const fs::path job = write_job(dir, kRepo / "fixtures/demo/inbox");
  std::string text = slurp(job);
  const std::string output = "<output dir=\"reports\"/>";
  text.replace(text.find(output), output.size(), output + "\n  <workbooks per-project=\"true\"/>");
  std::ofstream(job) << text;
  const auto r = run_cofin("run '" + job.string() + "' --as-of 2025-03-31 --quiet", dir);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  for (const char* name : {"demo-2025-03-31.xlsx", "demo-2025-03-31-BSR-R027.xlsx",
                           "demo-2025-03-31-CB0100123.xlsx"}) {
    CHECK(fs::exists(dir / "reports" / name));
  }
  // The LARS workbook holds LARS alone: its Summary total is VARAM's 125,550.00.
  auto lars = summary_cells(dir / "reports/demo-2025-03-31-BSR-R027.xlsx", dir);
  CHECK(lars["TOTAL/Eligible after control (EUR)"] == "125550.00");
  CHECK(lars.count("CB0100123/1/1/Status") == 0);
  CHECK(run_cofin("audit verify '" + job.string() + "'", dir).exit_code == 0);
  // Every workbook is in the trail: editing a per-project one breaks verification.
  std::ofstream(dir / "reports/demo-2025-03-31-CB0100123.xlsx", std::ios::app) << "x";
  const auto broken = run_cofin("audit verify '" + job.string() + "'", dir);
  CHECK(broken.exit_code == 4);
  CHECK((broken.out + broken.err).find("demo-2025-03-31-CB0100123.xlsx") != std::string::npos);
}
