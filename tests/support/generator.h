// A seeded generator of realistic Interreg partner reports, for property tests, the workbook's
// scale tests and the benchmark: Central Baltic-like projects with Latvian, Estonian and Swedish
// partners, unit-cost staff and events, invoices with VAT, SEK lines, negative corrections,
// parked and re-included lines, budget overruns, duplicate invoices and, at the anomaly rate,
// every eligibility rule broken somewhere.
//
// Every line is a pure function of (seed, project, partner, report, line number), so a report of
// any size can be streamed line by line (write_report_csv) without holding it in memory, and the
// same line is generated again for a re-inclusion of it.
#pragma once

#include <cstdint>
#include <functional>
#include <ostream>
#include <string>
#include <vector>

#include "calc/portfolio.h"
#include "model/control.h"
#include "model/events.h"
#include "model/programme.h"
#include "model/rates.h"
#include "model/registry.h"
#include "model/report.h"

namespace cofin::testing {

struct GeneratorOptions {
  std::uint64_t seed = 1;
  int projects = 1;
  int partners_per_project = 3;   // 1..4: LV municipality (EUR), EE (EUR), SE (SEK), LV state
  int reports_per_partner = 3;    // at most 6 (the reporting periods)
  int lines_per_report = 20;      // at least 4
  int anomaly_percent = 10;       // share of lines that break a rule on purpose
  int tight_budget_percent = 30;  // share of partners whose budget the reports overrun
  ShareRounding rounding = ShareRounding::kPerReport;
};

// Everything a run would have accepted, as model values. Not copyable: portfolio() points into it.
struct GeneratedWorld {
  Registry registry;
  std::vector<ProgrammeRules> programmes;
  RateTable rates;
  std::vector<PartnerReport> reports;  // by project, partner, report
  std::vector<ControlResult> controls;
  std::vector<ApprovalEvent> approvals;
  std::vector<PaymentEvent> payments;
  Date as_of;

  GeneratedWorld() = default;
  GeneratedWorld(const GeneratedWorld&) = delete;
  GeneratedWorld& operator=(const GeneratedWorld&) = delete;

  // Returns a Portfolio over this world (valid while the world lives).
  Portfolio portfolio() const;
};

class ReportGenerator {
 public:
  explicit ReportGenerator(GeneratorOptions options);

  const GeneratorOptions& options() const { return options_; }

  // Returns the rule set the generated reports follow (jobs/programmes/central-baltic-2021-2027.xml
  // with the options' rounding).
  ProgrammeRules programme() const;
  Registry registry() const;
  // SEK rates for every month 2024-01 .. 2027-12.
  RateTable rates() const;

  // Returns the report header (no lines) of project index `project` (0-based), partner, report.
  PartnerReport header(int project, int partner, int report) const;
  // Returns line `n` (1-based) of that report.
  ExpenseLine line(int project, int partner, int report, int n) const;
  // Calls `sink` with each line of the report, in order, without keeping them.
  void for_each_line(int project, int partner, int report, int lines,
                     const std::function<void(const ExpenseLine&)>& sink) const;
  PartnerReport report(int project, int partner, int report) const;
  // Returns the control result for a report: parks some lines, deducts some, with typologies.
  ControlResult control(const PartnerReport& report) const;

  // Returns every report, control, approval (reports before the last are approved) and payment
  // (some partly paid) of the options.
  void fill(GeneratedWorld& world) const;

  // Writers in the formats `cofin` reads (spec "Input documents").
  void write_report_csv(std::ostream& out, int project, int partner, int report, int lines) const;
  void write_report_csv(std::ostream& out, const PartnerReport& report) const;
  void write_report_xml(std::ostream& out, const PartnerReport& report) const;
  void write_control_xml(std::ostream& out, const ControlResult& control) const;
  void write_events_xml(std::ostream& out, const std::vector<ApprovalEvent>& approvals,
                        const std::vector<PaymentEvent>& payments) const;
  void write_registry_xml(std::ostream& out) const;
  void write_rates_csv(std::ostream& out) const;

 private:
  std::uint64_t mix(std::initializer_list<std::int64_t> parts) const;
  ExpenseLine regular_line(int project, int partner, int report, int n, std::uint64_t r) const;

  GeneratorOptions options_;
};

// Returns "GEN0001" for project index 0.
std::string generated_project_id(int project);

}  // namespace cofin::testing
