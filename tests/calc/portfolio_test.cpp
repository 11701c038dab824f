// The engine over a portfolio: goldens a controller checks by hand, re-inclusion across
// reports, duplicates across projects, budget flexibility, payments.
#include <catch2/catch.hpp>

#include "calc/portfolio.h"
#include "support/builders.h"

using namespace cofin;
using namespace cofin::testing;

namespace {

struct World {
  Registry registry;
  std::vector<ProgrammeRules> programmes{central_baltic()};
  Portfolio portfolio;

  World() {
    Project p = cb_project();
    Partner& lp = p.partners[0];
    lp.budget = {{Category::kStaff, eur(10000000)},
                 {Category::kOffice, eur(1500000)},
                 {Category::kTravel, eur(1500000)},
                 {Category::kExternal, eur(5000000)},
                 {Category::kEquipment, eur(1000000)}};
    lp.state_granted = eur(600000);
    Partner se;
    se.number = 2;
    se.name = "Region Gotland";
    se.country = "SE";
    se.legal_status = LegalStatus::kOther;
    se.currency = "SEK";
    se.erdf_rate = pct("80");
    se.budget = lp.budget;
    p.partners.push_back(se);
    p.periods.push_back({2, day("2024-07-01"), day("2024-12-31"), day("2025-02-28")});
    registry.projects.push_back(p);
    Project other = p;
    other.id = "CB0100999";
    registry.projects.push_back(other);
    portfolio.registry = &registry;
    portfolio.programmes = &programmes;
    portfolio.as_of = day("2024-09-01");
    portfolio.rates.add({"SEK", 2024, 7, *parse_decimal("11.4475", 6), {}});
    portfolio.rates.add({"SEK", 2025, 1, *parse_decimal("11.5000", 6), {}});
  }

  const PartnerReport& report(const std::string& project, int partner, int number,
                              std::vector<ExpenseLine> lines) {
    PartnerReport r;
    r.project = project;
    r.partner = partner;
    r.report = number;
    r.period_start = day(number == 1 ? "2024-01-01" : "2024-07-01");
    r.period_end = day(number == 1 ? "2024-06-30" : "2024-12-31");
    r.submitted_on = day(number == 1 ? "2024-07-10" : "2025-01-15");
    r.lines = std::move(lines);
    auto& stored = portfolio.reports[{project, partner, number}];
    stored = AcceptedReport{std::make_shared<const PartnerReport>(r),
                            "r" + std::to_string(number) + ".csv", "", nullptr};
    return *stored.report;
  }
  void control(const std::string& project, int partner, int number,
               std::vector<LineDecision> decisions, const char* on = "2024-09-01") {
    ControlResult c;
    c.id = "C-" + project + std::to_string(partner) + std::to_string(number);
    c.project = project;
    c.partner = partner;
    c.report = number;
    c.certified_on = day(on);
    c.decisions = std::move(decisions);
    portfolio.controls[{project, partner, number}].push_back(
        {std::make_shared<const ControlResult>(c), c.id + ".xml", nullptr});
  }
  RunOutcome run() const { return compute_portfolio(portfolio); }
};

LineDecision parked(int line) {
  LineDecision d;
  d.line = line;
  d.parked = true;
  return d;
}
LineDecision deducted(int line, Money amount, const char* typology) {
  LineDecision d;
  d.line = line;
  d.deducted = amount;
  d.typology = typology;
  return d;
}

const ReportOutcome& find(const RunOutcome& out, const std::string& project, int partner,
                          int report) {
  for (const ReportOutcome& r : out.reports) {
    if (r.project == project && r.partner == partner && r.report == report) return r;
  }
  FAIL("no report " << project << "/" << partner << "/" << report);
  throw;
}

std::vector<std::string> ids_of(const RunOutcome& out) {
  std::vector<std::string> ids;
  for (const Diagnostic& d : out.findings) ids.push_back(d.rule_id);
  return ids;
}

bool has(const std::vector<std::string>& ids, const char* id) {
  return std::find(ids.begin(), ids.end(), id) != ids.end();
}

}  // namespace

TEST_CASE("golden: central baltic latvian municipality report with state share by the rule set",
          "[calc][golden]") {
  World w;
  // 320 h × 24 = 7,680.00; 40 participant-days × 51 = 2,040.00; office and travel 15 % of staff
  // = 1,152.00 each → 12,024.00. ERDF FLOOR(12,024.00 × 80 %) = 9,619.20; state (LV
  // municipality: 10 % of the national contribution) FLOOR(2,404.80 × 10 %) = 240.48;
  // own = 12,024.00 − 9,619.20 − 240.48 = 2,164.32.
  w.report("CB0100123", 1, 1,
           {unit_line(1, Category::kStaff, "staff-hour", "320", eur(768000)),
            unit_line(2, Category::kExternal, "event-participant-day", "40", eur(204000))});
  const RunOutcome out = w.run();
  const ReportOutcome& r = find(out, "CB0100123", 1, 1);
  CHECK(out.findings.empty());
  CHECK(r.eligible == eur(1202400));
  CHECK(r.erdf == eur(961920));
  CHECK(r.state == eur(24048));
  CHECK(r.own == eur(216432));
  CHECK(r.state_rule == "LV municipality: 10.00 % of national contribution");
  CHECK(r.state_base_amount == eur(240480));
  CHECK(r.erdf_status == "not due");
  CHECK(r.status == "submitted");
}

TEST_CASE("golden: swedish SEK lines at the submitted-on month rate", "[calc][golden]") {
  World w;
  ExpenseLine a = invoice_line(1, Category::kExternal, eur(2500000), "2024-02-20", "2024-03-18");
  a.currency = "SEK";
  ExpenseLine b = invoice_line(2, Category::kEquipment, eur(850000), "2024-05-06", "2024-05-30");
  b.currency = "SEK";
  b.supplier_id = "556000-1111";
  w.report("CB0100123", 2, 1, {a, b});
  const RunOutcome out = w.run();
  // 25,000 / 11.4475 = 2,183.883… → 2,183.88; 8,500 / 11.4475 = 742.520… → 742.52 (HALF_UP,
  // the July 2024 rate: submitted 2024-07-10, not the invoice months).
  REQUIRE(out.lines.size() == 2);
  CHECK(out.lines[0].eur == eur(218388));
  CHECK(out.lines[1].eur == eur(74252));
  CHECK(out.lines[0].rate_month == "2024-07");
  CHECK(find(out, "CB0100123", 2, 1).declared == eur(218388 + 74252));
  CHECK(find(out, "CB0100123", 2, 1).state_rule == "none for SE other");
}

TEST_CASE("golden: a controller's staff deduction lowers office and travel", "[calc][golden]") {
  World w;
  w.report("CB0100123", 1, 1, {unit_line(1, Category::kStaff, "staff-hour", "320", eur(768000))});
  w.control("CB0100123", 1, 1, {deducted(1, eur(48000), "ineligible-cost")});
  const RunOutcome out = w.run();
  const ReportOutcome& r = find(out, "CB0100123", 1, 1);
  // Staff 7,680.00 − 480.00 = 7,200.00; office and travel 15 % → 1,080.00 each (were 1,152.00).
  CHECK(r.flat_rates[0].eligible_amount == eur(108000));
  CHECK(r.flat_rates[1].eligible_amount == eur(108000));
  CHECK(r.eligible == eur(720000 + 216000));
  CHECK(r.deducted == eur(48000 + 7200 + 7200));
  CHECK(r.flat_rate_knock_on == eur(14400));
  // Deductions matrix: the typology row in staff, the flat-rate row in office and travel.
  Money typology_staff;
  Money flat_office;
  for (const DeductionEntry& e : out.deductions) {
    if (e.typology == "ineligible-cost" && e.category == Category::kStaff)
      typology_staff += e.amount;
    if (e.flat_rate && e.category == Category::kOffice) flat_office += e.amount;
  }
  CHECK(typology_staff == eur(48000));
  CHECK(flat_office == eur(7200));
}

TEST_CASE("golden: a parked SEK line is re-included next report at its origin's frozen rate",
          "[calc][golden]") {
  World w;
  ExpenseLine l = invoice_line(3, Category::kExternal, eur(1000000), "2024-03-01", "2024-03-15");
  l.currency = "SEK";
  w.report("CB0100123", 2, 1, {l});
  w.control("CB0100123", 2, 1, {parked(3)});
  ExpenseLine back = l;
  back.line = 1;
  back.reincluded_from = "R1.3";
  w.report("CB0100123", 2, 2, {back});
  const RunOutcome out = w.run();
  const ReportOutcome& r1 = find(out, "CB0100123", 2, 1);
  const ReportOutcome& r2 = find(out, "CB0100123", 2, 2);
  CHECK(r1.parked == eur(87355));  // 10,000 / 11.4475
  CHECK(r1.eligible == eur(0));
  // Report 2 was submitted in January 2025 (11.5000), but the line keeps July 2024's rate.
  REQUIRE(out.lines.size() == 2);
  CHECK(out.lines[1].eur == eur(87355));
  CHECK(out.lines[1].rate_month == "2024-07");
  CHECK(out.lines[1].reincluded_from == "R1.3");
  CHECK(out.lines[1].sample_flags == std::vector<std::string>{"reincluded"});
  CHECK(r2.eligible == eur(87355));
  CHECK_FALSE(has(ids_of(out), "REINCLUDED-ORIGIN"));
  CHECK_FALSE(has(ids_of(out), "DUP-INVOICE-REPEAT"));  // not a repeat of its origin
  CHECK_FALSE(has(ids_of(out), "ELIG-REPORT-PERIOD"));
}

TEST_CASE("re-inclusion without a parked origin, twice, or for more is ineligible", "[calc]") {
  World w;
  w.report("CB0100123", 1, 1,
           {invoice_line(3, Category::kExternal, eur(50000), "2024-03-01", "2024-03-15"),
            invoice_line(4, Category::kExternal, eur(40000), "2024-03-01", "2024-03-15")});
  w.control("CB0100123", 1, 1, {parked(3)});
  ExpenseLine ok = invoice_line(1, Category::kExternal, eur(50000), "2024-03-01", "2024-03-15");
  ok.invoice_no = "INV-3";
  ok.reincluded_from = "r1.3";
  ExpenseLine twice = ok;
  twice.line = 2;
  ExpenseLine not_parked =
      invoice_line(5, Category::kExternal, eur(40000), "2024-03-01", "2024-03-15");
  not_parked.invoice_no = "INV-4";
  not_parked.reincluded_from = "R1.4";
  w.report("CB0100123", 1, 2, {ok, twice, not_parked});
  const RunOutcome out = w.run();
  std::map<int, std::vector<std::string>> by_line;
  for (const LineOutcome& l : out.lines) {
    if (l.report == 2) by_line[l.line.line] = l.rule_ids;
  }
  CHECK(by_line[1].empty());
  CHECK(has(by_line[2], "REINCLUDED-TWICE"));
  CHECK(has(by_line[5], "REINCLUDED-ORIGIN"));
  CHECK(find(out, "CB0100123", 1, 2).eligible == eur(50000));
  // More than was parked: only the excess.
  World v;
  v.report("CB0100123", 1, 1,
           {invoice_line(3, Category::kExternal, eur(50000), "2024-03-01", "2024-03-15")});
  v.control("CB0100123", 1, 1, {parked(3)});
  ExpenseLine more = ok;
  more.declared = eur(60000);
  more.invoice_total = eur(60000);
  v.report("CB0100123", 1, 2, {more});
  const RunOutcome out2 = v.run();
  CHECK(has(ids_of(out2), "REINCLUDED-AMOUNT"));
  CHECK(find(out2, "CB0100123", 1, 2).eligible == eur(50000));
}

TEST_CASE("golden: a negative correction line lowers the report exactly", "[calc][golden]") {
  World w;
  ExpenseLine credit =
      invoice_line(2, Category::kExternal, eur(-24200), "2024-04-01", "2024-04-10");
  credit.vat = eur(-4200);
  w.report("CB0100123", 1, 1,
           {invoice_line(1, Category::kExternal, eur(121000), "2024-03-01", "2024-03-15"), credit});
  const RunOutcome out = w.run();
  const ReportOutcome& r = find(out, "CB0100123", 1, 1);
  // 1,210.00 − 242.00 = 968.00; ERDF 774.40; state FLOOR(193.60 × 10 %) = 19.36; own 174.24.
  CHECK(out.findings.empty());
  CHECK(r.eligible == eur(96800));
  CHECK(r.erdf == eur(77440));
  CHECK(r.state == eur(1936));
  CHECK(r.own == eur(17424));
}

TEST_CASE("an invoice claimed in two projects above its total is a DUP-INVOICE", "[calc]") {
  World w;
  ExpenseLine a = invoice_line(1, Category::kExternal, eur(80000), "2024-03-01", "2024-03-15");
  a.invoice_total = eur(100000);
  ExpenseLine b = a;
  w.report("CB0100123", 1, 1, {a});
  w.report("CB0100999", 1, 1, {b});
  const RunOutcome out = w.run();
  CHECK(find(out, "CB0100123", 1, 1).eligible == eur(80000));
  // The later one (in key order) carries the 600.00 above the invoice total.
  CHECK(find(out, "CB0100999", 1, 1).eligible == eur(20000));
  CHECK(has(ids_of(out), "DUP-INVOICE"));
  CHECK(has(ids_of(out), "DUP-INVOICE-REPEAT"));
}

TEST_CASE("BUDGET-FLEX caps a category at budget plus flexibility before the flat rates",
          "[calc]") {
  World w;
  // Staff budget 100,000.00 + 10 % = 110,000.00. Report 1: 4,000 h = 96,000.00; report 2:
  // 800 h = 19,200.00 → 5,200.00 above the limit: staff 14,000.00 certified, flat rates 15 % of
  // the capped 14,000.00 = 2,100.00 each.
  w.report("CB0100123", 1, 1, {unit_line(1, Category::kStaff, "staff-hour", "4000", eur(9600000))});
  w.report("CB0100123", 1, 2, {unit_line(1, Category::kStaff, "staff-hour", "800", eur(1920000))});
  const RunOutcome out = w.run();
  const ReportOutcome& r2 = find(out, "CB0100123", 1, 2);
  CHECK(r2.budget_capped == eur(520000));
  CHECK(r2.flat_rates[0].eligible_base == eur(1400000));
  CHECK(r2.flat_rates[0].eligible_amount == eur(210000));
  CHECK(r2.eligible == eur(1400000 + 420000));
  CHECK(out.lines[1].budget_capped == eur(520000));
  CHECK(has(ids_of(out), "BUDGET-FLEX"));
  const BudgetRow* staff = nullptr;
  for (const BudgetRow& b : out.budget) {
    if (b.report == 2 && b.category == Category::kStaff) staff = &b;
  }
  REQUIRE(staff != nullptr);
  CHECK(staff->budget == eur(10000000));
  CHECK(staff->previous == eur(9600000));
  CHECK(staff->this_report == eur(1400000));
  CHECK(staff->total == eur(11000000));
  CHECK(staff->remaining == eur(-1000000));
  CHECK(staff->flex_limit == eur(11000000));
  CHECK(staff->over_limit == eur(520000));
  CHECK(staff->percent_used == pct("110"));
  // Below the limit nothing is capped.
  World v;
  v.report("CB0100123", 1, 1, {unit_line(1, Category::kStaff, "staff-hour", "4000", eur(9600000))});
  CHECK_FALSE(has(ids_of(v.run()), "BUDGET-FLEX"));
}

TEST_CASE("the partner total never exceeds the partner budget", "[calc]") {
  World w;
  Partner& lp = w.registry.projects[0].partners[0];
  lp.budget = {{Category::kExternal, eur(100000)}, {Category::kEquipment, eur(100000)}};
  w.programmes[0].flat_rates.clear();
  w.programmes[0].budget_flex_percent = pct("20");
  // External 1,150.00 (within its 1,200.00 limit), equipment 1,000.00: total 2,150.00 is 150.00
  // above the partner's 2,000.00, taken from external, the category that overran its budget.
  w.report("CB0100123", 1, 1,
           {invoice_line(1, Category::kExternal, eur(115000), "2024-03-01", "2024-03-15"),
            invoice_line(2, Category::kEquipment, eur(100000), "2024-03-01", "2024-03-15")});
  const RunOutcome out = w.run();
  const ReportOutcome& r = find(out, "CB0100123", 1, 1);
  CHECK(r.eligible == eur(200000));
  CHECK(out.lines[0].budget_capped == eur(15000));
  CHECK(out.lines[1].budget_capped == eur(0));
}

TEST_CASE("payments are reconciled per fund and nothing is due before approval", "[calc]") {
  World w;
  w.report("CB0100123", 1, 1, {unit_line(1, Category::kStaff, "staff-hour", "100", eur(240000))});
  w.control("CB0100123", 1, 1, {});
  PaymentEvent early;
  early.id = "P0";
  early.fund = Fund::kErdf;
  early.report = {"CB0100123", 1, 1};
  early.date = day("2024-09-10");
  early.amount = eur(100000);
  w.portfolio.payments.push_back(early);
  {
    const RunOutcome out = w.run();
    const ReportOutcome& r = find(out, "CB0100123", 1, 1);
    CHECK_FALSE(r.due);
    CHECK(r.erdf_due == eur(0));
    CHECK(r.erdf_status == "not due");
    CHECK(r.status == "certified");
    CHECK(has(ids_of(out), "PAYMENT-BEFORE-APPROVAL"));
  }
  ApprovalEvent a;
  a.id = "A1";
  a.project = "CB0100123";
  a.project_report = 1;
  a.date = day("2024-09-05");
  a.covers = {{"CB0100123", 1, 1}};
  // MA/JS deducts 24.00 of staff at approval: office and travel follow.
  ApprovalDeduction staff_cut;
  staff_cut.report = PartnerReportRef{"CB0100123", 1, 1};
  staff_cut.line = 1;
  staff_cut.amount = eur(2400);
  staff_cut.typology = "ineligible-cost";
  staff_cut.comment = "MA/JS";
  a.deductions.push_back(staff_cut);
  w.portfolio.approvals.push_back(a);
  PaymentEvent rest = early;
  rest.id = "P1";
  rest.fund = Fund::kState;
  rest.amount = eur(1000);
  w.portfolio.payments.push_back(rest);
  const RunOutcome out = w.run();
  const ReportOutcome& r = find(out, "CB0100123", 1, 1);
  // 2,376.00 + 2 × 356.40 = 3,088.80; ERDF 2,471.04; state FLOOR(617.76 × 10 %) = 61.77.
  CHECK(r.ma_js_deducted == eur(2400));
  CHECK(r.eligible == eur(308880));
  CHECK(r.erdf_due == eur(247104));
  CHECK(r.state_due == eur(6177));
  CHECK(r.erdf_paid == eur(100000));
  CHECK(r.erdf_difference == eur(147104));
  CHECK(r.erdf_status == "partly paid");
  CHECK(r.state_status == "partly paid");
  CHECK(r.status == "partly paid");
  CHECK(r.approved_on == day("2024-09-05"));
  CHECK_FALSE(has(ids_of(out), "PAYMENT-BEFORE-APPROVAL"));
  REQUIRE(out.payments.size() == 2);
  CHECK(out.payments[0].fund == Fund::kErdf);
  // Overpaid: a warning and the status says so.
  rest.id = "P2";
  rest.fund = Fund::kErdf;
  rest.amount = eur(200000);
  w.portfolio.payments.push_back(rest);
  const RunOutcome over = w.run();
  CHECK(find(over, "CB0100123", 1, 1).erdf_status == "overpaid");
  CHECK(has(ids_of(over), "PAYMENT-OVER-DUE"));
}

TEST_CASE("the controller deadline is measured against the portfolio's as-of date", "[calc]") {
  World w;
  w.report("CB0100123", 1, 1, {unit_line(1, Category::kStaff, "staff-hour", "10", eur(24000))});
  w.portfolio.as_of = day("2024-10-08");  // 90 days after 2024-07-10
  CHECK_FALSE(has(ids_of(w.run()), "DEADLINE-CONTROLLER"));
  w.portfolio.as_of = day("2024-10-09");
  const RunOutcome out = w.run();
  CHECK(has(ids_of(out), "DEADLINE-CONTROLLER"));
  CHECK(find(out, "CB0100123", 1, 1).days_with_controller == 91);
}

TEST_CASE("jems sample flags mark procurement, staff and VAT in large projects", "[calc]") {
  World w;
  w.registry.projects[0].total_cost = eur(500000000);
  ExpenseLine bought =
      invoice_line(2, Category::kExternal, eur(121000), "2024-03-01", "2024-03-15");
  bought.vat = eur(21000);
  bought.procurement_ref = "IUB-1";
  w.report("CB0100123", 1, 1,
           {unit_line(1, Category::kStaff, "staff-hour", "10", eur(24000)), bought,
            invoice_line(3, Category::kExternal, eur(1000), "2024-03-01", "2024-03-15")});
  const RunOutcome out = w.run();
  REQUIRE(out.lines.size() == 3);
  CHECK(out.lines[0].sample_flags == std::vector<std::string>{"staff"});
  CHECK(out.lines[1].sample_flags == std::vector<std::string>{"procurement", "vat-large-project"});
  CHECK(out.lines[2].sample_flags.empty());
}
