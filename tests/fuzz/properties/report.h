// Properties of an accepted partner report, whichever format it was read from (CSV or XML):
// what the rest of cofin may rely on without checking again.
#pragma once

#include <set>
#include <string>

#include "fuzz/properties/common.h"
#include "ingest/encoding.h"
#include "model/report.h"

namespace cofin::fuzz {

// `rows_strictly_increase`: CSV lines each start a new physical line; XML <line> tags may share
// one.
inline Violation check_report(const PartnerReport& report, bool rows_strictly_increase) {
  if (report.lines.empty()) return "accepted a report without lines";
  if (report.period_end < report.period_start) return "accepted a reversed period";
  if (report.partner < 1 || report.report < 1) return "accepted a partner or report below 1";
  if (report.project.empty()) return "accepted a report without a project";
  std::set<int> numbers;
  int previous_row = 0;
  for (const ExpenseLine& line : report.lines) {
    if (line.line < 1 || !numbers.insert(line.line).second) return "line number below 1 or twice";
    if (line.pos.line < previous_row + (rows_strictly_increase ? 1 : 0) || line.pos.line < 1) {
      return "line positions do not increase";
    }
    previous_row = line.pos.line;
    if (!line.declared.in_amount_range()) return "declared beyond the Jems range";
    if (line.vat && !line.vat->in_amount_range()) return "vat beyond the Jems range";
    if (line.invoice_total && !line.invoice_total->in_amount_range()) {
      return "invoice-total beyond the Jems range";
    }
    if (line.is_unit_cost() && !line.units) return "unit-cost line without units";
    if (line.currency.empty()) return "line without a currency";
    for (const std::string* text : {&line.description, &line.supplier, &line.invoice_no,
                                    &line.internal_ref, &line.supplier_id}) {
      if (!is_valid_utf8(*text, nullptr)) return "text field is not UTF-8";
    }
  }
  return {};
}

}  // namespace cofin::fuzz
