#include <catch2/catch.hpp>

#include "calc/report_calc.h"
#include "support/builders.h"

using namespace cofin;
using namespace cofin::testing;

namespace {

struct Fixture {
  ProgrammeRules rules = central_baltic();
  Project project = cb_project();
  RateTable rates;
  PartnerReport report;

  Fixture() {
    // Office and travel are flat rates booked to their own budget lines (BUDGET-FLEX).
    project.partners[0].budget[Category::kOffice] = eur(1500000);
    project.partners[0].budget[Category::kTravel] = eur(1500000);
    report = first_report(project);
  }

  ReportComputation compute(const ControlResult* control = nullptr,
                            const ApprovalEvent* approval = nullptr) {
    ReportInputs in = inputs_for(report, project, rules, rates, "report.csv");
    in.control = control;
    in.approval = approval;
    return compute_report(in);
  }
};

}  // namespace

TEST_CASE("central baltic municipality report builds flat rates on unit-cost staff", "[calc]") {
  Fixture f;
  // 100 h × 24 = 2,400.00 staff; office 15 % = 360.00, travel 15 % = 360.00;
  // 10 participant-days × 51 = 510.00; an external invoice 1,000.00.
  f.report.lines = {unit_line(1, Category::kStaff, "staff-hour", "100", eur(240000)),
                    unit_line(2, Category::kExternal, "event-participant-day", "10", eur(51000)),
                    invoice_line(3, Category::kExternal, eur(100000), "2024-03-01", "2024-03-15")};
  const auto r = f.compute();
  CHECK(r.findings.empty());
  REQUIRE(r.outcome.flat_rates.size() == 2);
  CHECK(r.outcome.flat_rates[0].declared_amount == eur(36000));
  CHECK(r.outcome.flat_rates[1].declared_amount == eur(36000));
  CHECK(r.outcome.declared == eur(240000 + 51000 + 100000 + 72000));  // 4,630.00
  CHECK(r.outcome.eligible == eur(463000));
  // ERDF = FLOOR(4,630.00 × 80 %) = 3,704.00; state = FLOOR(926.00 × 10 %) = 92.60.
  CHECK(r.outcome.erdf == eur(370400));
  CHECK(r.outcome.state == eur(9260));
  CHECK(r.outcome.own == eur(83340));
  CHECK(r.outcome.erdf + r.outcome.state + r.outcome.own == r.outcome.eligible);
  CHECK(r.outcome.status == "submitted");
  CHECK_FALSE(r.outcome.due);
  CHECK(r.outcome.erdf_due == eur(0));
}

TEST_CASE("a staff deduction lowers office and travel flat rates", "[calc]") {
  Fixture f;
  f.report.lines = {unit_line(1, Category::kStaff, "staff-hour", "100", eur(240000))};
  ControlResult control;
  control.certified_on = day("2024-09-01");
  LineDecision d;
  d.line = 1;
  d.deducted = eur(48000);  // 20 h
  d.typology = "ineligible-cost";
  control.decisions.push_back(d);
  const auto r = f.compute(&control);
  CHECK(r.outcome.flat_rates[0].eligible_base == eur(192000));
  CHECK(r.outcome.flat_rates[0].eligible_amount == eur(28800));
  CHECK(r.outcome.eligible == eur(192000 + 28800 + 28800));
  CHECK(r.outcome.declared == eur(240000 + 36000 + 36000));
  CHECK(r.outcome.deducted == eur(48000 + 7200 + 7200));
  CHECK(r.outcome.status == "certified");
}

TEST_CASE("jems worked check on one line", "[calc]") {
  Fixture f;
  f.rules.flat_rates.clear();
  f.project.partners[0].legal_status = LegalStatus::kPrivateCompany;  // no state share
  f.report.lines = {invoice_line(1, Category::kExternal, eur(123457), "2024-02-01", "2024-02-02")};
  const auto r = f.compute();
  CHECK(r.outcome.erdf == eur(98765));
  CHECK(r.outcome.state == eur(0));
  CHECK(r.outcome.own == eur(24692));
}

TEST_CASE("a negative correction keeps the split exact", "[calc]") {
  Fixture f;
  f.rules.flat_rates.clear();
  ExpenseLine credit =
      invoice_line(1, Category::kExternal, eur(-123457), "2024-02-01", "2024-02-02");
  f.report.lines = {credit};
  const auto r = f.compute();
  CHECK(r.findings.empty());
  CHECK(r.outcome.erdf == eur(-98766));  // FLOOR goes towards minus infinity
  CHECK(r.outcome.state == eur(-2470));  // FLOOR(-246.91 × 10 %) = -24.70
  CHECK(r.outcome.erdf + r.outcome.state + r.outcome.own == eur(-123457));
}

TEST_CASE("sek lines convert with the submitted-on month rate", "[calc]") {
  Fixture f;
  f.rules.flat_rates.clear();
  f.rates.add({"SEK", 2024, 7, *parse_decimal("11.4475", 6), {}});
  ExpenseLine l = invoice_line(1, Category::kExternal, eur(1000000), "2024-03-01", "2024-03-15");
  l.currency = "SEK";
  f.report.lines = {l};
  const auto r = f.compute();
  // 10,000.00 SEK / 11.4475 = 873.55 (HALF_UP)
  REQUIRE(r.lines.size() == 1);
  CHECK(r.lines[0].eur == eur(87355));
  CHECK(r.lines[0].rate_month == "2024-07");
}

TEST_CASE("parked lines certify nothing and are shown as parked", "[calc]") {
  Fixture f;
  f.rules.flat_rates.clear();
  f.report.lines = {invoice_line(1, Category::kExternal, eur(50000), "2024-03-01", "2024-03-02"),
                    invoice_line(2, Category::kExternal, eur(20000), "2024-03-01", "2024-03-02")};
  ControlResult control;
  control.certified_on = day("2024-09-01");
  LineDecision d;
  d.line = 2;
  d.parked = true;
  control.decisions.push_back(d);
  const auto r = f.compute(&control);
  CHECK(r.outcome.parked == eur(20000));
  CHECK(r.outcome.eligible == eur(50000));
  CHECK(r.outcome.deducted == eur(0));
}

TEST_CASE("shares are due only after approval", "[calc]") {
  Fixture f;
  f.report.lines = {unit_line(1, Category::kStaff, "staff-hour", "10", eur(24000))};
  ControlResult control;
  control.certified_on = day("2024-09-01");
  ApprovalEvent approval;
  approval.date = day("2024-10-01");
  const auto before = f.compute(&control);
  CHECK_FALSE(before.outcome.due);
  CHECK(before.outcome.not_due_reason.find("awaiting approval") != std::string::npos);
  const auto after = f.compute(&control, &approval);
  CHECK(after.outcome.due);
  CHECK(after.outcome.erdf_due == after.outcome.erdf);
  CHECK(after.outcome.status == "approved");
}

TEST_CASE("line rules flag period, payment order and flat-rate covered costs", "[calc]") {
  Fixture f;
  f.report.lines = {
      invoice_line(1, Category::kExternal, eur(10000), "2023-12-01", "2024-01-05"),
      invoice_line(2, Category::kExternal, eur(10000), "2024-03-05", "2024-03-01"),
      invoice_line(3, Category::kOffice, eur(10000), "2024-03-01", "2024-03-02"),
      unit_line(4, Category::kStaff, "staff-hour", "2", eur(5000)),
  };
  const auto r = f.compute();
  std::vector<std::string> ids;
  for (const auto& d : r.findings) ids.push_back(d.rule_id);
  CHECK(ids == std::vector<std::string>{"ELIG-PERIOD", "ELIG-PAYMENT-BEFORE-INVOICE",
                                        "CAT-FLAT-RATE-COVERED", "UNIT-COST-AMOUNT"});
  CHECK(r.lines[0].certified == eur(0));
  CHECK(r.lines[3].ineligible == eur(200));  // declared 50.00, 2 h × 24 = 48.00
  CHECK(r.lines[3].certified == eur(4800));
}

TEST_CASE("all five flat-rate types on their bases, DOWN", "[calc]") {
  Fixture f;
  Partner& lp = f.project.partners[0];
  lp.budget = {{Category::kStaff, eur(10000000)},     {Category::kOffice, eur(10000000)},
               {Category::kTravel, eur(10000000)},    {Category::kExternal, eur(10000000)},
               {Category::kEquipment, eur(10000000)}, {Category::kInfrastructure, eur(10000000)}};
  f.rules.categories = {{Category::kStaff, true},     {Category::kOffice, true},
                        {Category::kTravel, true},    {Category::kExternal, true},
                        {Category::kEquipment, true}, {Category::kInfrastructure, true}};
  // Staff 1,000.01 (unit cost), external 333.33 (real).
  f.report.lines = {unit_line(1, Category::kStaff, "staff-hour", "41.66", eur(99984)),
                    invoice_line(2, Category::kExternal, eur(33333), "2024-03-01", "2024-03-02")};
  struct Case {
    FlatRateType type;
    const char* percent;
    std::int64_t base;
    std::int64_t amount;
  };
  // 41.66 h × 24 = 999.84 staff.
  for (const Case& c : {
           Case{FlatRateType::kStaffOnOtherDirect, "20", 33333, 6666},     // 66.666 → 66.66
           Case{FlatRateType::kOfficeOnStaff, "15", 99984, 14997},         // 149.976 → 149.97
           Case{FlatRateType::kOfficeOnDirect, "7", 99984 + 33333, 9332},  // 93.3219 → 93.32
           Case{FlatRateType::kTravelOnStaff, "15", 99984, 14997},
           Case{FlatRateType::kOtherOnStaff, "40", 99984, 39993},  // 399.936 → 399.93
       }) {
    INFO(flat_rate_type_name(c.type));
    f.rules.flat_rates = {{c.type, pct(c.percent), false}};
    const auto r = f.compute();
    REQUIRE(r.outcome.flat_rates.size() == 1);
    CHECK(r.outcome.flat_rates[0].declared_base == eur(c.base));
    CHECK(r.outcome.flat_rates[0].declared_amount == eur(c.amount));
    CHECK(r.outcome.flat_rates[0].eligible_amount == eur(c.amount));
  }
  // A negative base rounds DOWN towards zero: a correction mirrors the original exactly.
  f.rules.flat_rates = {{FlatRateType::kOfficeOnStaff, pct("15"), false}};
  f.report.lines = {unit_line(1, Category::kStaff, "staff-hour", "-41.66", eur(-99984))};
  CHECK(f.compute().outcome.flat_rates[0].declared_amount == eur(-14997));
}
