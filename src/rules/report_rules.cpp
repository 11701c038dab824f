#include "rules/report_rules.h"

#include <algorithm>
#include <cctype>
#include <string_view>

namespace cofin {
namespace {

Diagnostic report_finding(const ReportContext& c, const char* id, const char* field,
                          std::string message) {
  Diagnostic d;
  d.severity = Severity::kWarning;
  d.rule_id = id;
  d.file = c.file;
  d.line = c.report.pos.line;
  d.column = c.report.pos.column;
  d.field = field;
  d.message = std::move(message);
  return d;
}

// Returns true for a unit counted in staff hours: "staff-hour", "staff hour", "Staff_hour".
// Compared character by character, without building the normalised text: this is asked for
// every unit-cost line of a report.
bool is_per_staff_hour(std::string_view unit) {
  constexpr std::string_view kNormalised = "staff-hour";
  if (unit.size() != kNormalised.size()) return false;
  for (std::size_t k = 0; k < unit.size(); ++k) {
    const char c = unit[k];
    const char normalised =
        c == ' ' || c == '_' ? '-' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (normalised != kNormalised[k]) return false;
  }
  return true;
}

// Returns the staff hours of the report (units of unit-cost lines in the staff category) and
// the units of per-staff-hour unit costs (the rule set's unit "staff-hour"), in hundredths.
std::pair<std::int64_t, std::int64_t> staff_hours(const ReportContext& c) {
  std::int64_t hours = 0;
  std::int64_t per_staff_hour = 0;
  bool any_per_staff_hour = false;
  for (const ExpenseLine& line : c.report.lines) {
    if (!line.is_unit_cost() || !line.units) continue;
    const UnitCost* unit = c.rules.unit_cost(line.unit_cost);
    if (unit == nullptr) continue;
    // Units carry 2 decimals (model/report.h): compare in hundredths.
    const Decimal& u = *line.units;
    std::int64_t hundredths = u.units();
    for (int s = u.scale(); s < 2; ++s) hundredths *= 10;
    for (int s = u.scale(); s > 2; --s) hundredths /= 10;
    if (unit->category == Category::kStaff) hours += hundredths;
    if (is_per_staff_hour(unit->unit)) {
      per_staff_hour += hundredths;
      any_per_staff_hour = true;
    }
  }
  return {hours, any_per_staff_hour ? per_staff_hour : -1};
}

std::string hundredths_text(std::int64_t h) {
  return Decimal::from_units(h, 2).to_string();
}

}  // namespace

int days_with_controller(const ReportContext& c) {
  const Date until = c.certified_on ? *c.certified_on : c.as_of;
  return std::max(0, until.days_since_epoch() - c.report.submitted_on.days_since_epoch());
}

std::vector<Diagnostic> check_report(const ReportContext& c) {
  std::vector<Diagnostic> out;
  if (const ReportingPeriod* period =
          c.project.period_matching(c.report.period_start, c.report.period_end)) {
    if (c.report.submitted_on > period->submission_deadline) {
      out.push_back(report_finding(
          c, "DEADLINE-SUBMISSION", "submitted-on",
          "submitted " + c.report.submitted_on.to_string() + ", after the period's deadline " +
              period->submission_deadline.to_string() + " (" +
              std::to_string(c.report.submitted_on.days_since_epoch() -
                             period->submission_deadline.days_since_epoch()) +
              " days late)"));
    }
  }
  // domain §4: controllers should finish within the rule set's number of days.
  const int days = days_with_controller(c);
  if (c.rules.controller_deadline_days > 0 && days > c.rules.controller_deadline_days) {
    out.push_back(report_finding(
        c, "DEADLINE-CONTROLLER", "submitted-on",
        std::string(c.certified_on ? "certified after " : "with the controller for ") +
            std::to_string(days) + " days since " + c.report.submitted_on.to_string() +
            ", longer than the " + std::to_string(c.rules.controller_deadline_days) +
            " days the rule set allows"));
  }
  // domain §3: the per-staff-hour unit's units should equal the report's staff hours.
  const auto [hours, per_staff_hour] = staff_hours(c);
  if (per_staff_hour >= 0 && per_staff_hour != hours) {
    out.push_back(report_finding(
        c, "UNIT-COST-STAFF-HOURS", "units",
        "per-staff-hour unit costs declare " + hundredths_text(per_staff_hour) +
            " staff hours but the report's staff lines have " + hundredths_text(hours)));
  }
  if (c.partner.erdf_rate > c.rules.max_erdf_rate) {
    out.push_back(report_finding(c, "ERDF-RATE-ABOVE-MAX", "erdf-rate",
                                 "the partner's ERDF rate " + c.partner.erdf_rate.to_string() +
                                     " % is above the programme's maximum " +
                                     c.rules.max_erdf_rate.to_string() +
                                     " %: the maximum is applied"));
  }
  return out;
}

Rate erdf_rate_in_force(const Partner& partner, const ProgrammeRules& rules) {
  return partner.erdf_rate > rules.max_erdf_rate ? rules.max_erdf_rate : partner.erdf_rate;
}

}  // namespace cofin
