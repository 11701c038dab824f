// No double funding (domain §4): an invoice is keyed by normalised supplier id + invoice number,
// and the sum declared on it over all lines, reports, partners and projects must not exceed its
// invoice total. Pure: the caller hands in every line the ledger holds.
#pragma once

#include <compare>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "model/diagnostic.h"
#include "model/report.h"

namespace cofin {

// Where a line lives in the portfolio.
struct LineRef {
  std::string project;
  int partner = 0;
  int report = 0;
  int line = 0;
  auto operator<=>(const LineRef&) const = default;
  // Returns "PROJECT/P{partner}/R{report}.{line}".
  std::string to_string() const;
};

// Returns the invoice key of `line`: supplier id and invoice number with case, spaces and
// punctuation removed (Excel and people write "LV-4000 300 0000" and "lv40003000000"), joined
// with the currency. Returns "" for lines without both (staff, unit costs): those have no
// invoice to fund twice.
std::string invoice_key(const ExpenseLine& line);

struct InvoiceUse {
  LineRef ref;
  const ExpenseLine* line = nullptr;
};

// What the duplicate check found on one line (amounts in the line's currency).
struct DuplicateHit {
  Money over_total;       // part of this line above the invoice total, with the line's sign
  Money declared_so_far;  // sum declared on the invoice up to and including this line
  Money invoice_total;
  std::optional<LineRef> repeat_of;  // an earlier line with the same key and amounts
};

// Returns the hits, by line, for every line that has one. Lines are taken in LineRef order
// (project, partner, report, line number), so the result does not depend on the order of
// `uses`: the later line carries the finding. Lines with `reincluded-from` are the parked
// origin's cost again and are neither summed nor repeats; negative corrections lower the sum
// and are never repeats.
std::map<LineRef, DuplicateHit> find_duplicate_invoices(std::vector<InvoiceUse> uses);

// Calls `visit(ref, line)` for every line of the portfolio, in the same order each time.
using LineVisitor = std::function<void(const LineRef&, const ExpenseLine&)>;
using ForEachLine = std::function<void(const LineVisitor&)>;

// Returns the same hits as find_duplicate_invoices over every line `for_each_line` visits,
// without holding them all: it visits the lines twice and keeps only those that can take part
// in a hit (their invoice key is on another line too, or the line alone exceeds its invoice
// total), plus 8 bytes a line for the first visit's key hashes. `for_each_line` must visit the
// same lines both times.
std::map<LineRef, DuplicateHit> find_duplicate_invoices(const ForEachLine& for_each_line);

// Returns the DUP-INVOICE (error, amount affected = the part over the total, in EUR at the
// line's own ratio) and DUP-INVOICE-REPEAT (warning) findings for `line`.
std::vector<Diagnostic> duplicate_findings(const DuplicateHit& hit, const ExpenseLine& line,
                                           Money eur);

}  // namespace cofin
