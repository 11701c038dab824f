// Report-level rules: deadlines, per-staff-hour unit costs, the programme's maximum ERDF rate.
#include <catch2/catch.hpp>

#include "rules/report_rules.h"
#include "support/builders.h"

using namespace cofin;
using namespace cofin::testing;

namespace {

struct Reports {
  ProgrammeRules rules = central_baltic();
  Project project = cb_project();
  PartnerReport report;
  std::optional<Date> certified_on;
  Date as_of = day("2024-08-01");

  Reports() {
    report = first_report(project);
    report.lines = {unit_line(1, Category::kStaff, "staff-hour", "100", eur(240000))};
  }
  ReportContext context() const {
    return {report, project, project.partners[0], rules, certified_on, as_of, "r.csv"};
  }
  std::vector<std::string> ids() const {
    std::vector<std::string> out;
    for (const Diagnostic& d : check_report(context())) out.push_back(d.rule_id);
    return out;
  }
};

bool has(const std::vector<std::string>& ids, const char* id) {
  return std::find(ids.begin(), ids.end(), id) != ids.end();
}

}  // namespace

TEST_CASE("a report on time, controlled in time, has no report findings", "[rules]") {
  Reports t;
  CHECK(t.ids().empty());
}

TEST_CASE("DEADLINE-SUBMISSION warns when submitted after the period's deadline", "[rules]") {
  Reports t;
  t.report.submitted_on = day("2024-08-31");  // the deadline day itself is in time
  CHECK_FALSE(has(t.ids(), "DEADLINE-SUBMISSION"));
  t.report.submitted_on = day("2024-09-02");
  t.as_of = day("2024-09-10");
  const auto ds = check_report(t.context());
  REQUIRE(ds.size() == 1);
  CHECK(ds[0].rule_id == "DEADLINE-SUBMISSION");
  CHECK(ds[0].severity == Severity::kWarning);
  CHECK(ds[0].message.find("2 days late") != std::string::npos);
}

TEST_CASE("DEADLINE-CONTROLLER warns while waiting, or when certified, past the rule set's days",
          "[rules]") {
  Reports t;
  t.as_of = t.report.submitted_on.plus_days(90);
  CHECK_FALSE(has(t.ids(), "DEADLINE-CONTROLLER"));
  CHECK(days_with_controller(t.context()) == 90);
  t.as_of = t.report.submitted_on.plus_days(91);
  CHECK(has(t.ids(), "DEADLINE-CONTROLLER"));
  t.certified_on = t.report.submitted_on.plus_days(30);  // certified in time: measured to then
  CHECK_FALSE(has(t.ids(), "DEADLINE-CONTROLLER"));
  t.certified_on = t.report.submitted_on.plus_days(120);
  CHECK(has(t.ids(), "DEADLINE-CONTROLLER"));
  t.rules.controller_deadline_days = 150;  // the rule set decides
  CHECK_FALSE(has(t.ids(), "DEADLINE-CONTROLLER"));
}

TEST_CASE("UNIT-COST-STAFF-HOURS warns when per-staff-hour units differ from staff hours",
          "[rules]") {
  Reports t;
  t.report.lines.push_back(
      unit_line(2, Category::kEquipment, "equipment-staff-hour", "100", eur(2300)));
  CHECK_FALSE(has(t.ids(), "UNIT-COST-STAFF-HOURS"));
  t.report.lines[1].units = *parse_decimal("99.5", 2);
  CHECK(has(t.ids(), "UNIT-COST-STAFF-HOURS"));
}

TEST_CASE("ERDF-RATE-ABOVE-MAX warns and the programme's maximum applies", "[rules]") {
  Reports t;
  CHECK(erdf_rate_in_force(t.project.partners[0], t.rules) == pct("80"));
  t.project.partners[0].erdf_rate = pct("85");
  CHECK(has(t.ids(), "ERDF-RATE-ABOVE-MAX"));
  CHECK(erdf_rate_in_force(t.project.partners[0], t.rules) == pct("80"));
}
