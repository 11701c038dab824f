// Workbooks from findings read through a source (RunOutcome::finding_source, as a run reads them
// back from its spill file) are the workbooks from held findings, byte for byte: the Findings
// pages, the first page's run-wide total, the links into the Lines sheets, the per-project
// workbooks' findings (ranges of the run's), and the held rejections after the source's findings.
#include <catch2/catch.hpp>

#include <filesystem>
#include <stdexcept>

#include "calc/finding_source.h"
#include "calc/portfolio.h"
#include "support/generator.h"
#include "support/process.h"
#include "workbook/generated_run.h"
#include "workbook/project_outcome.h"
#include "workbook/workbook.h"
#include "workbook/workbook_support.h"

using namespace cofin;
using namespace cofin::testing;
namespace fs = std::filesystem;

namespace {

// Findings kept in a vector that is not RunOutcome::findings: a writer still reading
// RunOutcome::findings would see none of them (or only the rejections).
class KeptFindings final : public FindingSource {
 public:
  explicit KeptFindings(std::vector<Diagnostic> findings) : findings_(std::move(findings)) {}
  std::size_t size() const override { return findings_.size(); }
  void visit(std::size_t begin, std::size_t end,
             const std::function<void(std::size_t, const Diagnostic&)>& visit) const override {
    check(begin, end);
    for (std::size_t i = begin; i < end; ++i) {
      // A copy, gone after the call, as a spill file's decoded finding would be.
      const Diagnostic d = findings_[i];
      visit(i, d);
    }
  }
  Money amount(std::size_t begin, std::size_t end) const override {
    check(begin, end);
    Money sum;
    for (std::size_t i = begin; i < end; ++i) {
      if (findings_[i].amount) sum += *findings_[i].amount;
    }
    return sum;
  }

 private:
  // Throws, not Catch's REQUIRE: per-project workbooks read the source on two threads, and
  // Catch's assertions are not thread-safe (ThreadSanitizer reports them).
  void check(std::size_t begin, std::size_t end) const {
    if (begin > end || end > findings_.size()) throw std::out_of_range("findings range");
  }

  std::vector<Diagnostic> findings_;
};

Diagnostic rejection(const std::string& rule_id, const std::string& file) {
  Diagnostic d;
  d.rule_id = rule_id;
  d.file = file;
  d.line = 3;
  d.column = 7;
  d.field = "amount";
  d.message = "amount \"12,x\" is not a number";
  return d;
}

// Moves `outcome`'s findings into a source of their own; the held ones are then `rejections`.
void move_to_source(RunOutcome& outcome, const std::vector<Diagnostic>& rejections) {
  outcome.finding_source = std::make_shared<KeptFindings>(std::move(outcome.findings));
  outcome.findings = rejections;
}

}  // namespace

TEST_CASE("workbooks from findings read through a source are byte-identical to held findings",
          "[findings-source][workbook]") {
  GeneratedWorld world;
  fill_small_world(world, 43, 60);

  const Portfolio portfolio = world.portfolio();
  RunOutcome held = compute_portfolio(portfolio, 2);
  RunOutcome sourced_held_lines = compute_portfolio(world.portfolio(), 2);
  RunOutcome sourced_streamed = compute_portfolio_streamed(world.portfolio(), 2);
  // More than two 200-row pages of findings, so pages cut the projects' ranges.
  const std::size_t computed = held.findings.size();
  REQUIRE(computed > 400);
  REQUIRE(held.findings.size() == sourced_streamed.findings.size());

  // Rejections, held after the computed findings as `cofin run` appends them: one about a file of
  // the second project (its per-project workbook shows it), one about a file of no project.
  const std::string second_file =
      "inbox/" + fs::path(held.reports.at(9).source_file).filename().string();
  REQUIRE(held.reports.at(9).project != held.reports.at(0).project);
  const std::vector<Diagnostic> rejections = {rejection("XML-SCHEMA", second_file),
                                              rejection("CSV-HEADER", "inbox/stray.csv")};
  for (const Diagnostic& d : rejections) held.findings.push_back(d);
  move_to_source(sourced_held_lines, rejections);
  move_to_source(sourced_streamed, rejections);
  REQUIRE(sourced_streamed.findings.size() == 2);
  REQUIRE(finding_count(sourced_streamed) == computed + 2);

  std::vector<std::pair<std::string, RunOutcome*>> outcomes = {
      {"held", &held},
      {"sourced-held-lines", &sourced_held_lines},
      {"sourced-streamed", &sourced_streamed}};
  for (auto& [name, outcome] : outcomes) name_run(*outcome, portfolio.as_of, "sourced");

  for (const bool constant_memory : {false, true}) {
    const fs::path dir = fresh_dir(constant_memory ? "findings-source-cm" : "findings-source");
    WorkbookOptions options;
    options.constant_memory = constant_memory;
    // 200 rows a sheet: findings continue on several sheets, page totals are sums of ranges.
    options.max_rows_per_sheet = 200;
    for (auto& [name, outcome] : outcomes) {
      fs::create_directories(dir / name);
      write_run_workbooks(*outcome, dir / name, options, true);
    }
    const std::vector<std::string> names = files_in(dir / "held");
    REQUIRE(names.size() == 4);  // programme-wide + 3 projects
    for (auto& [name, outcome] : outcomes) {
      REQUIRE(files_in(dir / name) == names);
      for (const std::string& file : names) {
        INFO(name << " " << file << (constant_memory ? " (constant memory)" : ""));
        CHECK(slurp(dir / "held" / file) == slurp(dir / name / file));
      }
    }
  }

  // What the identical files show: every finding, the source's then the rejections.
  const fs::path dir = fresh_dir("findings-source-read");
  WorkbookOptions options;
  options.max_rows_per_sheet = 200;
  const std::vector<fs::path> written = write_run_workbooks(sourced_streamed, dir, options, true);
  const wbtest::Dump wide = wbtest::read_xlsx(written.at(0));
  const std::size_t total = computed + 2;
  const std::size_t per_page = 200 - 2;
  const std::size_t pages = (total + per_page - 1) / per_page;
  REQUIRE(pages >= 3);
  const std::string last_sheet = "Findings (" + std::to_string(pages) + ")";
  const std::size_t last_rows = total - (pages - 1) * per_page;
  // Rows 3 to 2 + last_rows hold the findings; the last two are the rejections, in order.
  CHECK(wide.at(last_sheet + "!B" + std::to_string(1 + last_rows)).value == "XML-SCHEMA");
  CHECK(wide.at(last_sheet + "!B" + std::to_string(2 + last_rows)).value == "CSV-HEADER");
  CHECK_FALSE(wide.has(last_sheet + "!B" + std::to_string(3 + last_rows)));
  // The first page's total is the whole run's.
  Money sum;
  findings_of(sourced_streamed)->visit(0, total, [&](std::size_t, const Diagnostic& d) {
    if (d.amount) sum += *d.amount;
  });
  REQUIRE(sum.cents() != 0);
  CHECK(wbtest::cents_of(wide.at("Findings!G1").cached) == sum.cents());

  // The second project's workbook ends with the rejection about its file, not the stray one.
  const RunOutcome second = project_outcome(sourced_streamed, held.reports.at(9).project);
  REQUIRE(second.finding_source);
  REQUIRE(second.findings.size() == 1);
  CHECK(second.findings[0].rule_id == "XML-SCHEMA");
  CHECK(second.finding_source->size() > 0);
}

TEST_CASE("a project's findings are ranges of the run's, viewed in its source and copied when held",
          "[findings-source][workbook]") {
  RunOutcome run;
  for (const auto& [project, file] : std::vector<std::pair<std::string, std::string>>{
           {"CB-001", "inbox/a.csv"}, {"CB-002", "inbox/b.csv"}, {"CB-001", "inbox/c.csv"}}) {
    ReportOutcome r;
    r.project = project;
    r.source_file = file;
    run.reports.push_back(r);
  }
  // Computed: a, a, c (CB-001's too), b; held rejections: b named without its directory, then
  // a file of no project.
  const std::vector<Diagnostic> computed = {
      rejection("ELIG-VAT", "inbox/a.csv"), rejection("ELIG-DATE", "a.csv"),
      rejection("ELIG-VAT", "inbox/c.csv"), rejection("ELIG-VAT", "inbox/b.csv")};
  run.finding_source = std::make_shared<KeptFindings>(computed);
  run.findings = {rejection("XML-SCHEMA", "b.csv"), rejection("CSV-HEADER", "inbox/stray.csv")};

  const auto ranges = project_findings(run);
  REQUIRE(ranges.size() == 2);
  // Adjacent findings of a project are one range, across the source's end into the held ones.
  CHECK(ranges.at("CB-001") == std::vector<FindingRange>{{0, 3}});
  CHECK(ranges.at("CB-002") == std::vector<FindingRange>{{3, 5}});

  const RunOutcome first = project_outcome(run, "CB-001");
  REQUIRE(first.finding_source);
  CHECK(first.finding_source->size() == 3);
  CHECK(first.findings.empty());
  std::vector<std::string> files;
  findings_of(first)->visit(0, finding_count(first),
                            [&](std::size_t, const Diagnostic& d) { files.push_back(d.file); });
  CHECK(files == std::vector<std::string>{"inbox/a.csv", "a.csv", "inbox/c.csv"});

  // The range that runs into the held rejections is split: the source's part viewed, the
  // rejection copied after it.
  const RunOutcome second = project_outcome(run, "CB-002", ranges.at("CB-002"));
  REQUIRE(second.finding_source);
  REQUIRE(second.finding_source->size() == 1);
  second.finding_source->visit(
      0, 1, [](std::size_t, const Diagnostic& d) { CHECK(d.file == "inbox/b.csv"); });
  REQUIRE(second.findings.size() == 1);
  CHECK(second.findings[0].rule_id == "XML-SCHEMA");
  CHECK_THROWS_AS(project_outcome(run, "CB-002", {{4, 7}}), std::out_of_range);

  // Without a source the project's findings are copied, as before.
  RunOutcome held = run;
  held.finding_source.reset();
  held.findings.insert(held.findings.begin(), computed.begin(), computed.end());
  const RunOutcome held_first = project_outcome(held, "CB-001");
  CHECK_FALSE(held_first.finding_source);
  CHECK(held_first.findings.size() == 3);
}
