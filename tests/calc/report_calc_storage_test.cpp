// compute_report over used storage (calc/report_calc.h): a portfolio computes report after
// report over the lines of the report before, and nothing of those may show through.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "calc/report_calc.h"
#include "model/line_codec.h"
#include "support/builders.h"

using namespace cofin;
using namespace cofin::testing;

namespace {

bool same_rate(const std::optional<Rate>& a, const std::optional<Rate>& b) {
  return a.has_value() == b.has_value() &&
         (!a || (a->units() == b->units() && a->scale() == b->scale()));
}

// Every field; the input line through its encoding, which holds every field with pos.
bool identical(const LineOutcome& a, const LineOutcome& b) {
  std::string line_a, line_b;
  encode_lines({a.line}, line_a);
  encode_lines({b.line}, line_b);
  return a.project == b.project && a.partner == b.partner && a.report == b.report &&
         line_a == line_b && a.source_file == b.source_file && same_rate(a.rate, b.rate) &&
         a.rate_month == b.rate_month && a.eur.cents() == b.eur.cents() &&
         a.ineligible.cents() == b.ineligible.cents() && a.deducted.cents() == b.deducted.cents() &&
         a.parked == b.parked && a.parked_eur.cents() == b.parked_eur.cents() &&
         a.certified.cents() == b.certified.cents() && a.check_result == b.check_result &&
         a.rule_ids == b.rule_ids &&
         a.controller_deducted.cents() == b.controller_deducted.cents() &&
         a.ma_js_deducted.cents() == b.ma_js_deducted.cents() &&
         a.budget_capped.cents() == b.budget_capped.cents() && a.typology == b.typology &&
         a.reincluded_from == b.reincluded_from && a.sample_flags == b.sample_flags;
}

struct Inputs {
  ProgrammeRules rules = central_baltic();
  Project project = cb_project();
  RateTable rates;
  PartnerReport report;
  ReportInputs in;

  Inputs() {
    report = first_report(project);
    rates.add({"SEK", 2024, 7, *parse_decimal("11.4475", 6), {}});
    in.report = &report;
    in.project = &project;
    in.partner = &project.partners[0];
    in.rules = &rules;
    in.rates = &rates;
    in.source_file = "a-much-longer-report-file-name.csv";
  }
};

}  // namespace

TEST_CASE("a report computed over another report's lines is computed as over none", "[calc]") {
  // The first report fills every field a line outcome has: a SEK rate and month, findings (rule
  // ids, ineligible), a controller's deduction with its typology, a parked line, a re-included
  // line, sample flags, long texts.
  Inputs first;
  ExpenseLine sek = invoice_line(1, Category::kExternal, eur(1000000), "2024-03-01", "2024-03-15");
  sek.currency = "SEK";
  sek.description = std::string(100, 'd');
  sek.supplier = "A supplier with a name longer than fifteen characters";
  sek.procurement_ref = "IUB 2024/17";
  ExpenseLine early = invoice_line(2, Category::kExternal, eur(10000), "2023-12-01", "2024-01-05");
  ExpenseLine parked = invoice_line(3, Category::kExternal, eur(20000), "2024-03-01", "2024-03-02");
  ExpenseLine again = invoice_line(4, Category::kExternal, eur(30000), "2024-03-01", "2024-03-02");
  again.reincluded_from = "R9.9";
  ExpenseLine staff = unit_line(5, Category::kStaff, "staff-hour", "2", eur(5000));
  first.report.lines = {sek, early, parked, again, staff};
  ControlResult control;
  control.certified_on = day("2024-09-01");
  LineDecision deduct;
  deduct.line = 1;
  deduct.deducted = eur(1234);
  deduct.typology = "ineligible-cost";
  LineDecision park;
  park.line = 3;
  park.parked = true;
  control.decisions = {deduct, park};
  first.in.control = &control;
  const ReportComputation used = compute_report(first.in);
  REQUIRE(used.lines.size() == 5);
  REQUIRE(used.lines[0].rate.has_value());
  REQUIRE(used.lines[2].parked);
  REQUIRE_FALSE(used.lines[1].rule_ids.empty());
  REQUIRE_FALSE(used.lines[3].reincluded_from.empty());

  // The second report: fewer lines (the storage is cut to size), plain EUR lines, no control.
  Inputs second;
  second.in.source_file = "r.csv";
  second.report.report = 2;
  second.report.lines = {
      line(1, Category::kExternal, eur(100)),
      unit_line(2, Category::kStaff, "staff-hour", "1", eur(2400)),
      invoice_line(3, Category::kEquipment, eur(500), "2024-02-01", "2024-02-02")};
  const ReportComputation fresh = compute_report(second.in);
  const ReportComputation reused = compute_report(second.in, used.lines);
  REQUIRE(reused.lines.size() == fresh.lines.size());
  for (std::size_t k = 0; k < fresh.lines.size(); ++k) {
    INFO("line " << k);
    CHECK(identical(reused.lines[k], fresh.lines[k]));
  }
  CHECK(reused.outcome.eligible == fresh.outcome.eligible);
  CHECK(reused.findings.size() == fresh.findings.size());

  // And more lines than the storage holds.
  const ReportComputation grown = compute_report(first.in, reused.lines);
  REQUIRE(grown.lines.size() == used.lines.size());
  for (std::size_t k = 0; k < used.lines.size(); ++k) {
    INFO("line " << k);
    CHECK(identical(grown.lines[k], used.lines[k]));
  }
}
