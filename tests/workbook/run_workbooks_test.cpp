// The run's workbooks: the programme-wide one plus one per project (job option
// `<workbooks per-project="true"/>`), written in parallel, each read back independently.
#include <time.h>

#include <catch2/catch.hpp>

#include <thread>

#include "ingest/xml_documents.h"
#include "ingest/xml_parser.h"
#include "workbook/project_outcome.h"
#include "workbook/workbook.h"
#include "workbook/workbook_support.h"

using namespace cofin;
using namespace cofin::wbtest;

namespace {

std::optional<Job> job_with(const std::string& workbooks, Diagnostics& d) {
  XercesRuntime runtime;
  XmlContext xml{runtime};
  const std::string doc =
      "<job xmlns=\"urn:cofin:job:1\"><name>j</name><inbox dir=\"in\" mode=\"move\"/>"
      "<archive dir=\"a\"/><quarantine dir=\"q\"/><programme file=\"p.xml\"/>"
      "<registry file=\"r.xml\"/><ledger>sqlite:l.sqlite</ledger><output dir=\"o\"/>" +
      workbooks + "<encoding pattern=\"*.csv\" charset=\"utf-8\"/></job>";
  return read_job_xml(xml, "/etc/cofin/j.xml", "j.xml", doc, d);
}

}  // namespace

TEST_CASE("job file option for per-project workbooks", "[workbook][xml]") {
  Diagnostics d;
  auto job = job_with("", d);
  REQUIRE(job);
  CHECK_FALSE(job->per_project_workbooks);
  job = job_with("<workbooks/>", d);
  REQUIRE(job);
  CHECK_FALSE(job->per_project_workbooks);
  job = job_with("<workbooks per-project=\"true\"/>", d);
  REQUIRE(job);
  CHECK(job->per_project_workbooks);
  job = job_with("<workbooks per-project=\"false\"/>", d);
  REQUIRE(job);
  CHECK_FALSE(job->per_project_workbooks);
  CHECK_FALSE(d.has_errors());
  Diagnostics bad;
  CHECK_FALSE(job_with("<workbooks per-project=\"yes\"/>", bad));
  REQUIRE(!bad.items().empty());
  CHECK(bad.items().front().rule_id == "XML-SCHEMA");
}

TEST_CASE("project workbook names sort next to the programme-wide one", "[workbook]") {
  CHECK(project_workbook_file_name("demo", day(2024, 6, 30), "CB0100123") ==
        "demo-2024-06-30-CB0100123.xlsx");
  CHECK(project_workbook_file_name("demo", day(2024, 6, 30), "A/B ..\\x") ==
        "demo-2024-06-30-A_B_.._x.xlsx");
  CHECK(project_workbook_file_name("demo", day(2024, 6, 30), "") == "demo-2024-06-30-_.xlsx");
}

TEST_CASE("a project's outcome holds only its own reports, lines, findings and inputs",
          "[workbook]") {
  const RunOutcome o = sample();
  CHECK(outcome_projects(o) == std::vector<std::string>{"CB-001", "CB-002"});
  const RunOutcome p = project_outcome(o, "CB-002");
  REQUIRE(p.reports.size() == 1);
  CHECK(p.reports[0].first_line == 0);
  CHECK(p.reports[0].line_count == 1);
  REQUIRE(p.lines.size() == 1);
  CHECK(p.lines[0].line.description == "\tTabbed");
  CHECK(p.findings.empty());
  // Neither CB-001's report nor the rejected, unattributed one.
  CHECK(p.inputs.empty());
  CHECK(p.run_id == o.run_id);
  CHECK(p.rule_sets.size() == 1);

  const RunOutcome q = project_outcome(o, "CB-001");
  CHECK(q.reports.size() == 2);
  CHECK(q.reports[1].first_line == 3);
  CHECK(q.lines.size() == 5);
  REQUIRE(q.findings.size() == 2);
  CHECK(q.findings[0].rule_id == "ELIG-VAT");
  CHECK(q.findings[1].rule_id == "ELIG-DATE");
  REQUIRE(q.inputs.size() == 1);
  CHECK(q.inputs[0].file == "inbox/cb001-p1-r1.csv");
}

TEST_CASE("run workbooks: programme-wide plus one per project, in parallel", "[workbook]") {
  const RunOutcome o = sample();
  TempDir dir;
  const auto a = dir.path() / "a";
  const auto b = dir.path() / "b";
  fs::create_directories(a);
  fs::create_directories(b);

  const auto only_main = write_run_workbooks(o, a, {}, false);
  REQUIRE(only_main.size() == 1);
  CHECK(only_main[0] == a / "demo-2024-06-30.xlsx");
  CHECK(std::distance(fs::directory_iterator(a), fs::directory_iterator()) == 1);

  const auto paths = write_run_workbooks(o, b, {}, true);
  REQUIRE(paths.size() == 3);
  CHECK(paths[0] == b / "demo-2024-06-30.xlsx");
  CHECK(paths[1] == b / "demo-2024-06-30-CB-001.xlsx");
  CHECK(paths[2] == b / "demo-2024-06-30-CB-002.xlsx");
  CHECK(std::distance(fs::directory_iterator(b), fs::directory_iterator()) == 3);
  // The same bytes as written one by one, on one thread.
  CHECK(slurp(paths[0]) == slurp(only_main[0]));
  write_workbook(project_outcome(o, "CB-002"), dir.path() / "single.xlsx");
  CHECK(slurp(paths[2]) == slurp(dir.path() / "single.xlsx"));

  const Dump p = read_xlsx(paths[2]);
  check_text(p, "Summary!A3", "CB-002", false);
  CHECK_FALSE(p.has("Summary!A4"));
  check_formula(p, "Summary!E3", "=HYPERLINK(\"#'Lines'!A3\",2)", 200);
  check_amount(p, "Lines!R3", -1001);
  CHECK_FALSE(p.has("Lines!A4"));
  check_formula(p, "Summary!I1", "=SUBTOTAL(9,I3:I3)", -1001);
  CHECK_FALSE(p.has("Findings!A3"));
  check_text(p, "Audit!B1", o.run_id, false);

  const Dump q = read_xlsx(paths[1]);
  check_text(q, "Summary!A4", "CB-001", false);
  CHECK_FALSE(q.has("Summary!A5"));
  check_formula(q, "Findings!F3", "=HYPERLINK(\"#'Lines'!A7\",2)", 200);
  check_text(q, "Audit!A8", "inbox/cb001-p1-r1.csv", false);
  CHECK_FALSE(q.has("Audit!A9"));
}

TEST_CASE("run workbooks: a failure leaves none of the files", "[workbook]") {
  const RunOutcome o = sample();
  TempDir dir;
  // The second project's target is a directory: its rename fails after the others succeeded.
  fs::create_directories(dir.path() / "demo-2024-06-30-CB-002.xlsx" / "inside");
  CHECK_THROWS_AS(write_run_workbooks(o, dir.path(), {}, true), WorkbookError);
  CHECK_FALSE(fs::exists(dir.path() / "demo-2024-06-30.xlsx"));
  CHECK_FALSE(fs::exists(dir.path() / "demo-2024-06-30-CB-001.xlsx"));
  CHECK(std::distance(fs::directory_iterator(dir.path()), fs::directory_iterator()) == 1);
  CHECK_THROWS_AS(write_run_workbooks(o, dir.path() / "missing", {}, true), WorkbookError);
}

TEST_CASE("run workbooks: per-project workbooks follow a constant-memory programme-wide one",
          "[workbook]") {
  const RunOutcome o = sample();
  TempDir dir;
  WorkbookOptions options;
  options.constant_memory_from_rows = o.lines.size() + o.findings.size();  // the whole run only
  options.tmpdir = dir.path();
  REQUIRE(uses_constant_memory(o, options));
  REQUIRE_FALSE(uses_constant_memory(project_outcome(o, "CB-002"), options));
  const auto paths = write_run_workbooks(o, dir.path(), options, true);
  REQUIRE(paths.size() == 3);
  // Constant-memory mode writes strings inline: no shared-string table in any of the three.
  for (const fs::path& p : paths) {
    INFO(p);
    CHECK(zip_entries(p).find("sharedStrings.xml") == std::string::npos);
  }
  // The same cells as the same project written alone in normal mode.
  write_workbook(project_outcome(o, "CB-002"), dir.path() / "normal.xlsx");
  CHECK(zip_entries(dir.path() / "normal.xlsx").find("sharedStrings.xml") != std::string::npos);
  CHECK(read_xlsx(paths[2]).records == read_xlsx(dir.path() / "normal.xlsx").records);
}

TEST_CASE("gmtime gives each thread its own result (libxlsxwriter calls it while closing)",
          "[workbook]") {
  const time_t day = 1719705600;  // 2024-06-30T00:00:00Z
  const struct tm* here = ::gmtime(&day);
  const struct tm* there = nullptr;
  std::thread([&there, day] { there = ::gmtime(&day); }).join();
  CHECK(here != there);  // the C library's gmtime returns one static buffer to every thread
  REQUIRE(here != nullptr);
  CHECK(here->tm_year == 124);
  CHECK(here->tm_mon == 5);
  CHECK(here->tm_mday == 30);
}

TEST_CASE("run workbooks: the per-project ones alone, for the benchmark", "[workbook]") {
  const RunOutcome o = sample();
  TempDir dir;
  const auto paths = write_run_workbooks(o, dir.path(), {}, true, false);
  REQUIRE(paths.size() == 2);
  CHECK(paths[0] == dir.path() / "demo-2024-06-30-CB-001.xlsx");
  CHECK(paths[1] == dir.path() / "demo-2024-06-30-CB-002.xlsx");
  CHECK(std::distance(fs::directory_iterator(dir.path()), fs::directory_iterator()) == 2);
}
