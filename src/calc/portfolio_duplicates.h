// The portfolio-wide duplicate-invoice check (domain §4, rules/duplicates.h) over a portfolio
// whose reports' lines may be spilled: every line's invoice mark is read, and the invoice
// records (calc/invoice_records.h) only of the lines that can take part in a duplicate.
#pragma once

#include <map>

#include "calc/portfolio.h"
#include "rules/duplicates.h"

namespace cofin {

// Returns find_duplicate_invoices over every line of `portfolio.reports`, whether skipped later
// or not (a duplicate is one across every accepted report). Spilled reports give their stored
// marks (SpilledLines::invoice_marks) and, when they hold a line whose invoice hash occurs twice
// or that exceeds its own total, the invoice records of those lines (invoice_lines): their lines
// are never decoded. Held reports are marked from their lines.
// Reports are read on up to `threads` threads (0: one per core); the result is the same for
// any number. Throws as SpilledLines::read does (for several failing reports, what the first of
// them in key order threw).
std::map<LineRef, DuplicateHit> find_portfolio_duplicates(const Portfolio& portfolio,
                                                          unsigned threads = 1);

}  // namespace cofin
