// Properties of the XML readers, run with the production XmlContext: the embedded XSDs in a
// locked grammar pool, DOCTYPE refused, no schema loading, no entity resolution.
// Debian's Xerces is not instrumented: these targets exercise cofin's handler, configuration and
// model mapping around it, and ASan still sees every heap block Xerces hands back.
#pragma once

#include <set>
#include <string>
#include <string_view>
#include <variant>

#include "fuzz/properties/common.h"
#include "fuzz/properties/report.h"
#include "ingest/document.h"
#include "ingest/xml_documents.h"
#include "ingest/xml_parser.h"

namespace cofin::fuzz {

namespace detail {

inline bool is_percent(const Rate& r) {
  return !r.is_negative() && r <= Decimal::from_units(100, 0);
}

inline Violation check_programme(const ProgrammeRules& p) {
  if (p.id.empty()) return "programme without an id";
  if (p.window_end < p.window_start) return "programme window ends before it starts";
  if (!is_percent(p.max_erdf_rate)) return "max ERDF rate outside 0..100";
  for (const auto& f : p.flat_rates) {
    if (!is_percent(f.percent)) return "flat rate outside 0..100";
  }
  for (const auto& u : p.unit_costs) {
    if (u.id.empty() || u.eur_per_unit.cents() <= 0 || !u.eur_per_unit.in_amount_range()) {
      return "unit cost without id or positive EUR amount";
    }
    if (p.category(u.category) == nullptr) return "unit cost in an undeclared category";
  }
  std::set<std::string> typologies;
  for (const auto& t : p.typologies) {
    if (!typologies.insert(t.id).second) return "typology id twice";
  }
  for (const auto& s : p.state_table) {
    if (!is_percent(s.percent)) return "state co-financing rate outside 0..100";
  }
  if (!p.vat_threshold.in_amount_range() || !p.procurement_threshold.in_amount_range()) {
    return "threshold beyond the Jems range";
  }
  return {};
}

inline Violation check_registry(const Registry& r) {
  std::set<std::string> ids;
  for (const Project& project : r.projects) {
    if (!ids.insert(project.id).second) return "project id twice";
    if (project.end < project.start) return "project ends before it starts";
    std::set<int> partners;
    for (const Partner& partner : project.partners) {
      if (!partners.insert(partner.number).second) return "partner number twice";
      if (!is_percent(partner.erdf_rate)) return "partner ERDF rate outside 0..100";
    }
    for (const ReportingPeriod& period : project.periods) {
      if (period.end < period.start) return "reporting period ends before it starts";
    }
  }
  return {};
}

}  // namespace detail

// Input: any bytes, read as an inbox file whatever its kind (document.cpp's dispatch: XML by
// root namespace — job, programme, registry, report, control result, events — or CSV).
// The file's name, for diagnostics, is the input's first bytes: a name is bytes on POSIX, not
// necessarily UTF-8 (a crash found by hand: Xerces threw on an ill-formed name).
inline Violation xml_document(const XmlContext& xml, std::string_view input) {
  Diagnostics diags;
  const std::string name = "doc" + std::string(input.substr(0, 8));
  const LoadedDocument doc =
      load_document(xml, "/nonexistent/fuzz/inbox/doc", name, input, "utf-8", diags);
  if (auto v = check_diagnostics(diags, doc.ok()); !v.empty()) return v;
  if (!doc.ok()) return {};
  if (detect_kind(input) != doc.kind) return "detect_kind disagrees with load_document";
  if (business_key(doc, "0").empty()) return "empty business key";
  if (const auto* report = std::get_if<PartnerReport>(&doc.content)) {
    return check_report(*report, input.find('<') == std::string_view::npos);
  }
  if (const auto* programme = std::get_if<ProgrammeRules>(&doc.content)) {
    return detail::check_programme(*programme);
  }
  if (const auto* registry = std::get_if<Registry>(&doc.content)) {
    return detail::check_registry(*registry);
  }
  return {};
}

// Input: a programme rule set's bytes.
inline Violation xml_programme(const XmlContext& xml, std::string_view input) {
  Diagnostics diags;
  const auto programme = read_programme_xml(xml, "programme.xml", input, diags);
  if (auto v = check_diagnostics(diags, programme.has_value()); !v.empty()) return v;
  return programme ? detail::check_programme(*programme) : Violation{};
}

// Input: a job file's bytes.
inline Violation xml_job(const XmlContext& xml, std::string_view input) {
  Diagnostics diags;
  const std::filesystem::path file = "/nonexistent/fuzz/jobs/job.xml";
  const auto job = read_job_xml(xml, file, input, diags);
  if (auto v = check_diagnostics(diags, job.has_value()); !v.empty()) return v;
  if (!job) return {};
  if (job->name.empty()) return "job without a name";
  if (job->programmes.empty()) return "job without a programme rule set";
  for (const auto* p :
       {&job->inbox, &job->archive, &job->quarantine, &job->registry, &job->output_dir}) {
    if (!p->is_absolute()) return "path not resolved against the job's directory: " + p->string();
  }
  if (job->settle_seconds < 0) return "negative settle time";
  return {};
}

}  // namespace cofin::fuzz
