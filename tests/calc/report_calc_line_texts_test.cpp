// ReportInputs::line_texts (calc/report_calc.h): a computation that keeps only the lines' sums
// builds no texts, and every figure, result and finding is the full computation's.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "calc/report_calc.h"
#include "support/builders.h"

using namespace cofin;
using namespace cofin::testing;

TEST_CASE("a computation without line texts has the full computation's figures and findings",
          "[calc]") {
  const ProgrammeRules rules = central_baltic();
  const Project project = cb_project();
  PartnerReport report = first_report(project);
  RateTable rates;
  ExpenseLine early = invoice_line(1, Category::kExternal, eur(1000), "2023-12-31", "2024-01-05");
  early.description = "Catering";
  early.supplier = "SIA Pusdienas";
  early.internal_ref = "K-17";
  ExpenseLine procured =
      invoice_line(2, Category::kExternal, eur(5000), "2024-03-01", "2024-03-02");
  procured.procurement_ref = "IUB 2024/17";
  report.lines = {early, procured, unit_line(3, Category::kStaff, "staff-hour", "10", eur(24000))};
  ReportInputs in = inputs_for(report, project, rules, rates, "r.csv");
  const ReportComputation full = compute_report(in);
  in.line_texts = false;
  const ReportComputation sums = compute_report(in);
  // And over storage a full computation filled: no text of it is left behind.
  const ReportComputation over = compute_report(in, full.lines);

  for (const ReportComputation* c : {&sums, &over}) {
    REQUIRE(c->lines.size() == full.lines.size());
    CHECK(c->outcome.eligible == full.outcome.eligible);
    CHECK(c->outcome.declared == full.outcome.declared);
    CHECK(c->outcome.erdf == full.outcome.erdf);
    CHECK(c->findings.size() == full.findings.size());
    for (std::size_t k = 0; k < full.lines.size(); ++k) {
      const LineOutcome& a = c->lines[k];
      const LineOutcome& b = full.lines[k];
      CHECK(a.line.line == b.line.line);
      CHECK(a.line.category == b.line.category);
      CHECK(a.line.declared == b.line.declared);
      CHECK(a.line.currency == b.line.currency);
      CHECK(a.eur == b.eur);
      CHECK(a.ineligible == b.ineligible);
      CHECK(a.certified == b.certified);
      CHECK(a.check_result == b.check_result);
      CHECK(a.rule_ids == b.rule_ids);
      CHECK(a.sample_flags == b.sample_flags);
      CHECK(a.line.description.empty());
      CHECK(a.line.supplier.empty());
      CHECK(a.line.internal_ref.empty());
      CHECK(a.line.procurement_ref.empty());
      CHECK(a.line.unit_cost.empty());
      CHECK(a.source_file.empty());
      CHECK(a.project.empty());
    }
  }
  // The full computation does carry them.
  CHECK(full.lines[0].line.description == "Catering");
  CHECK(full.lines[0].source_file == "r.csv");
  CHECK(full.lines[2].line.unit_cost == "staff-hour");
}
