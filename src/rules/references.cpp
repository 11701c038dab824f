#include "rules/references.h"

namespace cofin {
namespace {

const Project* check_project(const std::string& project_id, int partner_no, const SourcePos& pos,
                             const Registry& registry,
                             const std::vector<ProgrammeRules>& programmes,
                             const ProgrammeRules** rules, Diagnostics& diags) {
  const Project* project = registry.project(project_id);
  if (project == nullptr) {
    diags.error("REF-PROJECT", pos.file, pos.line, pos.column, "project",
                "project " + quote(project_id) + " is not in the registry");
    return nullptr;
  }
  *rules = find_programme(programmes, project->programme_id);
  if (*rules == nullptr) {
    diags.error("REF-PROGRAMME", pos.file, pos.line, pos.column, "project",
                "project " + quote(project_id) + " belongs to programme " +
                    quote(project->programme_id) + ", which has no rule set in the job");
  }
  if (project->partner(partner_no) == nullptr) {
    diags.error(
        "REF-PARTNER", pos.file, pos.line, pos.column, "partner",
        "partner " + std::to_string(partner_no) + " is not a partner of project " + project_id);
  }
  return project;
}

}  // namespace

const ProgrammeRules* find_programme(const std::vector<ProgrammeRules>& programmes,
                                     std::string_view id) {
  for (const auto& p : programmes) {
    if (p.id == id) return &p;
  }
  return nullptr;
}

void check_report_references(const PartnerReport& report, const Registry& registry,
                             const std::vector<ProgrammeRules>& programmes, const RateTable& rates,
                             Diagnostics& diags) {
  const ProgrammeRules* rules = nullptr;
  const Project* project = check_project(report.project, report.partner, report.pos, registry,
                                         programmes, &rules, diags);
  if (project == nullptr) return;
  if (project->period_matching(report.period_start, report.period_end) == nullptr) {
    diags.error("REF-PERIOD", report.pos.file, report.pos.line, report.pos.column, "period-start",
                "period " + report.period_start.to_string() + ".." + report.period_end.to_string() +
                    " is no reporting period of project " + project->id);
  }
  const Partner* partner = project->partner(report.partner);
  for (const ExpenseLine& line : report.lines) {
    const SourcePos& pos = line.pos;
    if (line.is_unit_cost() && rules != nullptr && rules->unit_cost(line.unit_cost) == nullptr) {
      diags.error("REF-UNIT-COST", pos.file, pos.line, pos.column, "unit-cost",
                  "unit cost " + quote(line.unit_cost) + " is not defined by " + rules->id);
    }
    if (partner != nullptr && line.currency != "EUR" && line.currency != partner->currency) {
      diags.error("REF-CURRENCY", pos.file, pos.line, pos.column, "currency",
                  "currency " + quote(line.currency) + " is neither EUR nor the partner's " +
                      partner->currency);
      continue;
    }
    if (line.currency != "EUR" && rates.find(line.currency, report.submitted_on.year(),
                                             report.submitted_on.month()) == nullptr) {
      // domain §5: the rate of the submission month; a missing rate is never guessed.
      diags.error("RATE-MISSING", pos.file, pos.line, pos.column, "currency",
                  "no " + line.currency + " rate for " +
                      report.submitted_on.to_string().substr(0, 7) +
                      " (the submitted-on month); add it to the job's exchange rates");
    }
  }
}

void check_control_references(const ControlResult& control, const PartnerReport* report,
                              const Registry& registry,
                              const std::vector<ProgrammeRules>& programmes, Diagnostics& diags) {
  const ProgrammeRules* rules = nullptr;
  const Project* project = check_project(control.project, control.partner, control.pos, registry,
                                         programmes, &rules, diags);
  if (project == nullptr) return;
  for (const LineDecision& d : control.decisions) {
    if (!d.parked && rules != nullptr && rules->typology(d.typology) == nullptr) {
      diags.error("REF-TYPOLOGY", d.pos.file, d.pos.line, d.pos.column, "typology",
                  "error typology " + quote(d.typology) + " is not defined by " + rules->id);
    }
    if (report != nullptr) {
      bool found = false;
      for (const ExpenseLine& l : report->lines) found = found || l.line == d.line;
      if (!found) {
        diags.error(
            "REF-LINE", d.pos.file, d.pos.line, d.pos.column, "line",
            "report " + std::to_string(control.report) + " has no line " + std::to_string(d.line));
      }
    }
  }
}

}  // namespace cofin
