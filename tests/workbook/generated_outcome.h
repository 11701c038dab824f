// A synthetic run outcome of any size for the workbook's scale tests and benchmark: reports of
// 50 lines over projects of 20 reports, with foreign-currency, negative, parked, deducted and
// ineligible lines, formula-like texts, and one finding per ineligible line. Deterministic: the
// same size gives the same outcome, and every figure follows from the line's index.
#pragma once

#include <cstdint>
#include <string>

#include "calc/outcome.h"
#include "money/decimal.h"
#include "money/money.h"

namespace cofin::wbtest {

inline constexpr std::size_t kGeneratedLinesPerReport = 50;

// Returns the declared amount of generated line `i` in its own currency, in cents.
inline std::int64_t generated_declared_cents(std::size_t i) {
  const auto n = static_cast<std::int64_t>(i);
  const std::int64_t cents = (n * 7919) % 99'999'999 + 1;  // up to 999,999.99
  return i % 23 == 5 ? -cents : cents;                     // some corrections
}

inline RunOutcome generated_outcome(std::size_t line_count) {
  RunOutcome o;
  o.job_name = "generated";
  o.run_id = "generated-1";
  o.version = "0.1.0";
  o.as_of = *Date::from_ymd(2024, 9, 30);
  const Rate sek = *parse_decimal("11.038200", 6);
  const Rate erdf_rate = *parse_decimal("80.00", 2);
  o.lines.reserve(line_count);
  for (std::size_t i = 0; i < line_count; ++i) {
    const std::size_t report_index = i / kGeneratedLinesPerReport;
    const std::string project = "GEN-" + std::to_string(report_index / 20);
    const int partner = static_cast<int>(report_index % 20 / 4) + 1;
    const int report = static_cast<int>(report_index % 4) + 1;
    const std::string file =
        project + "-p" + std::to_string(partner) + "-r" + std::to_string(report) + ".csv";
    if (i % kGeneratedLinesPerReport == 0) {
      ReportOutcome r;
      r.project = project;
      r.acronym = "GEN";
      r.partner = partner;
      r.partner_name = "Partner " + std::to_string(partner);
      r.report = report;
      r.period_start = *Date::from_ymd(2024, 1, 1);
      r.period_end = *Date::from_ymd(2024, 6, 30);
      r.status = "certified";
      r.source_file = file;
      r.erdf_rate = erdf_rate;
      r.first_line = i;
      r.not_due_reason = "not approved";
      o.reports.push_back(r);
    }
    LineOutcome l;
    l.project = project;
    l.partner = partner;
    l.report = report;
    l.source_file = file;
    ExpenseLine& e = l.line;
    e.line = static_cast<int>(i % kGeneratedLinesPerReport) + 1;
    e.category = i % 3 == 0 ? Category::kStaff : Category::kExternal;
    e.declared = Money::from_cents(generated_declared_cents(i));
    e.invoice_total = e.declared;
    e.invoice_no = "INV-" + std::to_string(i);
    e.invoice_date = *Date::from_ymd(2024, 2, 1);
    e.payment_date = *Date::from_ymd(2024, 2, 15);
    e.supplier = i % 13 == 0 ? "=cmd|' /C calc'!A0" : "SIA Piegādātājs " + std::to_string(i % 97);
    e.supplier_id = "4000" + std::to_string(3000000 + i % 1000);
    e.description = "Generated line " + std::to_string(i);
    if (i % 7 == 0) {
      e.currency = "SEK";
      l.rate = sek;
      l.rate_month = "2024-06";
      l.eur = convert_to_eur(e.declared, sek);  // HALF_UP per line (domain §5)
    } else {
      e.currency = "EUR";
      l.eur = e.declared;
    }
    l.check_result = "ok";
    if (i % 17 == 3) {
      l.parked = true;
      l.parked_eur = l.eur;
    } else if (i % 19 == 4) {
      l.ineligible = l.eur;
      l.check_result = "ineligible";
      l.rule_ids = {"ELIG-VAT"};
      Diagnostic d;
      d.severity = Severity::kError;
      d.rule_id = "ELIG-VAT";
      d.file = file;
      d.line = e.line + 1;
      d.line_no = e.line;
      d.message = "generated finding " + std::to_string(i);
      d.amount = l.eur;
      o.findings.push_back(d);
    } else if (i % 11 == 2) {
      l.deducted = Money::from_cents(l.eur.cents() / 10);
    }
    l.certified = l.eur - l.ineligible - l.deducted - l.parked_eur;
    ReportOutcome& r = o.reports.back();
    r.declared += l.eur;
    r.parked += l.parked_eur;
    r.eligible += l.certified;
    ++r.line_count;
    if (!l.rule_ids.empty()) ++r.findings;
    o.lines.push_back(std::move(l));
  }
  for (ReportOutcome& r : o.reports) {
    r.deducted = r.declared - r.eligible - r.parked;
    r.erdf = apply_percent(r.eligible, r.erdf_rate, Rounding::kFloor);  // FLOOR (domain §6)
    r.own = r.eligible - r.erdf - r.state;
  }
  return o;
}

}  // namespace cofin::wbtest
