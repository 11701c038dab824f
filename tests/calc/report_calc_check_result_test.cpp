// A computed line's check result, rule ids and sample flags (calc/report_calc.h): "ineligible"
// with an error finding, "warning" with a warning and no error, "ok" otherwise (an info finding
// included); the rule ids of all its findings in order; Jems' sample flags.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "calc/report_calc.h"
#include "support/builders.h"

using namespace cofin;
using namespace cofin::testing;

TEST_CASE("a line's check result follows its worst finding and an info finding counts as ok",
          "[calc]") {
  ProgrammeRules rules = central_baltic();
  rules.categories[0].real_costs = true;  // real staff costs: STAFF-RATE-UNCHECKED (info)
  const Project project = cb_project();
  PartnerReport report = first_report(project);
  RateTable rates;
  // 1: an error (invoice before the project); 2: a warning only (paid after the report
  // period); 3: an info only; 4: clean, with a procurement reference; 5: clean staff unit cost.
  ExpenseLine staff_real = line(3, Category::kStaff, eur(300000));
  staff_real.payment_date = day("2024-03-01");
  ExpenseLine procured =
      invoice_line(4, Category::kExternal, eur(5000), "2024-03-01", "2024-03-02");
  procured.procurement_ref = "IUB 2024/17";
  report.lines = {invoice_line(1, Category::kExternal, eur(1000), "2023-12-31", "2024-01-05"),
                  invoice_line(2, Category::kExternal, eur(1000), "2024-06-20", "2024-07-02"),
                  staff_real, procured,
                  unit_line(5, Category::kStaff, "staff-hour", "10", eur(24000))};
  ReportInputs in = inputs_for(report, project, rules, rates, "r.csv");
  // Computed afresh and over its own lines (storage holding every field set).
  const ReportComputation fresh = compute_report(in);
  const ReportComputation reused = compute_report(in, fresh.lines);
  for (const ReportComputation* c : {&fresh, &reused}) {
    REQUIRE(c->lines.size() == 5);
    CHECK(c->lines[0].check_result == "ineligible");
    CHECK(c->lines[0].rule_ids == std::vector<std::string>{"ELIG-PERIOD"});
    CHECK(c->lines[1].check_result == "warning");
    CHECK(c->lines[1].rule_ids == std::vector<std::string>{"ELIG-REPORT-PERIOD"});
    CHECK(c->lines[2].check_result == "ok");
    CHECK(c->lines[2].rule_ids == std::vector<std::string>{"STAFF-RATE-UNCHECKED"});
    CHECK(c->lines[2].sample_flags == std::vector<std::string>{"staff"});
    CHECK(c->lines[3].check_result == "ok");
    CHECK(c->lines[3].rule_ids.empty());
    CHECK(c->lines[3].sample_flags == std::vector<std::string>{"procurement"});
    CHECK(c->lines[4].check_result == "ok");
    CHECK(c->lines[4].rule_ids.empty());
    CHECK(c->lines[4].sample_flags == std::vector<std::string>{"staff"});
  }
  // Over storage whose lines had other flags and rule ids in the same places: report 2's lines
  // are report 1's second, first and fourth, so that each id, result and flag replaces another.
  PartnerReport other = report;
  other.report = 2;
  other.lines = {report.lines[1], report.lines[0], procured};
  other.lines[0].line = 1;
  other.lines[1].line = 2;
  other.lines[2].line = 3;
  in.report = &other;
  const ReportComputation over = compute_report(in, fresh.lines);
  const ReportComputation afresh = compute_report(in);
  REQUIRE(over.lines.size() == 3);
  for (std::size_t k = 0; k < 3; ++k) {
    CHECK(over.lines[k].check_result == afresh.lines[k].check_result);
    CHECK(over.lines[k].rule_ids == afresh.lines[k].rule_ids);
    CHECK(over.lines[k].sample_flags == afresh.lines[k].sample_flags);
  }
  CHECK(over.lines[0].rule_ids == std::vector<std::string>{"ELIG-REPORT-PERIOD"});
  CHECK(over.lines[1].rule_ids == std::vector<std::string>{"ELIG-PERIOD"});
  CHECK(over.lines[2].sample_flags == std::vector<std::string>{"procurement"});
  CHECK(over.lines[2].rule_ids.empty());
}
